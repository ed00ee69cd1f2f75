import {
  PREDICTION_MODEL_VERSION,
  type PredictionModel,
  type ProgressPrediction,
  type ProgressPredictionRequest,
  type StartPrediction,
  type StartPredictionRequest,
} from '@sightline/contracts';
import { estimate, evidenceOf, round1, viewStrengthMinutes } from './estimate';
import { EBVS, LOG_STARTUP, LOG_THROUGHPUT, STALLED, STALL_RATE } from './quantities';

/** Share of the cohort's geometric-mean throughput recommended as the start bitrate. */
export const START_BITRATE_SAFETY = 0.7;
const DEFAULT_HORIZON_MS = 30_000;

const risk = (p: number) => Math.round(p * 10_000) / 10_000;

/** Predictions for a view about to start in `request.context`. */
export function predictStart(model: PredictionModel, request: StartPredictionRequest): StartPrediction {
  const { context } = request;
  const ebvs = estimate(model, context, EBVS);
  const stall = estimate(model, context, STALLED);
  const startup = estimate(model, context, LOG_STARTUP);
  const throughput = estimate(model, context, LOG_THROUGHPUT);
  return {
    v: 1,
    property_id: request.property_id,
    model_version: PREDICTION_MODEL_VERSION,
    model_at: model.views_learned > 0 ? model.at : null,
    start_bitrate_bps: { value: Math.round(START_BITRATE_SAFETY * Math.exp(throughput.value) * 1e6), n: round1(throughput.n) },
    startup_time_ms: { value: Math.round(Math.exp(startup.value) * 1000), n: round1(startup.n) },
    exit_before_start_risk: { value: risk(ebvs.value), n: round1(ebvs.n) },
    stall_risk: { value: risk(stall.value), n: round1(stall.n) },
    evidence: evidenceOf(model, context),
  };
}

/**
 * The risk that a view in progress stalls within the horizon: its cohort's stall rate per watch
 * minute, updated with the view's own stalls so far (gamma-Poisson), as P(at least one stall) =
 * 1 - exp(-rate * horizon).
 */
export function predictProgress(model: PredictionModel, request: ProgressPredictionRequest): ProgressPrediction {
  const horizonMs = request.horizon_ms ?? DEFAULT_HORIZON_MS;
  const cohort = estimate(model, request.context, STALL_RATE);
  const strength = viewStrengthMinutes(model);
  const minutes = request.progress.watch_time_ms / 60_000;
  const rate = (request.progress.rebuffer_count + strength * cohort.value) / (minutes + strength);
  return {
    v: 1,
    property_id: request.property_id,
    model_version: PREDICTION_MODEL_VERSION,
    model_at: model.views_learned > 0 ? model.at : null,
    horizon_ms: horizonMs,
    stall_soon_risk: { value: risk(1 - Math.exp(-rate * (horizonMs / 60_000))), n: round1(cohort.n) },
    stall_rate_per_minute: { cohort: Math.round(cohort.value * 10_000) / 10_000, view: Math.round(rate * 10_000) / 10_000 },
    evidence: evidenceOf(model, request.context),
  };
}
