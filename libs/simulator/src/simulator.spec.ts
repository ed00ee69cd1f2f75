import { PlayerEventSchema, compileValidator } from '@sightline/contracts';
import { beaconsOf } from './sdk';
import { FleetPlan } from './fleet-plan';
import { parseScenario, ScenarioError, type ScenarioFile } from './scenario';
import { downloadSeconds, parseTrace, TraceFormatError, type NetworkTrace } from './trace';

const constant = (mbps: number, seconds = 300): NetworkTrace =>
  parseTrace(`constant-${mbps}`, Array.from({ length: seconds + 1 }, (_, i) => `${i}\t${mbps}`).join('\n'));

const START = Date.parse('2026-11-25T12:00:00Z');
const base: ScenarioFile = { name: 'spec', seed: 42, viewers: 200, duration_s: 300, ramp_s: 0, watch_median_s: 60 };

function firstViews(scenario: ScenarioFile, traces: NetworkTrace[], count = 200) {
  const plan = new FleetPlan(parseScenario(scenario), traces, 'run1', START);
  return { plan, views: Array.from({ length: count }, (_, slot) => plan.view(slot, 0, plan.firstViewAt(slot))) };
}

describe('network traces', () => {
  it('reads the cooked one-sample-a-second format', () => {
    const trace = parseTrace('t', '0.0\t2.5\n1.01\t1.0\n2.02\t0.5\n');
    expect(trace.bps).toEqual([2_500_000, 1_000_000]);
  });

  it('names the line of a malformed sample', () => {
    expect(() => parseTrace('bad.log', '0\t1\n1\tfast\n')).toThrow(new TraceFormatError('bad.log line 2: expected "seconds<TAB>Mbit/s", got "1\tfast"'));
    expect(() => parseTrace('short.log', '0\t1\n')).toThrow(/at least 2 samples/);
  });

  it('downloads at the trace rate, slowed by a factor, wrapping around the end', () => {
    const trace = constant(1, 10);
    expect(downloadSeconds(trace, 0, 125_000)).toBeCloseTo(1);
    expect(downloadSeconds(trace, 0, 125_000, () => 0.5)).toBeCloseTo(2);
    expect(downloadSeconds(trace, 9.5, 250_000)).toBeCloseTo(2);
  });
});

describe('scenarios', () => {
  it.each([
    [{ ...base, viewers: 0 }, /\/viewers/],
    [{ ...base, extra: 1 }, /additional properties|Unexpected property/i],
    [{ ...base, incidents: [{ id: 'a', kind: 'cdn_slow', cohort: { cdn: 'fastly' }, start_s: 50, end_s: 40 }] }, /\/incidents\/0\/end_s must be after start_s/],
    [{ ...base, incidents: [{ id: 'a', kind: 'asn_outage', cohort: { cdn: 'fastly' }, start_s: 0, end_s: 40 }] }, /cohort needs "asn" for a asn_outage incident/],
    [{ ...base, incidents: [{ id: 'a', kind: 'meteor', cohort: { cdn: 'x' }, start_s: 0, end_s: 1 }] }, /\/incidents\/0\/kind/],
    [
      {
        ...base,
        incidents: [
          { id: 'a', kind: 'cdn_slow', cohort: { cdn: 'x' }, start_s: 0, end_s: 1 },
          { id: 'a', kind: 'cdn_slow', cohort: { cdn: 'y' }, start_s: 0, end_s: 1 },
        ],
      },
      /"a" is used twice/,
    ],
  ])('refuses %j with a precise reason', (scenario, reason) => {
    expect(() => parseScenario(scenario)).toThrow(ScenarioError);
    expect(() => parseScenario(scenario)).toThrow(reason);
  });

  it('fills the defaults', () => {
    expect(parseScenario({ name: 'x', seed: 1, viewers: 1, duration_s: 10 })).toMatchObject({ ramp_s: 10, watch_median_s: 120, incidents: [] });
  });
});

