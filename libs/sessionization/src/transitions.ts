import type { PlayerEvent } from '@sightline/contracts';
import type { Phase, ViewState } from './view-state';

const IN_VIEW: ReadonlySet<Phase> = new Set(['starting', 'playing', 'rebuffering', 'seeking']);

/** A seek that starts within this long of the previous one is the same seek (docs/metrics.md#seeks). */
export const SEEK_MERGE_MS = 2000;
/** A playhead this far behind the device clock while playing is a stall, for players that report none (docs/metrics.md#stalls-inferred-from-the-playhead). */
export const STALL_INFERENCE_MS = 1000;
/** More device time than this without the playhead moving while playing is a clock jump (sleep/wake; docs/metrics.md#clock-checks). */
export const CLOCK_JUMP_MS = 60_000;

function flag(state: ViewState, name: ViewState['flags'][number]): void {
  if (!state.flags.includes(name)) state.flags.push(name);
}

/** min(player / source) over both axes for the current rendition and player size; 1 when unknown (docs/metrics.md#scaling). */
function currentScale(state: ViewState): number {
  const { sourceWidth, sourceHeight, playerWidth, playerHeight } = state;
  if (!sourceWidth || !sourceHeight || !playerWidth || !playerHeight) return 1;
  return Math.min(playerWidth / sourceWidth, playerHeight / sourceHeight);
}

/** Upscale factor minus one; 0 when unknown or not upscaled. */
const currentUpscale = (state: ViewState): number => Math.max(0, currentScale(state) - 1);
/** One minus the scale when the rendition is larger than the player; 0 otherwise. */
const currentDownscale = (state: ViewState): number => Math.max(0, 1 - currentScale(state));

/** Stuck time below this in a step opens no inferred stall: the playhead's own jitter (docs/metrics.md#stalls-inferred-from-the-playhead). */
export const STALL_NOISE_MS = 250;
/** An open inferred stall ends in a step where the playhead advanced at least this much (a nudge of 0.1 s is not a resume). */
export const STALL_RESUME_MS = 250;

/** Playing time at the rendition and scale on screen now, or at those of `at` (held stuck time: those it was stuck at). */
function accruePlaying(state: ViewState, ms: number, at: OnScreen = onScreen(state)): void {
  if (ms <= 0) return;
  state.playingMs += ms;
  if (at.bitrateBps !== null) {
    state.bitrateMsSum += at.bitrateBps * ms;
    state.bitrateMs += ms;
  }
  state.upscaleMsSum += at.upscale * ms;
  state.downscaleMsSum += at.downscale * ms;
  state.upscaleMs += ms;
}

type OnScreen = NonNullable<ViewState['heldStuckAt']>;
const onScreen = (state: ViewState): OnScreen => ({ bitrateBps: state.bitrateBps, upscale: currentUpscale(state), downscale: currentDownscale(state) });

/**
 * Adds stuck time to the open inferred stall. The 1 s threshold is judged on the whole stall:
 * until it is reached the time is held (watch time, neither playing nor rebuffering); once it
 * is, the stall is counted and all its time is rebuffering.
 */
function extendInferredStall(state: ViewState, stuck: number): void {
  state.watchMs += stuck;
  state.inferredStallMs += stuck;
  if (state.inferredStallCounted) {
    state.rebufferMs += stuck;
  } else if (state.inferredStallMs >= STALL_INFERENCE_MS) {
    state.inferredStallCounted = true;
    state.rebufferCount++;
    state.inferredStalls++;
    state.rebufferMs += state.inferredStallMs;
  }
}

/** Stuck time held as a possible stall's beginning was playing after all. */
function releaseHeldStuck(state: ViewState): void {
  if (state.heldStuckMs > 0) accruePlaying(state, state.heldStuckMs, state.heldStuckAt ?? onScreen(state));
  state.heldStuckMs = 0;
  state.heldStuckAt = null;
}

