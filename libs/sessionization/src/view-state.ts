import type { ClientDimensions, PlayerEvent, ViewContext } from '@sightline/contracts';

/** Where the player is, as far as its events tell. */
export type Phase = 'idle' | 'starting' | 'playing' | 'paused' | 'rebuffering' | 'seeking' | 'ad' | 'ended' | 'failed';

/**
 * Everything the sessionizer keeps about one view. Plain JSON, so it can be checkpointed and
 * restored as it is; every duration is measured on the device clock between events.
 */
export interface ViewState {
  readonly viewId: string;
  readonly propertyId: string;
  context: ViewContext;
  /** Location, network and device from the first beacon's enrichment (absent in states saved before 1.2). */
  client?: ClientDimensions;
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
  downscaleMsSum: number;
  maxDownscale: number;
  /** Time in the seeking phase. */
  seekingMs: number;
  /** Events dropped as duplicates (same sequence number seen before). */
  duplicates: number;
  seekCount: number;
  /** Device time the current seek started (null when not seeking), and the last seek's start. */
  seekStartedAt: number | null;
  lastSeekAt: number | null;
  /** The current seek started while paused: it ends at `seeked`, back in the paused phase. */
  seekWhilePaused: boolean;
  /** Start of the last seek and its latency, should the next seek continue it. */
  lastSeekStartedAt: number | null;
  lastSeekLatencyMs: number | null;
  seekLatencyMsSum: number;
  seeksCompleted: number;
  upshifts: number;
  downshifts: number;
  /** The player reports its stalls; when it never does, stalls are inferred from the playhead. */
  reportsRebuffers: boolean;
  inferredStalls: number;
  /** A stall inferred from the playhead was still going at the previous event: it goes on. */
  inferredStallOpen: boolean;
  /** Stuck time of that stall so far, and whether it reached the threshold (then it is counted and its time is rebuffering). */
  inferredStallMs: number;
  inferredStallCounted: boolean;
  /** Stuck time, below STALL_NOISE_MS, of the steps since the playhead last resumed: held (watch time) as a stall's possible beginning. */
  heldStuckMs: number;
  /** The rendition and scale while that time was stuck: it is playing time at those if no stall follows. */
  heldStuckAt: { bitrateBps: number | null; upscale: number; downscale: number } | null;
  /** Ad breaks started, the phase an ad break interrupted, time in ad breaks (and the part before the first content frame, after the play request). */
  adBreaks: number;
  phaseBeforeAd: Phase | null;
  adMs: number;
  startupAdMs: number;
  /** Device time of the pending `adplay`, ads that showed a frame, the sum of their startup times, and ad errors. */
  adPlayAt: number | null;
  adsStarted: number;
  adStartupMsSum: number;
  adErrors: number;
  /** Playhead of the last applied event, ms. */
  lastPlayheadMs: number | null;
  liveLatencyMsSum: number;
  liveLatencyCount: number;
  requests: number;
  requestsFailed: number;
  requestBits: number;
  requestMs: number;
  ttfbMsSum: number;
  ttfbCount: number;
  flags: ('clock_went_backwards' | 'clock_jumped' | 'rebuffer_longer_than_view')[];
  /** Server time since which events have waited behind a gap in the sequence (null: no gap). */
  gapSince: number | null;
  /** The sequence number that gap is missing (a new gap restarts the wait). */
  gapAt: number | null;
  /** Sequence numbers given up on after waiting the bounded time for them. */
  gapsSkipped: number;
  /** Server time of the last live update published, and whether applied events wait for the next. */
  lastUpdateAt: number | null;
  updatePending: boolean;
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
    downscaleMsSum: 0,
    maxDownscale: 0,
    seekingMs: 0,
    duplicates: 0,
    seekCount: 0,
    seekStartedAt: null,
    lastSeekAt: null,
    seekWhilePaused: false,
    lastSeekStartedAt: null,
    lastSeekLatencyMs: null,
    seekLatencyMsSum: 0,
    seeksCompleted: 0,
    upshifts: 0,
    downshifts: 0,
    reportsRebuffers: false,
    inferredStalls: 0,
    inferredStallOpen: false,
    inferredStallMs: 0,
    inferredStallCounted: false,
    heldStuckMs: 0,
    heldStuckAt: null,
    adBreaks: 0,
    phaseBeforeAd: null,
    adMs: 0,
    startupAdMs: 0,
    adPlayAt: null,
    adsStarted: 0,
    adStartupMsSum: 0,
    adErrors: 0,
    lastPlayheadMs: null,
    liveLatencyMsSum: 0,
    liveLatencyCount: 0,
    requests: 0,
    requestsFailed: 0,
    requestBits: 0,
    requestMs: 0,
    ttfbMsSum: 0,
    ttfbCount: 0,
    flags: [],
    gapSince: null,
    gapAt: null,
    gapsSkipped: 0,
    lastUpdateAt: null,
    updatePending: false,
  };
}

/**
 * A view state restored from a checkpoint written by an earlier version gets, in place, the
 * initial values of the fields added since, so that an upgrade never breaks a view in flight.
 */
export function upgradeViewState(stored: ViewState): ViewState {
  const defaults = createViewState(stored.viewId, stored.propertyId, stored.lastReceivedAt, stored.context) as unknown as Record<string, unknown>;
  const target = stored as unknown as Record<string, unknown>;
  for (const [field, value] of Object.entries(defaults)) if (!(field in target)) target[field] = value;
  return stored;
}
