import { Type, type Static, type TObject } from '@sinclair/typebox';
import { DEFAULT_DETECTOR_OPTIONS, type DetectorOptions } from '@sightline/anomaly';

const d = DEFAULT_DETECTOR_OPTIONS;

/** The predictor's variables for anomaly detection; merged into its configuration schema. */
export const ANOMALY_CONFIG = {
  ANOMALY_POOR_VIEW_THRESHOLD: Type.Number({ minimum: 0, maximum: 100, default: 50, description: 'overall scores below this are anomalous' }),
  ANOMALY_FIRE_Z: Type.Number({ exclusiveMinimum: 0, default: d.fireZ, description: 'standard deviations above its baseline that make a cohort anomalous' }),
  ANOMALY_PERSIST_MS: Type.Integer({ minimum: 0, default: d.persistMs, description: 'how long an anomaly must last before it is published' }),
  ANOMALY_RESOLVE_MS: Type.Integer({ minimum: 0, default: d.resolveMs, description: 'how long normal before an anomaly resolves (until then it is not published again)' }),
  ANOMALY_SEASONAL_DAYS: Type.Integer({ minimum: 1, default: d.baseline.seasonalDays, description: 'days of history before hour-of-day baselines are used' }),
};

/** The anomaly variables, as their schema types them. */
export type AnomalyConfig = Static<TObject<typeof ANOMALY_CONFIG>>;

/** The cohort detector's options: the defaults, with what the configuration sets. */
export function detectorOptions(c: AnomalyConfig): DetectorOptions {
  return {
    ...d,
    fireZ: c.ANOMALY_FIRE_Z,
    persistMs: c.ANOMALY_PERSIST_MS,
    resolveMs: c.ANOMALY_RESOLVE_MS,
    baseline: { ...d.baseline, seasonalDays: c.ANOMALY_SEASONAL_DAYS },
  };
}
