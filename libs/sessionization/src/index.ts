export { onBatch, onTick, nextDeadline, COMPLETION_SILENCE_MS, DEFAULT_TIMING } from './sessionizer';
export type { SessionizerOutput, SessionizerTiming } from './sessionizer';
export { createViewState, upgradeViewState } from './view-state';
export type { ViewState, Phase } from './view-state';
export { metricsOf, snapshotOf } from './view-snapshot';
export { stepView, stepViewTimer, viewKey } from './view-step';
export type { SessionizerSettings, ViewStep } from './view-step';
