// The demo page of `npm start`: hls.js, the SDK, and the stream tools/scripts/player-demo.mjs made.
const status = document.getElementById('status');
const video = document.getElementById('video');
const say = (html, problem = false) => {
  status.innerHTML = html;
  status.classList.toggle('problem', problem);
};
const src = '/media/hls/master.m3u8';
const endpoint = `${location.protocol}//${location.hostname}:8081`;

const manifest = await fetch(src, { method: 'HEAD' }).then((r) => r.ok, () => false);
if (!manifest) {
  say('No stream to play: ffmpeg is not installed, so none was made. Install it (<code>apt-get install ffmpeg</code>) and run <code>npm start</code> again.', true);
} else if (!window.Hls || !window.sightline?.hlsjs) {
  say('hls.js or the SDK bundle did not load: run <code>npm run build</code> (npm start does) and reload.', true);
} else {
  const hls = new window.Hls();
  hls.loadSource(src);
  hls.attachMedia(video);
  const monitor = window.sightline.monitor(video, {
    key: 'demo-key',
    endpoint,
    adapter: window.sightline.hlsjs(hls),
    metadata: { video_id: 'demo-testsrc', video_title: 'Sightline demo (ffmpeg testsrc2)', stream_type: 'vod' },
  });
  window.monitor = monitor;
  const show = () => {
    const id = monitor.viewId;
    say(
      id
        ? `Your view: <code>${id}</code>, sent to <code>${endpoint}/v1/beacons</code>. Run <code>npm run watch -- views</code> to see it arrive.`
        : 'Press play: a view starts with the play request.',
    );
  };
  show();
  for (const event of ['play', 'playing', 'pause', 'ended']) video.addEventListener(event, show);
}
