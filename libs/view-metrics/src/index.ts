export { onBatch, onTick, COMPLETION_SILENCE_MS } from './sessionizer';
export type { SessionizerOutput } from './sessionizer';
export { createViewState } from './view-state';
export type { ViewState, Phase } from './view-state';
export { metricsOf, snapshotOf } from './view-metrics';
