export { onBatch, onTick, nextDeadline, DEFAULT_TIMING } from './sessionizer';
export type { SessionizerOutput, SessionizerTiming } from './sessionizer';
export type { ViewState, Phase } from './view-state';
export { snapshotOf } from './view-snapshot';
export { stepView, stepViewTimer, viewKey } from './view-step';
export type { SessionizerOptions, ViewStep } from './view-step';
