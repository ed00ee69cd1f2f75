import { Type } from '@sinclair/typebox';
import { checkCombinations, DEFAULT_AGGREGATOR_OPTIONS, type AggregatorOptions } from '@sightline/qoe-aggregates';
import { serviceConfigSchema, type ServiceContext, type ServiceSettings } from '@sightline/service-kit';

const d = DEFAULT_AGGREGATOR_OPTIONS;

export const ScorerConfigSchema = serviceConfigSchema(8083, {
  SCORER_TOP_N: Type.Integer({ minimum: 1, maximum: 1000, default: d.topN, description: 'named cohorts per dimension and window; the rest fold into "other"' }),
  SCORER_MAX_TRACKED_VALUES: Type.Integer({
    minimum: 1,
    default: d.maxTrackedValues,
    description: 'distinct values a window tracks per dimension (memory bound); later new values go straight to "other"',
  }),
  SCORER_COMBINATIONS: Type.String({
    default: d.combinations.join(','),
    pattern: '^([a-z_]+(\\+[a-z_]+)+(,[a-z_]+(\\+[a-z_]+)+)*)?$',
    description: 'comma-separated combinations of dimensions to aggregate by, e.g. cdn+asn,cdn+country,title+cdn',
  }),
  SCORER_CUSTOM_DIMENSIONS: Type.String({
    default: d.customDimensions.join(','),
    pattern: '^(\\*|([a-z][a-z0-9_]{0,31}(,[a-z][a-z0-9_]{0,31})*))?$',
    description: 'custom dimensions to aggregate by, comma-separated; * for all a view carries; empty for none',
  }),
  SCORER_WATERMARK_DELAY_MS: Type.Integer({
    minimum: 0,
    default: d.watermarkDelayMs,
    description: 'ms event time runs behind the newest activity before a window closes with its on-time pane (covers the completion silence)',
  }),
  SCORER_ALLOWED_LATENESS_MS: Type.Integer({ minimum: 0, default: d.allowedLatenessMs, description: 'ms after its on-time pane a window still takes late activity' }),
  SCORER_EARLY_PANE_MS: Type.Integer({ minimum: 100, default: d.earlyEveryMs, description: 'ms between early panes of an open minute window' }),
  SCORER_IDLE_AFTER_MS: Type.Integer({ minimum: 0, default: d.idleAfterMs, description: 'ms without any activity after which event time follows the clock' }),
  SCORER_VIEW_STATE_TTL_HOURS: Type.Number({ exclusiveMinimum: 0, default: 2, description: 'hours the scorer remembers a view after its last snapshot (longer than the sessionizer\'s finalization)' }),
});

/** The scorer's configuration, as its schema types it. */
export type ScorerConfig = ServiceSettings<typeof ScorerConfigSchema>;

/** What the scorer's stages are built from. */
export type StageContext = Pick<ServiceContext<ScorerConfig>, 'config' | 'topology' | 'metrics' | 'logger'>;

const list = (text: string): string[] => text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);

/** The aggregator's options from the configuration; a bad combination is refused with the reason. */
export function aggregatorOptions(c: ScorerConfig): AggregatorOptions {
  return {
    topN: c.SCORER_TOP_N,
    maxTrackedValues: Math.max(c.SCORER_MAX_TRACKED_VALUES, c.SCORER_TOP_N),
    combinations: checkCombinations(list(c.SCORER_COMBINATIONS)),
    customDimensions: list(c.SCORER_CUSTOM_DIMENSIONS),
    watermarkDelayMs: c.SCORER_WATERMARK_DELAY_MS,
    allowedLatenessMs: c.SCORER_ALLOWED_LATENESS_MS,
    earlyEveryMs: c.SCORER_EARLY_PANE_MS,
    idleAfterMs: c.SCORER_IDLE_AFTER_MS,
  };
}
