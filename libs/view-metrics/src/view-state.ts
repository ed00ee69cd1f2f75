import type { PlayerEvent, ViewContext } from '@sightline/contracts';

/** Where the player is, as far as its events tell. */
export type Phase = 'idle' | 'starting' | 'playing' | 'paused' | 'rebuffering' | 'seeking' | 'ended' | 'failed';

/**
 * Everything the sessionizer keeps about one view. Plain JSON, so it can be checkpointed and
 * restored as it is; every duration is measured on the device clock between events.
 */
export interface ViewState {
  readonly viewId: string;
  readonly propertyId: string;
  context: ViewContext;
  status: 'active' | 'completed';
  endReason?: 'viewend' | 'inactivity' | 'videochange';
  /** Increases with every published snapshot. */
  revision: number;
  /** The next sequence number to apply; later ones wait in `pending`. */
  nextSeq: number;
  /** Events that arrived ahead of a gap, sorted by sequence number. */
  pending: PlayerEvent[];
  firstEventAt: number;
  lastEventAt: number;
  lastReceivedAt: number;
  phase: Phase;
  playRequestedAt: number | null;
  firstFrameAt: number | null;
  fatalError: boolean;
  businessError: boolean;
  technicalFatal: boolean;
  watchMs: number;
  playingMs: number;
  rebufferCount: number;
  rebufferMs: number;
  /** Current rendition and player size (delta-encoded fields carried forward). */
  bitrateBps: number | null;
  sourceWidth: number | null;
  sourceHeight: number | null;
  playerWidth: number | null;
  playerHeight: number | null;
  /** Sum of bitrate x ms played, and the ms it covers. */
  bitrateMsSum: number;
  bitrateMs: number;
  /** Sum of upscale x ms played, the ms it covers, and the largest upscale seen while playing. */
  upscaleMsSum: number;
  upscaleMs: number;
  maxUpscale: number;
  /** Events dropped as duplicates (same sequence number seen before). */
  duplicates: number;
}

export function createViewState(viewId: string, propertyId: string, receivedAt: number, context: ViewContext = {}): ViewState {
  return {
    viewId,
    propertyId,
    context,
    status: 'active',
    revision: 0,
    nextSeq: 0,
    pending: [],
    firstEventAt: Number.POSITIVE_INFINITY,
    lastEventAt: 0,
    lastReceivedAt: receivedAt,
    phase: 'idle',
    playRequestedAt: null,
    firstFrameAt: null,
    fatalError: false,
    businessError: false,
    technicalFatal: false,
    watchMs: 0,
    playingMs: 0,
    rebufferCount: 0,
    rebufferMs: 0,
    bitrateBps: null,
    sourceWidth: null,
    sourceHeight: null,
    playerWidth: null,
    playerHeight: null,
    bitrateMsSum: 0,
    bitrateMs: 0,
    upscaleMsSum: 0,
    upscaleMs: 0,
    maxUpscale: 0,
    duplicates: 0,
  };
}
