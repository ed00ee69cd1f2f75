import type { PlayerEvent, PlayerEventType } from '@sightline/contracts';
import type { ViewerProfile } from './fleet';
import type { Random } from './random';
import type { IncidentKind } from './scenario';
import { downloadSeconds, type NetworkTrace } from './trace';

export interface Rendition {
  readonly bitrate_bps: number;
  readonly width: number;
  readonly height: number;
}

/** The bitrate ladder every simulated title is encoded in. */
export const LADDER: readonly Rendition[] = [
  { bitrate_bps: 300_000, width: 426, height: 240 },
  { bitrate_bps: 750_000, width: 640, height: 360 },
  { bitrate_bps: 1_500_000, width: 854, height: 480 },
  { bitrate_bps: 3_000_000, width: 1280, height: 720 },
  { bitrate_bps: 6_000_000, width: 1920, height: 1080 },
];

export const SEGMENT_S = 4;
const MAX_BUFFER_S = 30;
const MAX_VIEW_S = 4 * 3600;

/** An incident that hits this view's cohort, in absolute time. */
export interface ActiveIncident {
  readonly id: string;
  readonly kind: IncidentKind;
  readonly startAt: number;
  readonly endAt: number;
  readonly intensity: number;
}

export interface ViewInput {
  readonly viewId: string;
  /** Wall-clock time of the play request, ms since the epoch. */
  readonly startAt: number;
  readonly profile: ViewerProfile;
  readonly trace: NetworkTrace;
  /** Where in the trace the view starts, seconds. */
  readonly traceOffsetS: number;
  readonly incidents: readonly ActiveIncident[];
  readonly random: Random;
}

export interface ViewOutcome {
  readonly started: boolean;
  readonly startupMs: number | null;
  readonly rebuffers: number;
  readonly failed: boolean;
  readonly exitedBeforeStart: boolean;
  /** Incidents that were active while this view played. */
  readonly incidentIds: readonly string[];
}

export interface SimulatedView {
  readonly viewId: string;
  readonly profile: ViewerProfile;
  readonly startAt: number;
  readonly endAt: number;
  readonly events: readonly PlayerEvent[];
  readonly outcome: ViewOutcome;
}

type State = 'starting' | 'playing' | 'rebuffering' | 'paused' | 'seeking' | 'ended';

interface Pending {
  readonly t: number;
  readonly order: number;
  readonly type: PlayerEventType;
  readonly playhead: number;
  readonly extra?: Partial<PlayerEvent>;
}

/**
 * One view played by an ABR player over a real network trace: segments of 4 s downloaded at the
 * trace's throughput (scaled by the access network, slowed or failed by incidents), a buffer
 * that plays out in real time, a throughput-and-buffer rule choosing the rendition, stalls when
 * the buffer runs dry, and a viewer who pauses, seeks, gives up on a slow start or a long stall,
 * and leaves when they have watched what they meant to. Deterministic given `random`.
 */
