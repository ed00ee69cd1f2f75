// The CMCD test page: a real hls.js or dash.js player configured by sightline-cmcd (no SDK
// monitor), sending CMCD v2 event-mode reports to ingest's /v1/cmcd, with the player's ground
// truth (ground-truth.js). Configured by `?config=` (JSON: player, src, endpoint, key, sessionId,
// contentId, intervalSeconds).
import { GroundTruth, now } from './ground-truth.js';

const config = JSON.parse(new URLSearchParams(location.search).get('config') ?? '{}');

const PLAYER_SCRIPTS = {
  hlsjs: '/players/hls.js/hls.min.js',
  dashjs: '/players/dashjs/modern/umd/dash.all.min.js',
};

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.appendChild(script);
  });
}

const log = [];
const note = (text) => log.push(`${Math.round(now())} ${text}`);

class CmcdPage {
  async setUp() {
    if (!(config.player in PLAYER_SCRIPTS)) throw new Error(`unknown player ${config.player}`);
    await loadScript(PLAYER_SCRIPTS[config.player]);
    await loadScript('/sdk/sightline-cmcd.js');
    const cmcd = window.sightline.cmcd;
    const options = { endpoint: config.endpoint, key: config.key, sessionId: config.sessionId, contentId: config.contentId, intervalSeconds: config.intervalSeconds };
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.style.width = '640px';
    video.style.height = '360px';
    document.getElementById('stage').appendChild(video);
    this.video = video;
    this.truth = new GroundTruth(video, () => null);
    if (config.player === 'hlsjs') {
      const hls = new window.Hls({ ...cmcd.cmcdConfigForHls({ ...options, video }) });
      hls.on(window.Hls.Events.ERROR, (_e, data) => note(`hls error ${data.details} fatal=${data.fatal}`));
      hls.attachMedia(video);
      hls.loadSource(config.src);
      this.player = hls;
    } else {
      const player = window.dashjs.MediaPlayer().create();
      player.updateSettings(cmcd.cmcdSettingsForDash(options));
      player.addRequestInterceptor(cmcd.cmcdPlayheadForDash(options, video));
      player.on('error', (e) => note(`dash error ${JSON.stringify(e.error)}`));
      player.initialize(video, config.src, false);
      this.player = player;
    }
    note(`ready ${config.player}`);
  }

  play() {
    this.truth.play();
    note('play');
    if (config.player === 'dashjs') this.player.play();
    else this.video.play().catch((e) => note(`play() rejected: ${e?.message ?? e}`));
  }

  /**
   * The viewer leaves: ground truth stops, the player pauses and, once the element has said so
   * (the players report the pause from its `pause` event), is torn down (hls.js flushes its reports).
   */
  async exit() {
    this.truth.exit();
    note('exit');
    const paused = new Promise((resolve) => this.video.addEventListener('pause', resolve, { once: true }));
    this.video.pause();
    await paused;
    if (config.player === 'hlsjs') this.player.destroy();
    else this.player.reset();
  }

  summary() {
    return { truth: this.truth.summary(), currentTime: this.video.currentTime, log };
  }
}

const page = new CmcdPage();
window.cmcdPage = page;
window.cmcdReady = page.setUp().then(
  () => true,
  (e) => {
    note(`setup failed: ${e?.stack ?? e}`);
    return `setup failed: ${e?.message ?? e}`;
  },
);
