/**
 * `monitor(video, options)`: watches an HTMLVideoElement (and the player's adapter, if given) and
 * reports the views of docs/metrics.md to ingest. Nothing here may throw into the page: every
 * listener and public call is guarded, and a failure is logged (with `debug`) and ignored.
 */
import { encodeDeltas, renditionOfFrame, sameRendition, type Sent } from './delta';
import { cleanError, cleanRendition, requestOf, text, viewContext } from './sanitize';
import { Transport, type TransportEnv } from './transport';
import type { AdapterSink, Monitor, MonitorOptions, PlayerError, Rendition, RequestReport, ViewMetadata } from './types';
import { isKey, type EventType, type WireContext, type WireEvent } from './wire';

/** A view with no event for this long is over; the next event starts a new one. */
export const INACTIVITY_MS = 60 * 60_000;
/** How long after `internalSeek()` a `seeking` is still the player's own. */
export const INTERNAL_SEEK_MS = 1_000;
/** Longest wait for the first frame to be presented after `playing`. */
export const FIRST_FRAME_WAIT_MS = 1_000;
/** A `play` event this soon after a call of the element's `play()` is that call's, and timed at the call. */
export const PLAY_CALL_MS = 2_000;
/**
 * A player stall is reported once it has lasted this long, timed from its start: a shorter wait
 * (Shaka's playback rate at 0 for 87 ms) is the noise floor the sessionizer also applies to the
 * stalls it infers (STALL_NOISE_MS, docs/metrics.md#stalls-inferred-from-the-playhead).
 */
export const MIN_STALL_MS = 250;
/** Events that may happen inside a stall without ending it (and warnings: errors not fatal): held while a stall is too short to report. */
const INSIDE_STALL: ReadonlySet<EventType> = new Set(['heartbeat', 'requestcompleted', 'requestfailed', 'renditionchange']);
const insideStall = (event: WireEvent) => INSIDE_STALL.has(event.type) || (event.type === 'error' && event.error?.fatal === false);

type Phase = 'idle' | 'starting' | 'playing' | 'stalled' | 'seeking' | 'paused' | 'ended' | 'failed';

interface View {
  readonly id: string;
  readonly sampled: boolean;
  seq: number;
  readonly sent: Sent;
  /** The source it plays (null: not known yet; the next one seen is its own). */
  src: string | null;
  phase: Phase;
  firstFrame: boolean;
  /** Playhead (ms) where the stall began. */
  stallAt: number;
  seekWhilePaused: boolean;
  /** Playhead (ms) at the last play request. */
  from: number;
  last: number;
}

