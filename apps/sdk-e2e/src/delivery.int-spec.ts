import type { EventBatch, ViewSnapshot } from '@sightline/contracts';
import type { Request } from 'playwright-core';
import { offline, throttle } from './fixtures/browser';
import { describeInBrowser, HarnessPage, renditionsFor } from './fixtures/harness';
import { ensureMedia } from './fixtures/media';
import { SDK_KEY, type SdkPlatform } from './fixtures/platform';
import { browserRig } from './fixtures/rig';
import { until } from './fixtures/wait';

/** What the page tried to send: every beacon body (fetch and sendBeacon, retries included) and how each attempt ended. */
class BeaconLog {
  readonly attempts: { at: number; viewId: string; seqs: number[]; outcome?: number | 'failed' }[] = [];

  constructor(page: HarnessPage) {
    const record = (request: Request) => {
      if (!request.url().includes('/v1/beacons')) return undefined;
      const body = JSON.parse(request.postData() ?? '{}') as Partial<EventBatch>;
      const attempt = { at: Date.now(), viewId: body.view_id ?? '', seqs: (body.events ?? []).map((e) => e.seq) };
      this.attempts.push(attempt);
      return attempt;
    };
    const pending = new Map<Request, (typeof this.attempts)[number]>();
    page.page.context().on('request', (request) => {
      const attempt = record(request);
      if (attempt) pending.set(request, attempt);
    });
    page.page.context().on('requestfinished', (request) => {
      const attempt = pending.get(request);
      if (attempt) void request.response().then((r) => (attempt.outcome = r?.status() ?? 'failed'));
    });
    page.page.context().on('requestfailed', (request) => {
      const attempt = pending.get(request);
      if (attempt) attempt.outcome = 'failed';
    });
  }

  seqsOf(viewId: string): Set<number> {
    return new Set(this.attempts.filter((a) => a.viewId === viewId).flatMap((a) => a.seqs));
  }
}

/** The view's snapshot completed by `viewend`, waiting for it. */
async function endedView(platform: SdkPlatform, viewId: string, timeoutMs = 60_000): Promise<ViewSnapshot> {
  const view = await platform.completedView(viewId, { timeoutMs });
  expect(view.end_reason).toBe('viewend');
  return view;
}

/** Every seq from 0 to the view's last one (its viewend) was stored once at least; returns the sorted distinct seqs. */
function expectContiguous(events: readonly { seq: number; type: string }[]): number[] {
  const seqs = [...new Set(events.map((e) => e.seq))].sort((a, b) => a - b);
  const last = events.find((e) => e.type === 'viewend')?.seq;
  expect(last).toBeDefined();
  expect(seqs).toEqual(Array.from({ length: last! + 1 }, (_, i) => i));
  return seqs;
}

describeInBrowser('SDK delivery: no beacon lost offline or at a page hide (real ingest and sessionizer)', () => {
  // The production completion silence (60 s): a 30 s offline period must not end the view.
  const rig = browserRig('sdkdl', ensureMedia, { silenceMs: 60_000 });

  const open = (flushMs?: number) =>
    HarnessPage.open(rig.browser, rig.server, {
      player: 'hlsjs',
      src: rig.server.url(`/media/${rig.media.hlsMaster}`),
      renditions: renditionsFor(rig.media, 'hlsjs', 'hls'),
      sdk: { endpoint: rig.platform.endpoint, key: SDK_KEY, stalls: 'player', metadata: { video_id: 'delivery' }, options: { debug: true, ...(flushMs ? { flushMs } : {}) } },
    });

  it('delivers every event across a 30 s offline period, in one view', async () => {
    const page = await open();
    const log = new BeaconLog(page);
    try {
      await page.play();
      await page.waitForPlayhead(2);
      const viewId = (await page.state()).viewId!;
      await until('a first beacon stored', () => log.attempts.some((a) => a.outcome === 202), 15_000);
      await offline(page.page, true);
      const offlineAt = Date.now();
      // The offline period itself: 30 s, during which the SDK must have tried (and failed) to send.
      await until(
        '30 s offline with failed beacon attempts',
        () => Date.now() - offlineAt >= 30_000 && log.attempts.filter((a) => a.at > offlineAt && a.outcome === 'failed').length >= 2,
        60_000,
      );
      const onlineAt = Date.now();
      await offline(page.page, false);
      await until('a beacon stored after the network came back', () => log.attempts.some((a) => a.at >= onlineAt && a.outcome === 202), 40_000);
      await page.exit();
      const view = await endedView(rig.platform, viewId);
      const stored = await rig.platform.events(viewId);
      const seqs = expectContiguous(stored);
      // Nothing the SDK numbered is missing, and events made while offline (heartbeats at least) are among them.
      expect([...log.seqsOf(viewId)].every((s) => seqs.includes(s))).toBe(true);
      const madeOffline = stored.filter((e) => e.ts > offlineAt + 1_000 && e.ts < onlineAt);
      expect(madeOffline.filter((e) => e.type === 'heartbeat').length).toBeGreaterThanOrEqual(2);
      expect(view.last_seq).toBe(seqs[seqs.length - 1]);
      // One view throughout: never completed by silence while offline.
      expect((await rig.platform.snapshots(viewId)).filter((v) => v.status === 'completed').map((v) => v.end_reason)).toEqual(['viewend']);
      expect(view.metrics.started).toBe(true);
      const viewIds = new Set(log.attempts.map((a) => a.viewId));
      expect([...viewIds]).toEqual([viewId]);
    } finally {
      await page.close();
    }
  }, 150_000);

  it.each([
    ['navigating away', (page: HarnessPage) => page.page.goto('about:blank').then(() => undefined)],
    ['closing the page', (page: HarnessPage) => page.page.close({ runBeforeUnload: true })],
  ])('delivers every event up to the hide when %s mid-view, what was in flight included', async (_how, hide) => {
    // Slow answers (1.5 s each) and a long flush period: the seek's events wait in the queue; an
    // ad break's start (a key event) is in flight at the hide and its end waits behind it.
    const page = await open(30_000);
    const log = new BeaconLog(page);
    try {
      await throttle(page.page, { latencyMs: 1_500 });
      await page.play();
      await page.waitForPlayhead(2);
      const viewId = (await page.state()).viewId!;
      await page.seek(12);
      await page.waitForPlayhead(13);
      const before = log.attempts.length;
      await page.page.evaluate('window.harness.monitor.ad.breakStart(); window.harness.monitor.ad.breakEnd()');
      await hide(page);
      const view = await endedView(rig.platform, viewId);
      const stored = await rig.platform.events(viewId);
      expectContiguous(stored);
      const types = stored.map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(['viewstart', 'play', 'playing', 'seeking', 'seeked', 'adbreakstart', 'adbreakend', 'viewend']));
      expect(view.metrics.seek_count).toBe(1);
      expect(view.metrics.started).toBe(true);
      // What had not gone before the hide went at it (keepalive fetch and sendBeacon): the ad break
      // start in flight, its end and the viewend behind it.
      const sentBefore = new Set(log.attempts.slice(0, before).flatMap((a) => a.seqs));
      const atHide = stored.filter((e) => !sentBefore.has(e.seq)).map((e) => e.type);
      expect(atHide).toEqual(expect.arrayContaining(['adbreakstart', 'adbreakend', 'viewend']));
    } finally {
      if (!page.page.isClosed()) await page.close();
      else await page.page.context().close();
    }
  }, 90_000);
});