describe('the fleet', () => {
  const traces = [constant(3), constant(0.8), constant(6)];

  it('is deterministic: the same seed, run and start give the same beacons; another seed does not', () => {
    const once = firstViews(base, traces, 50).views.flatMap((v) => beaconsOf(v, { intervalS: 10, maxEvents: 50 }));
    const again = firstViews(base, traces, 50).views.flatMap((v) => beaconsOf(v, { intervalS: 10, maxEvents: 50 }));
    const other = firstViews({ ...base, seed: 43 }, traces, 50).views.flatMap((v) => beaconsOf(v, { intervalS: 10, maxEvents: 50 }));
    expect(again).toEqual(once);
    expect(JSON.stringify(other)).not.toEqual(JSON.stringify(once));
  });

  it('plays valid, ordered views that end with viewend', () => {
    const check = compileValidator(PlayerEventSchema);
    const { views } = firstViews({ ...base, viewers: 2000 }, traces, 2000);
    for (const view of views) {
      view.events.forEach((event, i) => {
        expect(check.validate(event).ok).toBe(true);
        expect(event.seq).toBe(i);
        if (i > 0) expect(event.ts).toBeGreaterThanOrEqual(view.events[i - 1]!.ts);
      });
      expect(view.events[0]!.ts).toBe(view.startAt);
      expect(view.events.at(-1)!.type).toBe('viewend');
      expect(view.events.at(-1)!.ts).toBe(view.endAt);
    }
  });

  it('starts fast and never stalls on a fast network, and stalls on a slow one', () => {
    const fast = firstViews(base, [constant(20)]).views;
    const slow = firstViews(base, [constant(0.25)]).views;
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(fast.every((v) => v.outcome.started && v.outcome.startupMs! < 1500 && v.outcome.rebuffers === 0)).toBe(true);
    expect(mean(slow.map((v) => v.outcome.rebuffers))).toBeGreaterThan(mean(fast.map((v) => v.outcome.rebuffers)) + 0.5);
    const topRendition = fast.flatMap((v) => v.events).filter((e) => e.rendition).map((e) => e.rendition!.bitrate_bps);
    expect(Math.max(...topRendition)).toBe(6_000_000);
  });

  it('hits only the incident cohort: a slow CDN slows its views and not the others, and the ground truth counts them', () => {
    const scenario: ScenarioFile = { ...base, incidents: [{ id: 'slow-fastly', kind: 'cdn_slow', cohort: { cdn: 'fastly' }, start_s: 0, end_s: 300, intensity: 0.95 }] };
    const { plan, views } = firstViews(scenario, traces, 400);
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const startup = (cdn: string) => median(views.filter((v) => v.profile.cdn === cdn && v.outcome.started).map((v) => v.outcome.startupMs!));
    expect(startup('fastly')).toBeGreaterThan(3 * startup('akamai'));
    const truth = plan.groundTruth().incidents[0]!;
    expect(truth.views_affected).toBe(views.filter((v) => v.profile.cdn === 'fastly').length);
    expect(truth.view_ids_sample.every((id) => views.find((v) => v.viewId === id)?.profile.cdn === 'fastly')).toBe(true);
  });

  it('fails the views of a failing player version, and origin errors show as failed requests', () => {
    const scenario: ScenarioFile = {
      ...base,
      incidents: [
        { id: 'bad-hlsjs', kind: 'player_version_failing', cohort: { player_version: '1.6.2' }, start_s: 0, end_s: 300, intensity: 1 },
        { id: 'origin', kind: 'origin_errors', cohort: { cdn: 'cloudfront' }, start_s: 0, end_s: 300, intensity: 1 },
      ],
    };
    const { views } = firstViews(scenario, traces, 400);
    const failing = views.filter((v) => v.profile.playerVersion === '1.6.2');
    expect(failing.length).toBeGreaterThan(0);
    expect(failing.every((v) => v.outcome.failed && v.events.some((e) => e.type === 'error' && e.error?.fatal))).toBe(true);
    const originHit = views.filter((v) => v.profile.cdn === 'cloudfront' && v.profile.playerVersion !== '1.6.2');
    expect(originHit.some((v) => v.events.some((e) => e.type === 'requestfailed' && e.request?.status === 503))).toBe(true);
    expect(originHit.filter((v) => v.outcome.failed).length).toBeGreaterThan(originHit.length / 4);
    const others = views.filter((v) => v.profile.cdn !== 'cloudfront' && v.profile.playerVersion !== '1.6.2');
    expect(others.some((v) => v.outcome.failed)).toBe(false);
  });
});

describe('the SDK', () => {
  it('batches every event once, in order, with the context on the first beacon only', () => {
    const { views } = firstViews(base, [constant(2)], 30);
    for (const view of views) {
      const beacons = beaconsOf(view, { intervalS: 10, maxEvents: 20 });
      expect(beacons.flatMap((b) => b.beacon.events)).toEqual(view.events);
      expect(beacons[0]!.beacon.context).toMatchObject({ cdn: view.profile.cdn, player_name: view.profile.device.playerName });
      expect(beacons.slice(1).every((b) => b.beacon.context === undefined)).toBe(true);
      expect(beacons.every((b) => b.beacon.events.length <= 20)).toBe(true);
      beacons.forEach((b, i) => i > 0 && expect(b.sendAt).toBeGreaterThanOrEqual(beacons[i - 1]!.sendAt));
      expect(beacons.at(-1)!.sendAt).toBe(view.endAt);
    }
  });
});
