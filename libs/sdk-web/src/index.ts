/** `@sightline/web`: the Sightline web player SDK (docs/sdk.md). */
export { monitor } from './monitor';
export type {
  AdCalls,
  AdapterSink,
  Monitor,
  MonitorOptions,
  PlayerAdapter,
  PlayerError,
  Rendition,
  RequestReport,
  ViewMetadata,
} from './types';

/** The SDK's version. */
export const version = '0.1.0';
