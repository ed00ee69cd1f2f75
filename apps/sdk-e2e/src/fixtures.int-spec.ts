import { randomUUID } from 'node:crypto';
import { offline, openPage, throttle } from './fixtures/browser';
import { describeInBrowser, HarnessPage, renditionsFor, type PlayerName } from './fixtures/harness';
import { ensureMedia } from './fixtures/media';
import { SDK_KEY } from './fixtures/platform';
import { browserRig } from './fixtures/rig';

describeInBrowser('sdk-e2e fixtures: content, server, browser and platform', () => {
  const rig = browserRig('sdkfx', ensureMedia);

  it('makes three keyframe-aligned renditions once, with the bitrates the manifests announce', () => {
    expect(rig.media.renditions.map((r) => `${r.width}x${r.height}`)).toEqual(['640x360', '960x540', '1280x720']);
    const dash = rig.media.renditions.map((r) => r.dashBandwidth);
    const hls = rig.media.renditions.map((r) => r.hlsBandwidth);
    expect([...dash].sort((a, b) => a - b)).toEqual(dash);
    expect([...hls].sort((a, b) => a - b)).toEqual(hls);
    // Within 15% of the encoder targets (400 k, 1 M, 2.5 M video); HLS adds audio and TS overhead.
    for (const [i, target] of [400_000, 1_000_000, 2_500_000].entries()) {
      expect(Math.abs(dash[i]! - target) / target).toBeLessThan(0.15);
      expect(hls[i]!).toBeGreaterThan(dash[i]!);
    }
    expect(rig.media.generatedInMs).toBeLessThan(60_000);
  });

  const cases: [PlayerName, 'hls' | 'dash' | 'mp4'][] = [
    ['hlsjs', 'hls'],
    ['dashjs', 'dash'],
    ['shaka', 'dash'],
    ['shaka', 'hls'],
    ['videojs', 'hls'],
    ['native', 'mp4'],
  ];
  it.each(cases)('plays the content with %s (%s), no SDK, and records a first frame and the frame sizes shown', async (player, protocol) => {
    const src = rig.server.url(`/media/${protocol === 'hls' ? rig.media.hlsMaster : protocol === 'dash' ? rig.media.dashManifest : rig.media.progressiveMp4}`);
    const page = await HarnessPage.open(rig.browser, rig.server, { player, src, renditions: renditionsFor(rig.media, player, protocol) });
    try {
      await page.play();
      await page.waitForPlayhead(3);
      await page.exit();
      const [truth] = await page.truths();
      expect(truth!.started).toBe(true);
      expect(truth!.startup_time_ms).toBeGreaterThan(0);
      expect(truth!.startup_time_ms).toBeLessThan(10_000);
      expect(truth!.renditions.length).toBeGreaterThan(0);
      expect(truth!.playing_ms_known_bitrate).toBeGreaterThan(2000);
      expect(truth!.fatal_error).toBeNull();
    } finally {
      await page.close();
    }
  }, 60_000);

  it('answers 404 for the next requests a fault names, and a player reports it as fatal', async () => {
    const before = rig.server.requests.length;
    const fault = rig.server.fault({ path: /\/media\/hls\/master\.m3u8/, action: { status: 404 } });
    const page = await HarnessPage.open(rig.browser, rig.server, {
      player: 'hlsjs',
      src: rig.server.url(`/media/${rig.media.hlsMaster}`),
      renditions: renditionsFor(rig.media, 'hlsjs', 'hls'),
    });
    try {
      await page.play();
      await page.waitFor('h.errors.length > 0');
      expect((await page.truths())[0]!.fatal_error).toMatch(/^hls:manifestLoadError$/);
      expect(rig.server.served(/^\/media\/hls\/master\.m3u8/, before).map((r) => r.status)).toEqual([404]);
    } finally {
      rig.server.clearFault(fault);
      await page.close();
    }
    expect((await fetch(rig.server.url(`/media/${rig.media.hlsMaster}`))).status).toBe(200);
  }, 60_000);

  it('delays and hangs requests while a fault lasts, and releases them when cleared', async () => {
    const delayed = rig.server.fault({ path: /\/media\/dash\/manifest\.mpd$/, action: { delayMs: 400 }, times: 1 });
    const started = Date.now();
    expect((await fetch(rig.server.url(`/media/${rig.media.dashManifest}`))).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(rig.server.served(/manifest\.mpd$/).at(-1)!.fault).toBe('delay 400 ms');
    rig.server.clearFault(delayed);

    rig.server.fault({ path: /\/media\/dash\/manifest\.mpd$/, action: { hang: true } });
    const hanging = fetch(rig.server.url(`/media/${rig.media.dashManifest}`)).then(
      (r) => r.status,
      (e: Error) => e.message,
    );
    await waitUntil(() => rig.server.served(/manifest\.mpd$/).at(-1)?.fault === 'hang');
    rig.server.clearFault();
    expect(await hanging).toBe('fetch failed');
  });

  it('throttles the page through CDP, takes it offline, and offline holds back sendBeacon too', async () => {
    const { page } = await openPage(rig.browser);
    try {
      await page.goto(rig.server.url('/pages/player.html?config={"player":"native","src":""}'));
      const segment = `/media/hls/720p_000.ts`;
      await throttle(page, { downloadKbps: 2000, latencyMs: 100 });
      const ms = (await page.evaluate(`(async () => { const t = performance.now(); await (await fetch(${JSON.stringify(segment)})).arrayBuffer(); return performance.now() - t; })()`)) as number;
      const bytes = Number((await fetch(rig.server.url(segment))).headers.get('content-length'));
      // 2 Mb/s: the segment cannot arrive faster than its bits allow.
      expect(ms).toBeGreaterThan(((bytes * 8) / 2_000_000) * 1000 * 0.9);
      await throttle(page, {});

      await offline(page, true);
      const failed = await page.evaluate(`fetch('/media/${rig.media.dashManifest}').then(() => 'ok', () => 'failed')`);
      expect(failed).toBe('failed');
      const marker = `/media/beacon-probe-${randomUUID()}`;
      await page.evaluate(`navigator.sendBeacon(${JSON.stringify(marker)}, 'x')`);
      await offline(page, false);
      const online = await page.evaluate(`fetch('/media/${rig.media.dashManifest}').then((r) => r.status, () => 'failed')`);
      expect(online).toBe(200);
      // The fetch after the beacon was answered: a beacon sent through would have arrived before it.
      expect(rig.server.served(new RegExp(marker))).toEqual([]);
    } finally {
      await page.context().close();
    }
  }, 60_000);

  it('takes a beacon from a page on the test rig.server and publishes the completed view', async () => {
    const { page } = await openPage(rig.browser);
    try {
      await page.goto(rig.server.url('/pages/player.html?config={"player":"native","src":""}'));
      const viewId = `fx-${randomUUID()}`;
      const t = Date.now();
      const beacon = {
        v: 1,
        view_id: viewId,
        context: { player_name: 'fixture' },
        events: [
          { seq: 0, type: 'viewstart', ts: t, playhead_ms: 0 },
          { seq: 1, type: 'play', ts: t, playhead_ms: 0 },
          { seq: 2, type: 'playing', ts: t + 700, playhead_ms: 0 },
          { seq: 3, type: 'viewend', ts: t + 5700, playhead_ms: 5000 },
        ],
      };
      const status = await page.evaluate(
        `fetch(${JSON.stringify(`${rig.platform.endpoint}/v1/beacons?key=${SDK_KEY}`)}, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: ${JSON.stringify(JSON.stringify(beacon))} }).then((r) => r.status)`,
      );
      expect(status).toBe(202);
      const view = await rig.platform.completedView(viewId);
      expect(view.metrics).toMatchObject({ startup_time_ms: 700, watch_time_ms: 5700 });
      expect(view.end_reason).toBe('viewend');
    } finally {
      await page.context().close();
    }
  }, 60_000);
});

async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
