// The browser tests' page: loads one player (hls.js, dash.js, Shaka, video.js, or a native
// <video>), optionally the Sightline SDK on it, records the ground truth (ground-truth.js) and
// exposes `window.harness` for the test to drive as a viewer would. Configured by `?config=`
// (JSON, see harness.ts in the fixtures).
import { GroundTruth, now } from './ground-truth.js';

const config = JSON.parse(new URLSearchParams(location.search).get('config') ?? '{}');

const PLAYER_SCRIPTS = {
  hlsjs: '/players/hls.js/hls.min.js',
  dashjs: '/players/dashjs/modern/umd/dash.all.min.js',
  shaka: '/players/shaka-player/shaka-player.compiled.js',
  videojs: '/players/video.js/video.min.js',
  native: null,
};

/** dash.js errors that end playback: the manifest could not be loaded (10, 11, 25) or parsed, or has no stream (31, 32). */
const DASH_FATAL = [10, 11, 25, 31, 32];

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.appendChild(script);
  });
}

/** Bitrate of the rendition with this frame size, as the player reports renditions. */
function bitrateOf(renditions) {
  return (width, height) => renditions.find((r) => r.width === width && r.height === height)?.bitrate ?? null;
}

const log = [];
const note = (text) => log.push(`${Math.round(now())} ${text}`);

class Harness {
  constructor() {
    this.views = [];
    this.player = null;
    this.monitor = null;
    this.video = null;
    this.truth = null;
    this.errors = [];
    /** Resolves once the player has given the element its source (dash.js); at once for the others. */
    this.attached = Promise.resolve();
  }

  async setUp() {
    if (!(config.player in PLAYER_SCRIPTS)) throw new Error(`unknown player ${config.player}`);
    const scripts = [PLAYER_SCRIPTS[config.player]];
    if (config.sdk) scripts.push('/sdk/sightline.js');
    for (const src of scripts.filter(Boolean)) await loadScript(src);
    if (config.sdk && config.player !== 'native') await loadScript(`/sdk/sightline-${config.player}.js`);

    const video = document.createElement('video');
    video.id = 'content';
    video.muted = config.muted ?? true;
    video.playsInline = true;
    video.width = 1280;
    video.height = 720;
    video.style.width = '640px';
    video.style.height = '360px';
    document.getElementById('stage').appendChild(video);
    this.video = video;
    this.truth = new GroundTruth(video, bitrateOf(config.renditions ?? []));
    await this.attachPlayer(config.src);
    if (config.sdk) this.startMonitor();
    await this.attached;
    note(`ready ${config.player}`);
  }

  async attachPlayer(src) {
    const video = this.video;
    switch (config.player) {
      case 'hlsjs': {
        const hls = new window.Hls({ ...(config.playerConfig ?? {}) });
        hls.on(window.Hls.Events.ERROR, (_event, data) => {
          note(`hls error ${data.details} fatal=${data.fatal}`);
          if (data.fatal) this.fatal(`hls:${data.details}`);
        });
        hls.attachMedia(video);
        hls.loadSource(src);
        this.player = hls;
        break;
      }
      case 'dashjs': {
        const player = window.dashjs.MediaPlayer().create();
        if (config.playerConfig) player.updateSettings(config.playerConfig);
        player.on('error', (e) => {
          const code = e.error?.code;
          note(`dash error ${code}: ${e.error?.message}`);
          // dash.js goes on after a segment that failed (it retries it; the picture may freeze);
          // a manifest it cannot load or parse ends playback.
          if (DASH_FATAL.includes(code)) this.fatal(`dash:${code}`);
        });
        // dash.js gives the element its MediaSource only once the manifest is in: a play() before
        // that is interrupted by the load. The page is ready once it has (or once it failed),
        // after the monitor is on (setUp).
        this.attached = new Promise((resolve) => {
          video.addEventListener('loadstart', resolve, { once: true });
          player.on('error', resolve);
        });
        player.initialize(video, src, false);
        this.player = player;
        break;
      }
      case 'shaka': {
        window.shaka.polyfill.installAll();
        const player = new window.shaka.Player();
        if (config.playerConfig) player.configure(config.playerConfig);
        player.addEventListener('error', (e) => {
          note(`shaka error ${e.detail?.code} severity=${e.detail?.severity}`);
          if (e.detail?.severity === 2) this.fatal(`shaka:${e.detail.code}`);
        });
        await player.attach(video);
        this.player = player;
        // Not awaited: a load that fails is the fatal error a test may be looking for.
        player.load(src).catch((e) => {
          note(`shaka load failed ${e?.code}`);
          this.fatal(`shaka:${e?.code ?? 'load'}`);
        });
        break;
      }
      case 'videojs': {
        const player = window.videojs(video, { ...(config.playerConfig ?? {}) });
        player.on('error', () => this.fatal(`videojs:${player.error()?.code ?? 'unknown'}`));
        player.src({ src, type: src.endsWith('.mpd') ? 'application/dash+xml' : 'application/x-mpegURL' });
        this.player = player;
        // video.js replaces the element with its own wrapper, and the tech's <video> is what plays.
        this.video = player.tech({ IWillNotUseThisInPlugins: true }).el();
        break;
      }
      case 'native':
        video.src = src;
        video.preload = 'auto';
        break;
    }
  }

