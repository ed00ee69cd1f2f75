import { emptyModel, learn, mergeModels } from './model';
import { predictProgress, predictStart } from './predict';
import { record, syntheticFleet } from './synthetic.fixture';
import type { TrainingRecord } from './record';
import { F } from './stats';

const T0 = Date.parse('2026-11-25T12:00:00Z');
const learnAll = (records: readonly TrainingRecord[], options = { halfLifeMs: 0 }, start = T0) =>
  records.reduce((m, r, i) => learn(m, r, start + i * 1000), emptyModel(options));

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

describe('learning', () => {
  it('is deterministic: the same views in the same order give the same JSON', () => {
    const fleet = syntheticFleet(500, 7).map((v) => v.record);
    expect(JSON.stringify(learnAll(fleet, { halfLifeMs: 600_000 }))).toBe(JSON.stringify(learnAll(fleet, { halfLifeMs: 600_000 })));
  });

  it('never changes the model it learns from (keyed state and emitted snapshots share it)', () => {
    const before = deepFreeze(learnAll(syntheticFleet(50, 1).map((v) => v.record)));
    const json = JSON.stringify(before);
    expect(() => learn(before, record({ cdn: 'a', asn: 100, device_type: 'tv' }), T0 + 1e6)).not.toThrow();
    expect(JSON.stringify(before)).toBe(json);
  });

  it('counts each view in the property, in each dimension it names and in its cdn+asn pair', () => {
    const model = learnAll([record({ cdn: 'a', asn: 1, country: 'NO', title: 'T', device_type: 'tv', stream_type: 'vod' }, { rebuffer_count: 2 })]);
    expect(Object.keys(model.dimensions).sort()).toEqual(['asn', 'cdn', 'cdn+asn', 'country', 'device_type', 'stream_type', 'title']);
    expect(model.dimensions['cdn+asn']!['a|1']![F.stalls]).toBe(2);
    expect(model.global[F.views]).toBe(1);
    expect(model.views_learned).toBe(1);
  });

  it('keeps at most max_values per dimension, dropping the least-weighted value', () => {
    const model = learnAll([record({ cdn: 'a' }), record({ cdn: 'a' }), record({ cdn: 'b' }), record({ cdn: 'c' })], { halfLifeMs: 0, maxValues: 2 } as never);
    expect(Object.keys(model.dimensions.cdn!).sort()).toEqual(['a', 'c']);
  });

  it('decays: old views weigh less than recent ones', () => {
    const model = learnAll([record({ cdn: 'a' }, { exited_before_start: true, started: false, startup_time_ms: null })], { halfLifeMs: 60_000 });
    const later = learn(model, record({ cdn: 'b' }), T0 + 60_000);
    expect(later.global[F.views]).toBeCloseTo(1.5);
    expect(later.dimensions.cdn!.a![F.at]).toBe(T0);
  });
});

describe('merging partial models', () => {
  it('equals learning the union of their views', () => {
    const fleet = syntheticFleet(3000, 11).map((v) => v.record);
    const options = { halfLifeMs: 900_000 };
    const whole = learnAll(fleet, options);
    const parts = [0, 1, 2].map((p) => fleet.reduce((m, r, i) => (i % 3 === p ? learn(m, r, T0 + i * 1000) : m), emptyModel(options)));
    const merged = mergeModels(parts);
    expect(merged.views_learned).toBe(3000);
    expect(merged.at).toBe(whole.at);
    for (let i = 0; i < whole.global.length; i++) expect(merged.global[i]).toBeCloseTo(whole.global[i]!, 6);
    for (const [dimension, values] of Object.entries(whole.dimensions)) {
      for (const [value, stats] of Object.entries(values)) {
        stats.forEach((x, i) => expect(merged.dimensions[dimension]![value]![i]).toBeCloseTo(x, 6));
      }
    }
    const context = { cdn: 'c', device_type: 'mobile', asn: 105 };
    const a = predictStart(whole, { property_id: 'p', context });
    const b = predictStart(merged, { property_id: 'p', context });
    expect(b.exit_before_start_risk.value).toBeCloseTo(a.exit_before_start_risk.value, 3);
    expect(b.startup_time_ms.value).toBeCloseTo(a.startup_time_ms.value, -1);
  });

  it('is canonical whatever the order of the parts', () => {
    const fleet = syntheticFleet(300, 3).map((v) => v.record);
    const parts = [0, 1].map((p) => fleet.reduce((m, r, i) => (i % 2 === p ? learn(m, r, T0 + i) : m), emptyModel({ halfLifeMs: 0 })));
    expect(JSON.stringify(mergeModels(parts))).toBe(JSON.stringify(mergeModels([...parts].reverse())));
  });

  it('refuses models that decay differently', () => {
    expect(() => mergeModels([emptyModel({ halfLifeMs: 1 }), emptyModel({ halfLifeMs: 2 })])).toThrow(/half-lives 1 and 2 ms/);
  });
});