const now = () => Math.round(performance.timeOrigin + performance.now());

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** SHA-256 of the viewer id, hex, first 32 characters; undefined where crypto.subtle is missing (not a secure context). */
async function hashOf(id: string): Promise<string | undefined> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return undefined;
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(id));
  return Array.from(new Uint8Array(digest).slice(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The element's MediaError codes (HTMLMediaElement.error.code). */
const MEDIA_ERRORS = ['', 'MEDIA_ERR_ABORTED', 'MEDIA_ERR_NETWORK', 'MEDIA_ERR_DECODE', 'MEDIA_ERR_SRC_NOT_SUPPORTED'];

export function monitor(video: HTMLVideoElement, options: MonitorOptions): Monitor {
  const log = (message: string, detail?: unknown) => {
    if (options.debug) console.log(`[sightline] ${message}`, detail ?? '');
  };
  const safe =
    <A extends unknown[]>(fn: (...args: A) => void) =>
    (...args: A): void => {
      try {
        fn(...args);
      } catch (error) {
        log('internal error (ignored)', error);
      }
    };

  const heartbeatMs = Math.max(1_000, options.heartbeatMs ?? 10_000);
  const sampleRate = options.sampleRate ?? 1;
  const reportStalls = options.stalls !== 'playhead';
  const adapter = options.adapter;
  const env: TransportEnv = {
    post: (url, body, keepalive) =>
      fetch(url, { method: 'POST', body, keepalive, credentials: 'omit' }).then(async (response) => ({
        status: response.status,
        retryAfter: response.headers.get('Retry-After'),
        body: await response.json().catch(() => undefined),
      })),
    beacon: (url, body) => typeof navigator.sendBeacon === 'function' && navigator.sendBeacon(url, body),
    online: () => navigator.onLine !== false,
    now,
    random: Math.random,
    setTimer: (run, ms) => setTimeout(safe(run), ms),
    clearTimer: (handle) => clearTimeout(handle as number),
    log,
  };
  const transport = new Transport(
    {
      url: `${options.endpoint.replace(/\/+$/, '')}/v1/beacons?key=${encodeURIComponent(options.key)}`,
      flushMs: Math.max(100, options.flushMs ?? 5_000),
      maxQueuedEvents: Math.max(100, options.maxQueuedEvents ?? 5_000),
    },
    env,
  );

  let metadata: ViewMetadata = options.metadata ?? {};
  let view: View | null = null;
  let renditions: readonly Rendition[] = [];
  let shown: Rendition | undefined;
  /** The rendition the adapter last said is on screen. */
  let adapterShown: Rendition | undefined;
  let cdn: string | undefined;
  let inAd = false;
  let internalSeekAt = -Infinity;
  let internalSeeking = false;
  let pendingSeek: { ts: number; playhead_ms: number; paused: boolean } | undefined;
  let deferredPlaying = false;
  let awaitingFrame = false;
  let frameSeen = false;
  let frameTimer: ReturnType<typeof setTimeout> | undefined;
  let width = 0;
  let height = 0;
  let destroyed = false;
  let lastSrc: string | null = null;
  /** Playhead at a view's end while the element played on: the next view starts without a `play` event. */
  let pendingStart: number | null = null;
  let sizeTimer: ReturnType<typeof setTimeout> | undefined;
  /**
   * The current player stall. Until it has lasted MIN_STALL_MS (`reported` false) the events made
   * meanwhile are held: they go out after its `rebufferstart`, or alone if it ends sooner.
   */
  let stall: { readonly view: View; readonly ts: number; readonly playhead_ms: number; held: { event: WireEvent; key: boolean }[]; reported: boolean; timer?: ReturnType<typeof setTimeout> } | undefined;
  const hashes = new Map<string, Promise<string | undefined>>();
  /**
   * When the page last called `video.play()` on a paused element. The play request is timed at
   * the call, not at the `play` event: the element dispatches that a task later, and a busy main
   * thread (a player parsing segments) delayed it up to 390 ms in Chromium, which startup time
   * would have lost. The element's own `play` is wrapped, and restored by destroy().
   */
  let playCalledAt: number | null = null;
  const ownPlay = Object.prototype.hasOwnProperty.call(video, 'play') ? video.play : undefined;
  const elementPlay = video.play;
  const playWrapper = function (this: HTMLVideoElement): Promise<void> {
    if (this === video && video.paused && !destroyed) playCalledAt = now();
    return elementPlay.call(this);
  };

  const playhead = () => {
    const t = video.currentTime;
    return Number.isFinite(t) && t > 0 ? Math.round(t * 1000) : 0;
  };

  async function contextOf(meta: ViewMetadata): Promise<WireContext> {
    const context = viewContext(meta, { name: adapter?.name ?? 'html5', version: adapter?.version }, cdn, log);
    const viewer = text(meta.viewer_id, 1024);
    if (viewer) {
      let hash = hashes.get(viewer);
      if (!hash) {
        hash = hashOf(viewer).catch(() => undefined);
        hashes.set(viewer, hash);
      }
      const hex = await hash;
      if (hex) context.viewer_id = hex;
      else log('viewer_id left out: crypto.subtle (a secure context) is needed to hash it');
    }
    return context;
  }


  /** `at`: when the view began, where that was before now (a play request dispatched late). */
  function startView(at?: number): View {
    pendingStart = null;
    const sampled = Math.random() < sampleRate;
    const next: View = {
      id: randomId(),
      sampled,
      seq: 0,
      sent: {},
      src: lastSrc,
      phase: 'idle',
      firstFrame: false,
      stallAt: 0,
      seekWhilePaused: false,
      from: playhead(),
      last: at ?? now(),
    };
    view = next;
    log(sampled ? `view ${next.id} starts` : 'view not sampled');
    if (sampled && !destroyed) transport.context(next.id, contextOf(metadata));
    send('viewstart', at === undefined ? undefined : { ts: at });
    return next;
  }

  /** The current view, a new one when there is none or the last went quiet for an hour. */
  function current(at?: number): View {
    if (destroyed && view) return view;
    if (view && now() - view.last > INACTIVITY_MS) {
      log(`view ${view.id} inactive for an hour: a new view`);
      view = null;
    }
    return view ?? startView(at);
  }

  function send(type: EventType, extra?: Partial<WireEvent>, key?: boolean): void {
    if (type !== 'seeking') judgeSeek();
    const v = view;
    if (!v || destroyed) return;
    // An event timed before now (a seek judged a task later, a play request dispatched late) is
    // never timed before the view's previous event: the sessionizer reads that as a clock gone back.
    const ts = extra?.ts === undefined ? now() : Math.max(extra.ts, v.last);
    v.last = ts;
    if (!v.sampled) return;
    const event: WireEvent = { seq: 0, type, playhead_ms: playhead(), ...extra, ts };
    if (stall?.view === v && !stall.reported) {
      if (insideStall(event)) {
        stall.held.push({ event, key: key === true });
        return;
      }
      stallForgotten();
    }
    deliver(v, event, key === true);
  }

  function deliver(v: View, made: WireEvent, key: boolean): void {
    const event: WireEvent = { ...made, seq: v.seq++ };
    encodeDeltas(v.sent, event, shown, width, height);
    log(`event ${event.type}`, event);
    transport.add(v.id, event, key || isKey(event));
  }

  /** The stall lasted MIN_STALL_MS: its `rebufferstart` goes out, timed at its start, then the events held since. */
  function stallReported(): void {
    const pending = stall;
    if (!pending || pending.reported) return;
    pending.reported = true;
    deliver(pending.view, { seq: 0, type: 'rebufferstart', ts: pending.ts, playhead_ms: pending.playhead_ms }, false);
    for (const { event, key } of pending.held.splice(0)) deliver(pending.view, event, key);
  }

  /** No stall (any more): one not yet reported is forgotten and its held events go out. */
  function stallForgotten(): void {
    const pending = stall;
    if (!pending) return;
    stall = undefined;
    clearTimeout(pending.timer);
    for (const { event, key } of pending.held) deliver(pending.view, event, key);
  }

  /** The stall ended: a reported one with `rebufferend`. */
  function stallOver(): void {
    const reported = stall?.reported === true;
    stallForgotten();
    if (reported) send('rebufferend');
  }

  function endView(type: 'viewend' | 'videochange'): void {
    if (!view) return;
    send(type);
    view = null;
  }

  const active = (v: View | null) =>
    v !== null && (inAd || v.phase === 'starting' || v.phase === 'playing' || v.phase === 'stalled' || v.phase === 'seeking');

  transport.onRejected = (id) => {
    if (view?.id === id) {
      view.sent.rendition = undefined;
      view.sent.width = undefined;
    }
  };

  // ---- the element's events ----

  function onPlay(): void {
    const called = playCalledAt !== null && now() - playCalledAt <= PLAY_CALL_MS ? playCalledAt : undefined;
    playCalledAt = null;
    if (inAd && view) return;
    const v = current(called);
    // Already asked to play (the view began as the source was loaded): the same request.
    if (v.phase === 'starting') return;
    v.phase = 'starting';
    v.from = playhead();
    if (!v.firstFrame) watchFrame();
    send('play', called === undefined ? undefined : { ts: called });
  }

  function onPlaying(): void {
    if (inAd) return;
    if (video.playbackRate === 0) {
      // Shaka holds the rate at 0 while it buffers: the frame is not moving yet (docs/metrics.md#startup-time).
      deferredPlaying = true;
      return;
    }
    deferredPlaying = false;
    let v = view;
    if (!v || now() - v.last > INACTIVITY_MS) {
      v = current();
      v.phase = 'starting';
      send('play');
    }
    if (v.phase === 'playing') return;
    if (v.phase === 'stalled') stallOver();
    if (!v.firstFrame && waitForFrame()) return;
    const first = !v.firstFrame;
    v.firstFrame = true;
    v.phase = 'playing';
    send('playing', undefined, first);
  }

  /**
   * The element says `playing` when it has data, which can be well before a frame is shown (a
   * native <video> starting its pipeline) or just after: the first frame is the first frame
   * presented after the play request (requestVideoFrameCallback, watched from `play` on). A
   * `playing` before it waits for it, at most FIRST_FRAME_WAIT_MS (a hidden page presents none).
   */
  function watchFrame(): void {
    frameSeen = false;
    if (typeof video.requestVideoFrameCallback !== 'function') return;
    video.requestVideoFrameCallback(
      safe(() => {
        frameSeen = true;
        if (awaitingFrame) frameShown();
      }),
    );
  }

  function frameShown(): void {
    awaitingFrame = false;
    clearTimeout(frameTimer);
    frameSeen = true;
    if (view && !view.firstFrame && !video.paused) onPlaying();
  }

  /** True while the first `playing` waits for its frame. */
  function waitForFrame(): boolean {
    if (frameSeen || typeof video.requestVideoFrameCallback !== 'function' || document.visibilityState !== 'visible') return false;
    if (!awaitingFrame) {
      awaitingFrame = true;
      watchFrame();
      frameTimer = setTimeout(safe(frameShown), FIRST_FRAME_WAIT_MS);
    }
    return true;
  }

  function onPause(): void {
    pendingStart = null;
    if (inAd || !view || video.ended) return;
    awaitingFrame = false;
    clearTimeout(frameTimer);
    const v = current();
    if (v.phase === 'paused' || v.phase === 'idle') return;
    v.phase = 'paused';
    send('pause');
  }

  function stallStarts(): void {
    const v = view;
    if (!reportStalls || inAd || !v || !v.firstFrame || v.phase !== 'playing' || video.paused || video.seeking) return;
    v.phase = 'stalled';
    v.stallAt = playhead();
    stallForgotten();
    if (!v.sampled) return;
    const pending: NonNullable<typeof stall> = { view: v, ts: now(), playhead_ms: v.stallAt, held: [], reported: false };
    stall = pending;
    pending.timer = setTimeout(
      safe(() => {
        if (stall !== pending) return;
        if (view === v && v.phase === 'stalled' && !destroyed) stallReported();
        else stallForgotten();
      }),
      MIN_STALL_MS,
    );
  }

  function onTimeUpdate(): void {
    const v = view;
    if (!v && pendingStart !== null && !video.paused && video.readyState >= 3 && playhead() >= pendingStart + 1_000) {
      onPlay();
      onPlaying();
      return;
    }
    if (!v || inAd || video.paused || video.seeking) return;
    if (v.phase === 'stalled' && playhead() > v.stallAt + 10) {
      v.phase = 'playing';
      stallOver();
    } else if (v.phase === 'starting' && playhead() >= v.from + 250 && video.readyState >= 3) {
      // A view begun (update()) while the element went on playing: it sends no `playing`.
      onPlaying();
    }
  }

  /**
   * A `seeking` is judged once every listener of its dispatch has run, so that an adapter may
   * still say the seek is the player's own (`internalSeek()`) after the core heard it (dash.js
   * tells only then). It is judged at the next task, or before any other event goes out, with the
   * time and playhead (the target) of the event.
   */
  function onSeeking(): void {
    if (inAd) return;
    const seek = { ts: now(), playhead_ms: playhead(), paused: video.paused };
    judgeSeek();
    pendingSeek = seek;
    setTimeout(safe(judgeSeek), 0);
  }

  function judgeSeek(): void {
    const seek = pendingSeek;
    if (!seek) return;
    pendingSeek = undefined;
    if (internalSeekAt > seek.ts - INTERNAL_SEEK_MS) {
      internalSeekAt = -Infinity;
      internalSeeking = true;
      log('seek made by the player: not reported');
      return;
    }
    internalSeeking = false;
    const v = view;
    if (!v || !v.firstFrame || v.phase === 'ended' || v.phase === 'failed') return;
    if (v.phase !== 'seeking') v.seekWhilePaused = seek.paused;
    v.phase = 'seeking';
    send('seeking', { ts: seek.ts, playhead_ms: seek.playhead_ms });
  }

  function onSeeked(): void {
    if (inAd) return;
    judgeSeek();
    if (internalSeeking) {
      internalSeeking = false;
      return;
    }
    const v = view;
    if (!v || v.phase !== 'seeking') return;
    send('seeked');
    if (video.paused) v.phase = 'paused';
    else if (video.readyState >= 3) onPlaying();
  }

  function onEnded(): void {
    if (inAd || !view) return;
    view.phase = 'ended';
    send('ended');
  }

  function onError(): void {
    const e = video.error;
    if (!e) return;
    report({ code: MEDIA_ERRORS[e.code] ?? `MEDIA_ERR_${e.code}`, message: e.message, fatal: e.code !== 1 });
  }

  function report(error: PlayerError): void {
    const v = current();
    const clean = cleanError(error);
    if (clean.fatal) v.phase = 'failed';
    send('error', { error: clean });
  }

  function onLoadStart(): void {
    const src = video.currentSrc;
    if (src && !src.startsWith('blob:')) onSource(src);
    if (view) return;
    if (pendingStart !== null || !video.paused) onPlay();
    else if (video.autoplay) current();
  }

  /** The element or the player moved to a source: a new source ends the view playing another. */
  function onSource(src: string): void {
    if (view && view.src !== null && view.src !== src) {
      log(`source changed to ${src}: a new view`);
      endView('videochange');
      if (!video.paused) pendingStart = playhead();
    }
    lastSrc = src;
    if (!view && pendingStart !== null) onPlay();
    if (view) view.src = src;
  }

  function onRateChange(): void {
    const v = view;
    if (!v || inAd) return;
    if (video.playbackRate === 0) stallStarts();
    else if ((deferredPlaying || v.phase === 'stalled') && !video.paused && video.readyState >= 3) onPlaying();
  }

  function setRendition(next: Rendition | undefined): void {
    if (!next || sameRendition(next, shown)) return;
    shown = next;
    if (view) send('renditionchange');
  }

  /**
   * The rendition on screen is the one the frame's size (`resize`) matches; the adapter's word
   * only tells renditions of one size apart, or stands where the frame matches none. Shaka's
   * `mediaqualitychanged` came 230 ms after the frame changed, 2% of a short view's bitrate.
   */
  function onResize(): void {
    const frame = video.videoWidth ? renditionOfFrame(renditions, video.videoWidth, video.videoHeight, adapterShown ?? shown) : undefined;
    setRendition(frame ?? adapterShown);
  }

  /** The player's size in device pixels (CSS pixels × devicePixelRatio), as docs/metrics.md#scaling compares it with the frame. */
  function measure(): void {
    const ratio = window.devicePixelRatio || 1;
    const w = Math.round(video.clientWidth * ratio);
    const h = Math.round(video.clientHeight * ratio);
    if (w === width && h === height) return;
    width = w;
    height = h;
    if (active(view)) {
      clearTimeout(sizeTimer);
      sizeTimer = setTimeout(
        safe(() => {
          if (active(view)) send('heartbeat');
        }),
        300,
      );
    }
  }

  const sink: AdapterSink = {
    renditions: safe((list: readonly Rendition[]) => {
      renditions = (Array.isArray(list) ? list : []).map(cleanRendition).filter((r): r is Rendition => r !== undefined);
      onResize();
    }),
    rendition: safe((r: Rendition) => {
      adapterShown = cleanRendition(r);
      onResize();
    }),
    request: safe((r: RequestReport) => {
      if (!view) return;
      send(r.ok ? 'requestcompleted' : 'requestfailed', { request: requestOf(r, cdn, location.href) });
    }),
    internalSeek: safe(() => {
      internalSeekAt = now();
    }),
    error: safe((e: PlayerError) => report(e)),
    cdn: safe((name: string) => {
      cdn = text(name, 128);
      if (view && cdn && !metadata.cdn) transport.amend(view.id, { cdn });
    }),
    source: safe((url: string) => onSource(url)),
  };

  const listeners: [EventTarget, string, (event: Event) => void][] = [
    [video, 'loadstart', onLoadStart],
    [video, 'play', onPlay],
    [video, 'playing', onPlaying],
    [video, 'pause', onPause],
    [video, 'waiting', stallStarts],
    [video, 'timeupdate', onTimeUpdate],
    [video, 'seeking', onSeeking],
    [video, 'seeked', onSeeked],
    [video, 'ended', onEnded],
    [video, 'error', onError],
    [video, 'resize', onResize],
    [video, 'ratechange', onRateChange],
    [document, 'fullscreenchange', measure],
    [window, 'resize', measure],
  ];
  const page: [EventTarget, string, (event: Event) => void][] = [
    [
      window,
      'pagehide',
      (event) => {
        if (!(event as PageTransitionEvent).persisted) endView('viewend');
        transport.hide(true);
      },
    ],
    [
      document,
      'visibilitychange',
      () => {
        if (document.visibilityState === 'hidden') transport.hide(false);
      },
    ],
    [window, 'online', () => transport.retryNow()],
  ];
  // Any other event of the element comes after the dispatch of a `seeking`: that seek is judged first.
  const guarded = [...listeners, ...page].map(
    ([target, type, fn]) =>
      [
        target,
        type,
        safe((event: Event) => {
          if (type !== 'seeking') judgeSeek();
          fn(event);
        }),
      ] as const,
  );
  for (const [target, type, fn] of guarded) target.addEventListener(type, fn);
  const resizeObserver = typeof ResizeObserver === 'function' ? new ResizeObserver(safe(measure)) : undefined;
  resizeObserver?.observe(video);
  safe(() => {
    if (typeof elementPlay === 'function') video.play = playWrapper;
  })();

  const heartbeat = setInterval(
    safe(() => {
      if (active(view)) send('heartbeat');
    }),
    heartbeatMs,
  );

  let detach: (() => void) | undefined;
  safe(() => {
    measure();
    if (options.renditions) sink.renditions(options.renditions);
    if (adapter) detach = adapter.attach(video, sink);
    // Attached to a player that already plays: the view starts now.
    if (!video.paused) {
      onPlay();
      if (video.readyState >= 3) onPlaying();
    }
    onResize();
  })();

  const ad = (type: EventType, enter?: boolean) =>
    safe(() => {
      if (destroyed) return;
      current();
      if (enter !== undefined) inAd = enter;
      send(type);
      // Content that resumes as the break ends sends no `playing` of its own when it never paused.
      if (enter === false && !video.paused && video.readyState >= 3) onPlaying();
    });

  return {
    get viewId() {
      return view?.sampled && !destroyed ? view.id : null;
    },
    update: safe((next: ViewMetadata) => {
      if (destroyed) return;
      endView('videochange');
      lastSrc = null;
      metadata = next ?? {};
      // The next view's rendition is the next source's; where the source stays, the frame says it again.
      shown = undefined;
      adapterShown = undefined;
      onResize();
      // A playing element: the next view starts with the next source (or with play, or after 1 s of the same one playing on).
      pendingStart = video.paused ? null : playhead();
    }),
    ad: {
      breakStart: ad('adbreakstart', true),
      request: ad('adrequest'),
      play: ad('adplay'),
      playing: ad('adplaying'),
      ended: ad('adended'),
      error: (code: string, message?: string) =>
        safe(() => {
          if (destroyed) return;
          current();
          send('aderror', { error: cleanError({ code, message, fatal: false }) });
        })(),
      breakEnd: ad('adbreakend', false),
    },
    error: safe((code: string, extra?: { message?: string; fatal?: boolean; business?: boolean }) => {
      if (destroyed) return;
      report({ code, message: extra?.message, fatal: extra?.fatal !== false, business: extra?.business });
    }),
    destroy: safe(() => {
      if (destroyed) return;
      endView('viewend');
      destroyed = true;
      pendingSeek = undefined;
      awaitingFrame = false;
      clearTimeout(frameTimer);
      clearInterval(heartbeat);
      clearTimeout(sizeTimer);
      for (const [target, type, fn] of guarded.slice(0, listeners.length)) target.removeEventListener(type, fn);
      resizeObserver?.disconnect();
      if (video.play === playWrapper) {
        if (ownPlay) video.play = ownPlay;
        else delete (video as { play?: unknown }).play;
      }
      try {
        detach?.();
      } catch (error) {
        log('adapter detach failed', error);
      }
      transport.flush();
    }),
  };
}
