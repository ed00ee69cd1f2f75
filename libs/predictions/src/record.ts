import type { PredictionContext, ScoredView } from '@sightline/contracts';

/** What a completed view teaches the model: what it ended up as. */
export interface ViewOutcome {
  readonly started: boolean;
  readonly exited_before_start: boolean;
  /** Play request to first frame, ms; null when the view never started. */
  readonly startup_time_ms: number | null;
  readonly rebuffer_count: number;
  readonly watch_time_ms: number;
  readonly weighted_average_bitrate_bps: number | null;
  /** Throughput of the view's media requests, when the player reported them. */
  readonly request_throughput_bps: number | null;
}

/** One completed view, as the model learns it: the context known before it started and its outcome. */
export interface TrainingRecord {
  readonly context: PredictionContext;
  readonly outcome: ViewOutcome;
}

/** The prediction context of a view: the cohort dimensions known before its first frame. */
export function contextOf(scored: Pick<ScoredView, 'context' | 'client'>): PredictionContext {
  const title = scored.context.video_title ?? scored.context.video_id;
  const context: { -readonly [K in keyof PredictionContext]: PredictionContext[K] } = {};
  if (scored.client?.device_type) context.device_type = scored.client.device_type;
  if (scored.client?.asn !== undefined) context.asn = scored.client.asn;
  if (scored.client?.country) context.country = scored.client.country;
  if (scored.context.cdn) context.cdn = scored.context.cdn;
  if (title) context.title = title;
  if (scored.context.stream_type) context.stream_type = scored.context.stream_type;
  return context;
}

/** The training record of a final score. */
export function recordOf(scored: Pick<ScoredView, 'context' | 'client' | 'metrics'>): TrainingRecord {
  const m = scored.metrics;
  return {
    context: contextOf(scored),
    outcome: {
      started: m.started,
      exited_before_start: m.exited_before_start,
      startup_time_ms: m.started ? m.startup_time_ms : null,
      rebuffer_count: m.rebuffer_count,
      watch_time_ms: m.watch_time_ms,
      weighted_average_bitrate_bps: m.weighted_average_bitrate_bps,
      request_throughput_bps: m.request_throughput_bps ?? null,
    },
  };
}