  adapter() {
    const s = window.sightline;
    switch (config.player) {
      case 'hlsjs':
        return s.hlsjs(this.player);
      case 'dashjs':
        return s.dashjs(this.player);
      case 'shaka':
        return s.shaka(this.player);
      case 'videojs':
        return s.videojs(this.player);
      default:
        return undefined;
    }
  }

  startMonitor() {
    const { endpoint, key, stalls, metadata, options } = config.sdk;
    const adapter = this.adapter();
    this.monitor = window.sightline.monitor(this.video, { key, endpoint, metadata, stalls, ...(adapter ? { adapter } : {}), ...(options ?? {}) });
  }

  fatal(code) {
    this.errors.push(code);
    this.truth.fail(code);
  }

  /** Asks to play; not awaited (a play() that never starts stays pending), a rejection is logged. */
  play() {
    this.truth.play();
    note('play');
    // The element's play(), as a viewer pressing play in its controls does (dash.js's own play()
    // waits for its stream before it calls the element's).
    this.video.play().catch((e) => note(`play() rejected: ${e?.message ?? e}`));
  }

  pause() {
    this.truth.pause();
    note('pause');
    this.video.pause();
  }

  seek(seconds) {
    this.truth.seek();
    note(`seek ${seconds}`);
    this.video.currentTime = seconds;
  }

  /** The viewer leaves: ground truth stops, the monitor ends the view, the player stops. */
  exit() {
    this.truth.exit();
    note('exit');
    this.monitor?.destroy();
    this.video.pause();
  }

  /** A new video in the same player: the current view ends, the next plays `src` under `metadata`. */
  async changeVideo(src, metadata) {
    this.truth.exit();
    this.views.push(this.truth.summary());
    note(`change video ${src}`);
    this.monitor?.update(metadata);
    this.truth = new GroundTruth(this.video, bitrateOf(config.renditions ?? []));
    // The viewer picks the next video in a playing player, which plays it on as a playlist does:
    // the next view is asked for now, and its startup includes loading it.
    const askedAt = now();
    switch (config.player) {
      case 'hlsjs':
        this.player.loadSource(src);
        break;
      case 'dashjs': {
        // dash.js loads the element again a few ms after attachSource(), which pauses it: its
        // autoplay plays the next video, and the change returns once the load began (a play()
        // before it is interrupted by it).
        const loading = new Promise((resolve) => {
          this.video.addEventListener('loadstart', resolve, { once: true });
          setTimeout(resolve, 5000);
        });
        this.player.setAutoPlay(true);
        this.player.attachSource(src);
        await loading;
        break;
      }
      case 'shaka':
        await this.player.load(src);
        break;
      case 'videojs':
        this.player.src({ src, type: 'application/x-mpegURL' });
        break;
      default:
        // A new src pauses the element (its load algorithm): the page plays the next video at once.
        this.video.src = src;
        this.video.play().catch((e) => note(`play() rejected: ${e?.message ?? e}`));
    }
    this.truth.play(askedAt);
  }

  /**
   * An ad break as an ad SDK would run it: content paused, the ad played to its end (or
   * `seconds`) in a second element, the monitor told through `monitor.ad.*`, content resumed.
   */
  async adBreak(src, seconds) {
    const ad = this.monitor?.ad;
    const contentWasPlaying = !this.video.paused;
    this.truth.ad(true);
    note('ad break start');
    ad?.breakStart();
    if (contentWasPlaying) this.video.pause();
    const el = document.createElement('video');
    el.muted = true;
    el.playsInline = true;
    el.style.width = '320px';
    document.getElementById('ads').appendChild(el);
    ad?.request();
    el.src = src;
    const done = new Promise((resolve) => {
      el.addEventListener('playing', () => ad?.playing(), { once: true });
      el.addEventListener('ended', resolve, { once: true });
      el.addEventListener('timeupdate', () => {
        if (el.currentTime >= seconds) resolve();
      });
      el.addEventListener('error', () => {
        ad?.error(`media:${el.error?.code}`, 'ad media error');
        resolve();
      });
    });
    ad?.play();
    await el.play().catch(() => undefined);
    await done;
    ad?.ended();
    el.remove();
    ad?.breakEnd();
    this.truth.ad(false);
    note('ad break end');
    if (contentWasPlaying) this.play();
  }

  /** The viewer asks to play and a pre-roll plays first: the content plays after it. */
  async preroll(src, seconds) {
    this.truth.play();
    note('play (pre-roll first)');
    await this.adBreak(src, seconds);
    this.play();
  }

  state() {
    return {
      currentTime: this.video.currentTime,
      paused: this.video.paused,
      readyState: this.video.readyState,
      videoWidth: this.video.videoWidth,
      videoHeight: this.video.videoHeight,
      buffered: Array.from({ length: this.video.buffered.length }, (_, i) => [this.video.buffered.start(i), this.video.buffered.end(i)]),
      viewId: this.monitor?.viewId ?? null,
      errors: this.errors,
      log,
    };
  }

  summary() {
    return { views: [...this.views, this.truth.summary()], state: this.state() };
  }
}

const harness = new Harness();
window.harness = harness;
window.harnessReady = harness.setUp().then(
  () => true,
  (e) => {
    note(`setup failed: ${e?.stack ?? e}`);
    return `setup failed: ${e?.message ?? e}`;
  },
);
