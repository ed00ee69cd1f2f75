export { type Window } from './window';
export { tumbling, sliding, session, global, WindowingError, type WindowAssigner } from './assigners';
export { BoundedOutOfOrderness, CombinedWatermark, type SavedCombinedWatermark } from './watermarks';
export { count, sum, maxBy, mean, quantiles, saveSketch, loadSketch, type AggregateFunction, type QuantileResult } from './aggregates';
export { WindowOperator, type Pane, type PaneTiming, type LateElement, type TriggerOptions, type WindowOptions, type ProcessResult, type OperatorSnapshot } from './window-operator';
