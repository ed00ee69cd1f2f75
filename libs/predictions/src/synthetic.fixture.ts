import type { PredictionContext } from '@sightline/contracts';
import type { TrainingRecord, ViewOutcome } from './record';

/** A small seeded generator (mulberry32), so that tests are deterministic. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function outcome(partial: Partial<ViewOutcome> = {}): ViewOutcome {
  return {
    started: true,
    exited_before_start: false,
    startup_time_ms: 1000,
    rebuffer_count: 0,
    watch_time_ms: 60_000,
    weighted_average_bitrate_bps: 3_000_000,
    request_throughput_bps: 8_000_000,
    ...partial,
  };
}

export const record = (context: PredictionContext, partial: Partial<ViewOutcome> = {}): TrainingRecord => ({ context, outcome: outcome(partial) });

const CDNS = ['a', 'b', 'c'] as const;
const DEVICES = ['desktop', 'mobile', 'tv'] as const;
/** Log-odds effects of the generating process. */
const CDN_EFFECT: Record<string, number> = { a: -0.6, b: 0, c: 1.2 };
const DEVICE_EFFECT: Record<string, number> = { desktop: -0.3, mobile: 0.5, tv: 0 };
const BASE = -2.2;

/** The true EBVS probability of the synthetic fleet. */
function trueEbvs(context: PredictionContext): number {
  return 1 / (1 + Math.exp(-(BASE + CDN_EFFECT[context.cdn!]! + DEVICE_EFFECT[context.device_type!]!)));
}

/** True median startup, ms: 800 ms times a factor per CDN. */
function trueStartupMs(context: PredictionContext): number {
  return 800 * { a: 1, b: 1.5, c: 3 }[context.cdn!]!;
}

/** Views of a known generating process: EBVS logistic in CDN and device, log-normal startup by CDN. */
export function syntheticFleet(count: number, seed: number): { record: TrainingRecord; p: number }[] {
  const random = seeded(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Array.from({ length: count }, () => {
    const context: PredictionContext = { cdn: CDNS[Math.floor(random() * 3)]!, device_type: DEVICES[Math.floor(random() * 3)]!, asn: 100 + Math.floor(random() * 20) };
    const p = trueEbvs(context);
    const ebvs = random() < p;
    const startup = ebvs ? null : Math.round(trueStartupMs(context) * Math.exp(0.5 * normal()));
    const rec = record(context, { started: !ebvs, exited_before_start: ebvs, startup_time_ms: startup, rebuffer_count: ebvs ? 0 : Math.floor(random() * 2) });
    return { record: rec, p };
  });
}