describe('predictions', () => {
  it('before any view: the initial assumptions, with no evidence', () => {
    const p = predictStart(emptyModel(), { property_id: 'p', context: { cdn: 'a' } });
    expect(p).toMatchObject({ model_at: null, exit_before_start_risk: { value: 0.05, n: 0 }, startup_time_ms: { value: 2000, n: 0 }, evidence: { views: 0, cohorts: { cdn: 0 } } });
  });

  it('shrinks a cohort with few views towards its parent, and lets a large one speak for itself', () => {
    const ebvs = { started: false, exited_before_start: true, startup_time_ms: null };
    const rng = syntheticFleet(1, 1); // unused: the records below are exact
    expect(rng).toHaveLength(1);
    const records = [
      ...Array.from({ length: 2000 }, (_, i) => record({ cdn: 'big' }, i % 20 === 0 ? ebvs : {})), // 5%
      ...Array.from({ length: 400 }, (_, i) => record({ cdn: 'bad' }, i % 5 < 2 ? ebvs : {})), // 40%
      ...Array.from({ length: 3 }, () => record({ cdn: 'tiny' }, ebvs)), // 3 of 3
    ];
    const model = learnAll(records);
    const risk = (cdn: string) => predictStart(model, { property_id: 'p', context: { cdn } }).exit_before_start_risk;
    expect(risk('bad').value).toBeGreaterThan(0.37);
    expect(risk('bad').value).toBeLessThan(0.41);
    expect(risk('tiny').value).toBeLessThan(0.35);
    expect(risk('tiny').n).toBe(3);
    expect(risk('unseen').value).toBeCloseTo(records.filter((r) => r.outcome.exited_before_start).length / records.length, 2);
  });

  it('are calibrated on a fleet with a known generating process', () => {
    const fleet = syntheticFleet(20_000, 5);
    const model = learnAll(fleet.map((v) => v.record));
    const test = syntheticFleet(3000, 6);
    let brierModel = 0;
    let brierTruth = 0;
    let meanError = 0;
    for (const { record: r, p } of test) {
      const q = predictStart(model, { property_id: 'p', context: r.context }).exit_before_start_risk.value;
      const y = r.outcome.exited_before_start ? 1 : 0;
      brierModel += (q - y) ** 2 / test.length;
      brierTruth += (p - y) ** 2 / test.length;
      meanError += Math.abs(q - p) / test.length;
    }
    // Near the true probabilities (the ASN and CDN x ASN cohorts have no true effect: noise the shrinkage must damp).
    expect(meanError).toBeLessThan(0.02);
    expect(brierModel).toBeLessThan(brierTruth + 0.002);
  });

  it('expect the median startup time of the cohort', () => {
    const model = learnAll(syntheticFleet(20_000, 8).map((v) => v.record));
    const startup = (cdn: string) => predictStart(model, { property_id: 'p', context: { cdn } }).startup_time_ms.value;
    expect(startup('a') / 800).toBeCloseTo(1, 1);
    expect(startup('c') / 2400).toBeCloseTo(1, 1);
  });

  it('recommend a start bitrate below the throughput views of the cohort saw', () => {
    const model = learnAll([...Array.from({ length: 200 }, () => record({ cdn: 'fast' })), ...Array.from({ length: 200 }, () => record({ cdn: 'slow' }, { request_throughput_bps: 1_000_000 }))]);
    const bitrate = (cdn: string) => predictStart(model, { property_id: 'p', context: { cdn } }).start_bitrate_bps.value;
    expect(bitrate('fast')).toBeGreaterThan(4_000_000);
    expect(bitrate('fast')).toBeLessThan(8_000_000);
    expect(bitrate('slow')).toBeLessThan(1_000_000);
  });

  it('rate a view that has been stalling as more likely to stall soon, more so over a longer horizon', () => {
    const records = Array.from({ length: 1000 }, (_, i) => record({ cdn: 'a' }, { rebuffer_count: i % 10 === 0 ? 3 : i % 3 === 0 ? 1 : 0, watch_time_ms: 120_000 }));
    const model = learnAll(records);
    const soon = (rebuffer_count: number, horizon_ms?: number) =>
      predictProgress(model, { property_id: 'p', context: { cdn: 'a' }, progress: { watch_time_ms: 60_000, rebuffer_count }, ...(horizon_ms ? { horizon_ms } : {}) });
    const calm = soon(0);
    const stalling = soon(4);
    expect(calm.horizon_ms).toBe(30_000);
    expect(stalling.stall_soon_risk.value).toBeGreaterThan(calm.stall_soon_risk.value);
    expect(stalling.stall_rate_per_minute.view).toBeGreaterThan(stalling.stall_rate_per_minute.cohort);
    expect(soon(0, 120_000).stall_soon_risk.value).toBeGreaterThan(calm.stall_soon_risk.value);
    expect(calm.stall_rate_per_minute.cohort).toBeCloseTo((100 * 3 + 300) / 2000, 1);
  });
});
