import type { PlayerEvent } from '@sightline/contracts';
import type { Phase, ViewState } from './view-state';

const IN_VIEW: ReadonlySet<Phase> = new Set(['starting', 'playing', 'rebuffering', 'seeking']);

/** Upscale factor minus one for the current rendition and player size; 0 when unknown. */
function currentUpscale(state: ViewState): number {
  const { sourceWidth, sourceHeight, playerWidth, playerHeight } = state;
  if (!sourceWidth || !sourceHeight || !playerWidth || !playerHeight) return 0;
  const scale = Math.min(playerWidth / sourceWidth, playerHeight / sourceHeight);
  return Math.max(0, scale - 1);
}

/** Attributes the device time since the previous event to the phase the view was in. */
function accrue(state: ViewState, at: number): void {
  const elapsed = state.lastEventAt > 0 ? Math.max(0, at - state.lastEventAt) : 0;
  if (elapsed === 0) return;
  if (IN_VIEW.has(state.phase)) state.watchMs += elapsed;
  if (state.phase === 'rebuffering') state.rebufferMs += elapsed;
  if (state.phase === 'playing') {
    state.playingMs += elapsed;
    if (state.bitrateBps !== null) {
      state.bitrateMsSum += state.bitrateBps * elapsed;
      state.bitrateMs += elapsed;
    }
    state.upscaleMsSum += currentUpscale(state) * elapsed;
    state.upscaleMs += elapsed;
  }
}

function carryFields(state: ViewState, event: PlayerEvent): void {
  if (event.rendition) {
    state.bitrateBps = event.rendition.bitrate_bps;
    if (event.rendition.width !== undefined) state.sourceWidth = event.rendition.width;
    if (event.rendition.height !== undefined) state.sourceHeight = event.rendition.height;
  }
  if (event.player_width !== undefined) state.playerWidth = event.player_width;
  if (event.player_height !== undefined) state.playerHeight = event.player_height;
}

function trackMaxUpscale(state: ViewState): void {
  if (state.phase === 'playing') state.maxUpscale = Math.max(state.maxUpscale, currentUpscale(state));
}

/** Applies one event, in sequence order, to the view. */
export function applyEvent(state: ViewState, event: PlayerEvent): void {
  accrue(state, event.ts);
  state.firstEventAt = Math.min(state.firstEventAt, event.ts);
  state.lastEventAt = Math.max(state.lastEventAt, event.ts);
  carryFields(state, event);
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
      state.phase = 'playing';
      break;
    case 'pause':
      state.phase = 'paused';
      break;
    case 'seeking':
      state.phase = 'seeking';
      break;
    case 'rebufferstart':
      // Stalls before the first frame belong to startup; stalls inside a seek to the seek.
      if (state.firstFrameAt !== null && (state.phase === 'playing' || state.phase === 'starting')) {
        state.phase = 'rebuffering';
        state.rebufferCount++;
      }
      break;
    case 'rebufferend':
      if (state.phase === 'rebuffering') state.phase = 'playing';
      break;
    case 'error':
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
    default:
      break;
  }
  trackMaxUpscale(state);
}