/** Ends the open inferred stall, if any, and the held stuck time: held time of a stall shorter than the threshold was playing. */
export function closeInferredStall(state: ViewState): void {
  releaseHeldStuck(state);
  if (!state.inferredStallOpen) return;
  if (!state.inferredStallCounted) accruePlaying(state, state.inferredStallMs);
  state.inferredStallOpen = false;
  state.inferredStallCounted = false;
  state.inferredStallMs = 0;
}

/**
 * Reads a step of a view that was playing, for players that report no stalls: device time the
 * playhead did not follow is a stall, one stall across as many steps (events) as it lasts.
 * Returns the device time left for the phase (playing).
 */
function inferStall(state: ViewState, event: PlayerEvent, elapsed: number): number {
  const advanced = Math.max(0, event.playhead_ms - state.lastPlayheadMs!);
  const stuck = Math.max(0, elapsed - advanced);
  if (stuck > CLOCK_JUMP_MS) {
    flag(state, 'clock_jumped');
    closeInferredStall(state);
    return Math.min(elapsed, advanced);
  }
  if (state.reportsRebuffers) {
    releaseHeldStuck(state);
    return elapsed;
  }
  if (state.inferredStallOpen) {
    // The stall went on into this step; where the playhead moved again, it ended here.
    extendInferredStall(state, stuck);
    if (advanced >= STALL_RESUME_MS) closeInferredStall(state);
    return elapsed - stuck;
  }
  // Stuck time is held (watch time only) as a stall's possible beginning, taken to lie at the end
  // of its step: across the steps that follow without the playhead resuming, it adds up, so a
  // stall whose first step was cut short by an event (a request completing 20 ms into it) loses
  // nothing. A step where the playhead resumed releases what was held before it, as playing.
  if (advanced >= STALL_RESUME_MS) releaseHeldStuck(state);
  const held = state.heldStuckMs + stuck;
  if (held < STALL_NOISE_MS) {
    state.heldStuckMs = held;
    state.watchMs += stuck;
    // Released, it is playing time at the rendition on screen now (the event ending this step may change it).
    if (stuck > 0) state.heldStuckAt = onScreen(state);
    return elapsed - stuck;
  }
  // The stall opens with all the held time, which is in watch time already (the stall adds it again).
  state.watchMs -= state.heldStuckMs;
  state.heldStuckMs = 0;
  state.heldStuckAt = null;
  state.inferredStallOpen = true;
  state.inferredStallCounted = false;
  state.inferredStallMs = 0;
  extendInferredStall(state, held);
  return elapsed - stuck;
}

/**
 * Attributes the device time since the previous event to the phase the view was in. A clock that
 * went backwards accrues nothing; while playing, device time the playhead did not follow is a
 * stall (inferred, for players that report none) or, beyond CLOCK_JUMP_MS, a clock jump that
 * accrues nothing. Both are flagged. Definitions: docs/metrics.md#watch-time-and-playing-time,
 * #rebuffering, #stalls-inferred-from-the-playhead, #clock-checks and #ads.
 */
function accrue(state: ViewState, event: PlayerEvent): void {
  if (state.lastEventAt > 0 && event.ts < state.lastEventAt) {
    flag(state, 'clock_went_backwards');
    return;
  }
  let elapsed = state.lastEventAt > 0 ? event.ts - state.lastEventAt : 0;
  if (elapsed === 0) return;
  // A seek event may carry the seek's target as its playhead: no stall or clock jump is read from it.
  if (state.phase === 'playing' && state.lastPlayheadMs !== null && event.type !== 'seeking') {
    elapsed = inferStall(state, event, elapsed);
    if (elapsed <= 0) return;
  }
  if (state.phase === 'ad') {
    state.adMs += elapsed;
    if (state.firstFrameAt === null && state.playRequestedAt !== null) state.startupAdMs += elapsed;
    return;
  }
  if (IN_VIEW.has(state.phase)) state.watchMs += elapsed;
  if (state.phase === 'rebuffering') state.rebufferMs += elapsed;
  if (state.phase === 'seeking') state.seekingMs += elapsed;
  if (state.phase === 'playing') accruePlaying(state, elapsed);
}

