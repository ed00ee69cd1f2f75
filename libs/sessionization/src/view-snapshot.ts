import type { ViewMetrics, ViewSnapshot } from '@sightline/contracts';
import type { ViewState } from './view-state';

const ratio = (part: number, whole: number): number => (whole > 0 ? part / whole : 0);

/** The per-view metrics of docs/metrics.md#per-view-metrics, from the view's state. */
export function metricsOf(state: ViewState): ViewMetrics {
  const started = state.firstFrameAt !== null;
  const startFailed = !started && state.fatalError;
  return {
    startup_time_ms: started && state.playRequestedAt !== null ? Math.max(0, state.firstFrameAt! - state.playRequestedAt - state.startupAdMs) : null,
    started,
    // A view that never asked to play (a player loaded, CMCD request-mode data only) did not exit a start.
    exited_before_start: state.status === 'completed' && !started && !state.fatalError && state.playRequestedAt !== null,
    start_failed: startFailed,
    playback_failed: state.technicalFatal,
    watch_time_ms: state.watchMs,
    playing_time_ms: state.playingMs,
    rebuffer_count: state.rebufferCount,
    rebuffer_duration_ms: state.rebufferMs,
    rebuffer_percentage: state.watchMs > 0 ? state.rebufferMs / state.watchMs : 0,
    weighted_average_bitrate_bps: state.bitrateMs > 0 ? state.bitrateMsSum / state.bitrateMs : null,
    max_upscale: state.maxUpscale,
    average_upscale: state.upscaleMs > 0 ? state.upscaleMsSum / state.upscaleMs : 0,
    rebuffering_ratio: ratio(state.rebufferMs, state.playingMs + state.rebufferMs),
    connection_induced_rebuffering_ratio: ratio(state.rebufferMs, state.rebufferMs + state.seekingMs + state.playingMs),
    rebuffer_frequency_per_minute: state.watchMs > 0 ? state.rebufferCount / (state.watchMs / 60_000) : 0,
    seek_buffering_ms: state.seekingMs,
    max_downscale: state.maxDownscale,
    average_downscale: state.upscaleMs > 0 ? state.downscaleMsSum / state.upscaleMs : 0,
    seek_count: state.seekCount,
    seek_latency_ms: state.seeksCompleted > 0 ? state.seekLatencyMsSum / state.seeksCompleted : null,
    upshift_count: state.upshifts,
    downshift_count: state.downshifts,
    inferred_stall_count: state.inferredStalls,
    live_latency_ms: state.liveLatencyCount > 0 ? state.liveLatencyMsSum / state.liveLatencyCount : null,
    request_count: state.requests,
    request_failed_count: state.requestsFailed,
    request_throughput_bps: state.requestMs > 0 ? state.requestBits / (state.requestMs / 1000) : null,
    request_ttfb_mean_ms: state.ttfbCount > 0 ? state.ttfbMsSum / state.ttfbCount : null,
    ad_break_count: state.adBreaks,
    ad_count: state.adsStarted,
    ad_error_count: state.adErrors,
    ad_startup_time_ms: state.adsStarted > 0 ? state.adStartupMsSum / state.adsStarted : null,
    ad_time_ms: state.adMs,
    flags: state.rebufferMs > state.watchMs ? [...state.flags, 'rebuffer_longer_than_view'] : [...state.flags],
  };
}

export function snapshotOf(state: ViewState): ViewSnapshot {
  return {
    v: 1,
    view_id: state.viewId,
    property_id: state.propertyId,
    status: state.status,
    revision: state.revision,
    context: state.context,
    first_event_at: Number.isFinite(state.firstEventAt) ? state.firstEventAt : state.lastEventAt,
    last_event_at: state.lastEventAt,
    last_received_at: state.lastReceivedAt,
    last_seq: state.nextSeq - 1,
    ...(state.endReason ? { end_reason: state.endReason } : {}),
    metrics: metricsOf(state),
    ...(state.client && Object.keys(state.client).length > 0 ? { client: state.client } : {}),
  };
}
