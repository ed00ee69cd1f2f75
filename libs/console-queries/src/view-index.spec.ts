import type { EventBatch, ScoredView, ViewSnapshot } from '@sightline/contracts';
import { timelineOf, ViewIndex, viewCohortValue } from './index';

const metrics = { startup_time_ms: 500, started: true, exited_before_start: false, start_failed: false, playback_failed: false, watch_time_ms: 1000, playing_time_ms: 900, rebuffer_count: 0, rebuffer_duration_ms: 0, rebuffer_percentage: 0, weighted_average_bitrate_bps: 1e6, max_upscale: 0, average_upscale: 0 };
const snapshot = (id: string, revision: number, at: number, extra: Partial<ViewSnapshot> = {}): ViewSnapshot => ({
  v: 1, view_id: id, property_id: 'p', status: 'active', revision, context: { cdn: 'akamai', player_name: 'hls.js', player_version: '1.7', viewer_id: `viewer-${id}` }, first_event_at: at, last_event_at: at, last_received_at: at, last_seq: revision, metrics, ...extra,
});
const score = (id: string, revision: number, overall: number, kind: 'live' | 'final' = 'final'): ScoredView => ({
  v: 1, view_id: id, property_id: 'p', kind, revision, score_version: 'sightline-qoe/1', scored_at_event_time: 0, context: {}, metrics, scores: { overall, playback_success: 100, startup_time: 100, smoothness: 100, video_quality: 100 },
});

describe('ViewIndex', () => {
  it('applies snapshots and scores by revision, finds views by viewer, cohort and time, worst first', () => {
    const index = new ViewIndex(10);
    expect(index.applySnapshot(snapshot('a', 2, 1000))).toBe(true);
    expect(index.applySnapshot(snapshot('a', 1, 900))).toBe(false);
    index.applySnapshot(snapshot('b', 1, 2000, { context: { cdn: 'fastly' } }));
    index.applySnapshot(snapshot('c', 1, 3000));
    index.applyScore(score('a', 2, 70));
    index.applyScore(score('b', 1, 30, 'live'));
    expect(index.applyScore(score('a', 2, 10, 'live'))).toBe(false);
    const all = index.search({ propertyId: 'p', from: 0, to: 10_000, sort: 'worst', limit: 10 });
    expect(all.views.map((v) => v.view_id)).toEqual(['b', 'a', 'c']);
    expect(index.search({ propertyId: 'p', from: 0, to: 10_000, sort: 'recent', limit: 10 }).views.map((v) => v.view_id)).toEqual(['c', 'b', 'a']);
    expect(index.search({ propertyId: 'p', viewerId: 'viewer-a', from: 0, to: 10_000, sort: 'worst', limit: 10 }).matched).toBe(1);
    expect(index.search({ propertyId: 'p', cohort: { dimension: 'cdn', value: 'akamai' }, from: 0, to: 10_000, sort: 'worst', limit: 10 }).matched).toBe(2);
    expect(index.search({ propertyId: 'p', from: 2500, to: 10_000, sort: 'worst', limit: 10 }).views.map((v) => v.view_id)).toEqual(['c']);
    expect(index.search({ propertyId: 'q', from: 0, to: 10_000, sort: 'worst', limit: 10 }).matched).toBe(0);
  });

  it('keeps at most its capacity, the longest quiet dropped first', () => {
    const index = new ViewIndex(2);
    index.applySnapshot(snapshot('a', 1, 1));
    index.applySnapshot(snapshot('b', 1, 2));
    index.applySnapshot(snapshot('a', 2, 3));
    index.applySnapshot(snapshot('c', 1, 4));
    expect([index.get('a'), index.get('b'), index.get('c')].map(Boolean)).toEqual([true, false, true]);
  });

  it('names a view\'s cohorts as the scorer does', () => {
    const view = { context: { cdn: 'akamai', player_name: 'hls.js', player_version: '1.7' }, client: { country: 'NO', region: 'Oslo' } };
    expect(['cdn', 'player_version', 'region', 'asn', 'cdn+country'].map((d) => viewCohortValue(view, d))).toEqual(['akamai', 'hls.js 1.7', 'NO/Oslo', 'unknown', 'akamai|NO']);
  });
});

describe('timelineOf', () => {
  it('orders events by seq, drops resends, and draws startup, playing, stall, seek and pause spans', () => {
    const e = (seq: number, type: string, ts: number, extra = {}) => ({ seq, type, ts, playhead_ms: 0, ...extra });
    const batch = (events: object[]): EventBatch => ({ v: 1, view_id: 'v', enrichment: { received_at: 0, property_id: 'p' }, events: events as EventBatch['events'] });
    const t = timelineOf('v', [
      batch([e(0, 'viewstart', 1000), e(1, 'play', 1000), e(2, 'playing', 1500, { rendition: { bitrate_bps: 1e6, height: 720 } })]),
      batch([e(4, 'rebufferend', 4000), e(3, 'rebufferstart', 3000), e(2, 'playing', 1500)]),
      batch([e(5, 'seeking', 5000), e(6, 'seeked', 5200), e(7, 'pause', 6000), e(8, 'viewend', 7000)]),
    ]);
    expect(t.events.map((x) => x.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(t.spans).toEqual([
      { kind: 'startup', from: 0, to: 500 },
      { kind: 'playing', from: 500, to: 2000 },
      { kind: 'stall', from: 2000, to: 3000 },
      { kind: 'playing', from: 3000, to: 4000 },
      { kind: 'seek', from: 4000, to: 4200 },
      { kind: 'playing', from: 4200, to: 5000 },
      { kind: 'pause', from: 5000, to: 6000 },
    ]);
    expect(t.renditions).toEqual([{ t: 500, bitrate_bps: 1e6, height: 720 }]);
    expect(t.duration_ms).toBe(6000);
  });
});