export function simulateView(input: ViewInput): SimulatedView {
  const { profile, random, trace } = input;
  const events: Pending[] = [];
  const incidentIds = new Set<string>();
  let order = 0;
  let t = 0;
  let playhead = 0;
  let buffer = 0;
  let state: State = 'starting';
  let stallStart = 0;
  let rebuffers = 0;
  let startupMs: number | null = null;
  let failed = false;
  let pausedUntil = 0;
  const live = profile.title.live;
  const contentEnd = live ? Number.POSITIVE_INFINITY : profile.title.durationS;
  const watchEnd = Math.min(profile.intendedWatchS, contentEnd);
  let pauseAt = profile.pauses ? random.between(15, Math.max(16, watchEnd * 0.8)) : undefined;
  const pauseFor = random.between(5, 40);
  let seekAt = profile.seeks && !live ? random.between(10, Math.max(11, watchEnd * 0.7)) : undefined;
  const seekBy = random.between(30, 300);

  const emit = (type: PlayerEventType, extra?: Partial<PlayerEvent>) => events.push({ t, order: order++, type, playhead, ...(extra ? { extra } : {}) });
  const active = (kind: IncidentKind, at: number): ActiveIncident | undefined => {
    const abs = input.startAt + at * 1000;
    const hit = input.incidents.find((i) => i.kind === kind && abs >= i.startAt && abs < i.endAt);
    if (hit) incidentIds.add(hit.id);
    return hit;
  };
  const throughputFactor = (at: number): number => {
    let factor = profile.network.speed;
    const slow = active('cdn_slow', at);
    if (slow) factor *= 1 - slow.intensity;
    const outage = active('asn_outage', at);
    if (outage) factor *= (1 - outage.intensity) * 0.1;
    return factor;
  };
  const end = () => {
    emit('viewend');
    state = 'ended';
  };

  /** Lets `d` seconds of wall time pass: playback consumes the buffer; the viewer may act. */
  const pass = (seconds: number) => {
    let d = seconds;
    while (d > 1e-9 && state !== 'ended') {
      if (t > MAX_VIEW_S) return end();
      switch (state) {
        case 'starting':
          if (t + d > profile.startupPatienceS) {
            t = profile.startupPatienceS;
            return end();
          }
          t += d;
          d = 0;
          break;
        case 'rebuffering':
          if (t + d - stallStart > profile.stallPatienceS) {
            t = stallStart + profile.stallPatienceS;
            return end();
          }
          t += d;
          d = 0;
          break;
        case 'seeking':
          t += d;
          d = 0;
          break;
        case 'paused': {
          const step = Math.min(d, pausedUntil - t);
          t += step;
          d -= step;
          if (t >= pausedUntil - 1e-9) {
            emit('play');
            if (buffer > 0) {
              emit('playing');
              state = 'playing';
            } else {
              state = 'seeking';
            }
          }
          break;
        }
        case 'playing': {
          if (pauseAt !== undefined && playhead >= pauseAt - 1e-9) {
            pauseAt = undefined;
            emit('pause');
            state = 'paused';
            pausedUntil = t + pauseFor;
            break;
          }
          if (seekAt !== undefined && playhead >= seekAt - 1e-9) {
            seekAt = undefined;
            emit('seeking');
            playhead = Math.min(contentEnd - SEGMENT_S, playhead + seekBy);
            buffer = 0;
            state = 'seeking';
            break;
          }
          const marks = [watchEnd, pauseAt ?? Number.POSITIVE_INFINITY, seekAt ?? Number.POSITIVE_INFINITY];
          const step = Math.max(0, Math.min(d, buffer, Math.min(...marks) - playhead));
          t += step;
          playhead += step;
          buffer -= step;
          d -= step;
          if (playhead >= watchEnd - 1e-9) {
            if (playhead >= contentEnd - 1e-9) emit('ended');
            return end();
          }
          if (buffer <= 1e-9 && d > 1e-9 && Math.min(...marks) - playhead > 1e-9) {
            emit('rebufferstart');
            rebuffers++;
            stallStart = t;
            state = 'rebuffering';
          }
          break;
        }
      }
    }
  };

  /** The state as the handlers above left it (TypeScript cannot see their assignments). */
  const current = (): State => state;

  emit('playerready', { player_width: profile.device.width, player_height: profile.device.height });
  emit('viewstart');
  emit('play');

  const failing = active('player_version_failing', 0);
  if (failing && random.chance(failing.intensity)) {
    pass(random.between(0.3, 1.5));
    emit('error', { error: { code: 'MEDIA_ERR_DECODE', message: 'decoder initialisation failed', fatal: true } });
    failed = true;
    end();
  }

  let estimate = 1_200_000 * profile.network.speed;
  let level = 0;
  let playingLevel = -1;
  let failures = 0;
  if (current() !== 'ended') pass(random.between(0.05, 0.25));
  while (current() !== 'ended') {
    if (buffer >= MAX_BUFFER_S - SEGMENT_S) {
      // A full buffer: the player waits until a segment's room is free (or the pause ends).
      pass(Math.max(0.1, current() === 'paused' ? pausedUntil - t : buffer - (MAX_BUFFER_S - SEGMENT_S) + 0.1));
      continue;
    }
    const slow = active('cdn_slow', t);
    const ttfb = random.between(0.03, 0.12) + (slow ? 0.6 * slow.intensity : 0);
    const origin = active('origin_errors', t);
    const outage = active('asn_outage', t);
    const refused = (origin && random.chance(origin.intensity * 0.6)) || (outage && random.chance(outage.intensity * 0.7));
    if (refused) {
      const spent = ttfb + random.between(0.3, 2);
      pass(spent);
      if (current() === 'ended') break;
      emit('requestfailed', { request: { kind: 'media', status: origin ? 503 : 0, duration_ms: Math.round(spent * 1000), cdn: profile.cdn } });
      if (++failures >= 4) {
        emit('error', { error: { code: 'NETWORK_ERROR', message: `${failures} segment requests failed in a row`, fatal: true } });
        failed = true;
        end();
        break;
      }
      pass(0.5 * failures);
      continue;
    }
    const rendition = LADDER[level]!;
    const bytes = Math.round(((rendition.bitrate_bps * SEGMENT_S) / 8) * random.between(0.85, 1.15));
    const startedAt = t;
    const seconds = ttfb + downloadSeconds(trace, input.traceOffsetS + t, bytes, (e) => throughputFactor(startedAt + e));
    pass(seconds);
    if (current() === 'ended') break;
    failures = 0;
    emit('requestcompleted', {
      request: { kind: 'media', status: 200, bytes, duration_ms: Math.round(seconds * 1000), ttfb_ms: Math.round(ttfb * 1000), cdn: profile.cdn },
    });
    estimate = 0.7 * estimate + 0.3 * ((bytes * 8) / seconds);
    if (level !== playingLevel) {
      emit('renditionchange', { rendition: { ...rendition } });
      playingLevel = level;
    }
    buffer += SEGMENT_S;
    if (current() === 'starting') {
      startupMs = Math.round(t * 1000);
      emit('playing');
      state = 'playing';
    } else if (current() === 'rebuffering' || current() === 'seeking') {
      if (current() === 'seeking') emit('seeked');
      else emit('rebufferend');
      emit('playing');
      state = 'playing';
    }
    let next = 0;
    while (next + 1 < LADDER.length && LADDER[next + 1]!.bitrate_bps <= 0.8 * estimate) next++;
    if (buffer < 8) next = Math.min(next, level);
    else if (next > level + 1) next = level + 1;
    level = next;
  }

  const span = t;
  const sorted = events.filter((e) => e.t <= span + 1e-9).sort((a, b) => a.t - b.t || a.order - b.order);
  const withBeats = addHeartbeats(sorted, span);
  let lastTs = -1;
  // Live players report the program date time at the playhead: behind the live edge by their latency.
  const liveLatencyMs = live ? Math.round(random.fork('live-latency').between(6000, 20_000)) : 0;
  const playerEvents: PlayerEvent[] = withBeats.map((e, seq) => {
    const ts = Math.max(lastTs, Math.round(input.startAt + e.t * 1000));
    lastTs = ts;
    const pdt = live && (e.type === 'heartbeat' || e.type === 'playing') ? { program_date_time: ts - liveLatencyMs } : {};
    return { seq, type: e.type, ts, playhead_ms: Math.round(e.playhead * 1000), ...e.extra, ...pdt };
  });
  return {
    viewId: input.viewId,
    profile,
    startAt: input.startAt,
    endAt: playerEvents.at(-1)!.ts,
    events: playerEvents,
    outcome: {
      started: startupMs !== null,
      startupMs,
      rebuffers,
      failed,
      exitedBeforeStart: startupMs === null && !failed,
      incidentIds: [...incidentIds],
    },
  };
}

/** A heartbeat every 10 s of the view, carrying the playhead of the moment. */
function addHeartbeats(events: Pending[], span: number): Pending[] {
  const out: Pending[] = [];
  let i = 0;
  let last: Pending | undefined;
  let playing = false;
  for (let beat = 10; beat < span; beat += 10) {
    while (i < events.length && events[i]!.t <= beat) {
      last = events[i]!;
      if (last.type === 'playing') playing = true;
      if (['pause', 'rebufferstart', 'seeking', 'viewend', 'error'].includes(last.type)) playing = false;
      out.push(last);
      i++;
    }
    const playhead = last ? last.playhead + (playing ? beat - last.t : 0) : 0;
    out.push({ t: beat, order: -1, type: 'heartbeat', playhead });
  }
  while (i < events.length) out.push(events[i++]!);
  return out;
}