/** Carries the delta-encoded fields forward and counts shifts (docs/metrics.md#bitrate-and-renditions). */
function carryFields(state: ViewState, event: PlayerEvent): void {
  if (event.rendition) {
    const before = state.bitrateBps;
    if (before !== null && event.rendition.bitrate_bps > before) state.upshifts++;
    if (before !== null && event.rendition.bitrate_bps < before) state.downshifts++;
    state.bitrateBps = event.rendition.bitrate_bps;
    if (event.rendition.width !== undefined) state.sourceWidth = event.rendition.width;
    if (event.rendition.height !== undefined) state.sourceHeight = event.rendition.height;
  }
  if (event.player_width !== undefined) state.playerWidth = event.player_width;
  if (event.player_height !== undefined) state.playerHeight = event.player_height;
}

function trackMaxUpscale(state: ViewState): void {
  if (state.phase === 'playing') {
    state.maxUpscale = Math.max(state.maxUpscale, currentUpscale(state));
    state.maxDownscale = Math.max(state.maxDownscale, currentDownscale(state));
  }
}

/** Applies one event, in sequence order, to the view (the phases of docs/metrics.md#phases). */
export function applyEvent(state: ViewState, event: PlayerEvent): void {
  // A player that reports stalls is trusted from its first report on, including this one.
  if (event.type === 'rebufferstart') state.reportsRebuffers = true;
  accrue(state, event);
  state.firstEventAt = Math.min(state.firstEventAt, event.ts);
  state.lastEventAt = Math.max(state.lastEventAt, event.ts);
  state.lastPlayheadMs = event.playhead_ms;
  carryFields(state, event);
  countRequest(state, event);
  countAd(state, event);
  // Live latency, docs/metrics.md#live-latency.
  if (event.program_date_time !== undefined && event.ts >= event.program_date_time) {
    state.liveLatencyMsSum += event.ts - event.program_date_time;
    state.liveLatencyCount++;
  }
  // Anything that takes the view out of playing ends an inferred stall (a fatal error included: the
  // stall counts, up to the error); heartbeats, requests and renditions do not.
  if (LEAVES_PLAYING.has(event.type) && (event.type !== 'error' || event.error?.fatal === true)) closeInferredStall(state);
  if (state.phase === 'ad' && applyInAd(state, event)) return;
  if (state.phase === 'ended' || state.phase === 'failed') {
    if (event.type === 'play') {
      state.phase = 'starting';
    } else {
      return;
    }
  }
  switch (event.type) {
    case 'play':
      if (state.playRequestedAt === null) state.playRequestedAt = event.ts;
      if (state.phase === 'idle' || state.phase === 'paused') state.phase = 'starting';
      break;
    case 'playing':
      if (state.firstFrameAt === null) {
        state.firstFrameAt = event.ts;
        if (state.playRequestedAt === null) state.playRequestedAt = state.firstEventAt;
      }
      endSeek(state, event.ts);
      state.phase = 'playing';
      break;
    case 'pause':
      state.seekStartedAt = null;
      state.lastSeekLatencyMs = null;
      state.phase = 'paused';
      break;
    case 'seeking':
      // Before the first frame a seek is the engine's (a live player joining at the live edge, a
      // start position): its time is startup, and it is not a seek (docs/metrics.md#seeks).
      if (state.firstFrameAt === null) break;
      state.seekWhilePaused = state.phase === 'paused' || (state.phase === 'seeking' && state.seekWhilePaused);
      startSeek(state, event.ts);
      state.phase = 'seeking';
      break;
    case 'seeked':
      // A seek made while paused ends when the frame is found: the viewer is still paused.
      if (state.phase === 'seeking' && state.seekWhilePaused) {
        endSeek(state, event.ts);
        state.phase = 'paused';
      }
      break;
    case 'rebufferstart':
      // Stalls before the first frame belong to startup; stalls inside a seek to the seek (docs/metrics.md#rebuffering).
      if (state.firstFrameAt !== null && (state.phase === 'playing' || state.phase === 'starting')) {
        state.phase = 'rebuffering';
        state.rebufferCount++;
      }
      break;
    case 'rebufferend':
      if (state.phase === 'rebuffering') state.phase = 'playing';
      break;
    case 'error':
      // docs/metrics.md#exits-and-failures
      if (event.error?.fatal) {
        state.fatalError = true;
        if (event.error.business) state.businessError = true;
        else state.technicalFatal = true;
        state.phase = 'failed';
      }
      break;
    case 'ended':
      state.phase = 'ended';
      break;
    case 'adbreakstart':
      state.adBreaks++;
      state.phaseBeforeAd = state.phase;
      state.phase = 'ad';
      break;
    default:
      break;
  }
  trackMaxUpscale(state);
}

