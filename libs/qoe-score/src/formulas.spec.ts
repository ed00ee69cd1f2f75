import type { ViewMetrics } from '@sightline/contracts';
import { playedView } from './played-view.fixture';
import { playbackSuccessScore, smoothnessScore, startupTimeScore, videoQualityScore } from './formulas';
import { overallScore } from './overall';

const played: ViewMetrics = playedView;
const input = (m: Partial<ViewMetrics>, durationMs = 300_000) => ({ metrics: { ...played, ...m }, durationMs });

describe('published formulas', () => {
  it.each([
    [2000, 80],
    [8000, 50],
    [0, 100],
  ])('startup time %i ms scores %d', (ms, score) => {
    expect(startupTimeScore(input({ startup_time_ms: ms }))).toBeCloseTo(score, 10);
  });

  it('scores the docs/qoe-score.md worked example: a 5-minute view with one 5 s rebuffer is about 87', () => {
    const score = smoothnessScore(input({ rebuffer_count: 1, rebuffer_duration_ms: 5000, rebuffer_percentage: 5 / 300 }));
    expect((100 / Math.sqrt(1.25) + 100 * Math.exp(-10 / 60)) / 2).toBeCloseTo(score!, 10);
    expect(score).toBeCloseTo(87.0, 0);
  });

  it.each([
    [{}, 100],
    [{ playback_failed: true, start_failed: true, started: false, startup_time_ms: null }, 0],
    [{ exited_before_start: true, started: false, startup_time_ms: null }, 50],
  ])('playback success of %j is %d', (m, score) => {
    expect(playbackSuccessScore(input(m))).toBe(score);
  });

  it('gives no playback score to an exit before start shorter than 1 s, nor other scores', () => {
    const ebvs = input({ exited_before_start: true, started: false, startup_time_ms: null }, 800);
    expect(playbackSuccessScore(ebvs)).toBeNull();
    expect(startupTimeScore(ebvs)).toBeNull();
    expect(smoothnessScore(ebvs)).toBeNull();
  });

  it('scores video quality from upscaling', () => {
    expect(videoQualityScore(input({}))).toBe(100);
    expect(videoQualityScore(input({ max_upscale: 1, average_upscale: 1 }))).toBeCloseTo(100 * Math.exp(-0.33), 10);
  });
});

describe('overall score v1', () => {
  it('is the sub-score when all sub-scores are equal', () => {
    expect(overallScore({ playback_success: 100, startup_time: 80, smoothness: 80, video_quality: 80 })).toBeCloseTo(80, 10);
  });

  it('is pulled further down by one bad sub-score than an arithmetic mean would be', () => {
    const overall = overallScore({ playback_success: 100, startup_time: 95, smoothness: 10, video_quality: 95 })!;
    const mean = 0.5 * 10 + 0.3 * 95 + 0.2 * 95;
    expect(overall).toBeLessThan(mean);
    expect(overall).toBeCloseTo(1 / (0.5 / 10 + 0.3 / 95 + 0.2 / 95), 10);
  });

  it('weighs smoothness above startup above quality', () => {
    const base = { playback_success: 100, startup_time: 90, smoothness: 90, video_quality: 90 };
    const badSmooth = overallScore({ ...base, smoothness: 40 })!;
    const badStartup = overallScore({ ...base, startup_time: 40 })!;
    const badQuality = overallScore({ ...base, video_quality: 40 })!;
    expect(badSmooth).toBeLessThan(badStartup);
    expect(badStartup).toBeLessThan(badQuality);
  });

  it('multiplies by playback success and has no score without it', () => {
    expect(overallScore({ playback_success: 0, startup_time: 90, smoothness: 90, video_quality: 90 })).toBe(0);
    expect(overallScore({ playback_success: 50, startup_time: null, smoothness: null, video_quality: null })).toBe(50);
    expect(overallScore({ playback_success: null, startup_time: 90, smoothness: 90, video_quality: 90 })).toBeNull();
  });
});