/** Events that end the playing phase, and with it an inferred stall. */
const LEAVES_PLAYING: ReadonlySet<PlayerEvent['type']> = new Set(['pause', 'seeking', 'ended', 'error', 'rebufferstart', 'viewend', 'videochange', 'adbreakstart']);

/** The ad events, wherever they come (docs/metrics.md#ads). */
function countAd(state: ViewState, event: PlayerEvent): void {
  switch (event.type) {
    case 'adplay':
      state.adPlayAt = event.ts;
      break;
    case 'adplaying':
      if (state.adPlayAt !== null) {
        state.adStartupMsSum += Math.max(0, event.ts - state.adPlayAt);
        state.adsStarted++;
        state.adPlayAt = null;
      }
      break;
    case 'aderror':
      state.adErrors++;
      state.adPlayAt = null;
      break;
    default:
      break;
  }
}

/**
 * In an ad break the content's events change nothing but the play request; the break ends at
 * `adbreakend` (content startup goes on, or the content waits paused for its `playing`), a fatal
 * error or `ended`. Returns true when the event was taken here.
 */
function applyInAd(state: ViewState, event: PlayerEvent): boolean {
  switch (event.type) {
    case 'play':
      if (state.playRequestedAt === null) state.playRequestedAt = event.ts;
      return true;
    case 'adbreakend': {
      const before = state.phaseBeforeAd ?? 'idle';
      state.phaseBeforeAd = null;
      if (state.firstFrameAt === null) state.phase = state.playRequestedAt !== null ? 'starting' : 'idle';
      else state.phase = before === 'ended' || before === 'failed' || before === 'paused' ? before : 'paused';
      return true;
    }
    case 'error':
    case 'ended':
      state.phaseBeforeAd = null;
      return false;
    default:
      return true;
  }
}

function endSeek(state: ViewState, at: number): void {
  if (state.seekStartedAt === null) return;
  const latency = Math.max(0, at - state.seekStartedAt);
  state.seekLatencyMsSum += latency;
  state.seeksCompleted++;
  state.lastSeekLatencyMs = latency;
  state.seekStartedAt = null;
}

/** A new seek, or the continuation of one that started less than SEEK_MERGE_MS before. */
function startSeek(state: ViewState, at: number): void {
  const merges = state.lastSeekAt !== null && at - state.lastSeekAt < SEEK_MERGE_MS;
  state.lastSeekAt = at;
  if (!merges) {
    state.seekCount++;
    state.seekStartedAt = at;
    state.lastSeekStartedAt = at;
    state.lastSeekLatencyMs = null;
    return;
  }
  if (state.seekStartedAt === null && state.lastSeekLatencyMs !== null) {
    // The previous seek had finished: it continues, and its latency is measured to the new end.
    state.seekLatencyMsSum -= state.lastSeekLatencyMs;
    state.seeksCompleted--;
    state.seekStartedAt = state.lastSeekStartedAt;
  }
  state.seekStartedAt ??= at;
}

/** docs/metrics.md#network-requests */
function countRequest(state: ViewState, event: PlayerEvent): void {
  if (event.type === 'requestfailed') {
    state.requests++;
    state.requestsFailed++;
  } else if (event.type === 'requestcompleted') {
    state.requests++;
    const r = event.request;
    if (r?.bytes !== undefined && r.duration_ms !== undefined && r.duration_ms > 0) {
      state.requestBits += r.bytes * 8;
      state.requestMs += r.duration_ms;
    }
    if (r?.ttfb_ms !== undefined) {
      state.ttfbMsSum += r.ttfb_ms;
      state.ttfbCount++;
    }
  }
}
