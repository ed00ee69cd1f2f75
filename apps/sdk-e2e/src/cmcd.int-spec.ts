import type { TestServer } from './fixtures/server';
import type { ViewSnapshot } from '@sightline/contracts';
import { randomUUID } from 'node:crypto';
import type { Browser, Page, Request } from 'playwright-core';
import { openPage } from './fixtures/browser';
import { describeInBrowser, type Truth } from './fixtures/harness';
import { ensureMedia } from './fixtures/media';
import { SDK_KEY } from './fixtures/platform';
import { browserRig } from './fixtures/rig';
import { until } from './fixtures/wait';

type CmcdPlayer = 'hlsjs' | 'dashjs';

/** A CMCD report as the page posted it: its body lines and ingest's answer. */
interface PostedReport {
  readonly lines: string[];
  status?: number | string;
}

/** Opens pages/cmcd-player.html: the player configured by sightline-cmcd, no SDK monitor. */
async function openCmcdPage(browser: Browser, server: TestServer, config: Record<string, unknown>): Promise<{ page: Page; console: string[]; posted: PostedReport[] }> {
  const { page, console } = await openPage(browser);
  const posted: PostedReport[] = [];
  const pending = new Map<Request, PostedReport>();
  page.on('request', (request) => {
    if (!request.url().includes('/v1/cmcd') || request.method() !== 'POST') return;
    const report: PostedReport = { lines: (request.postData() ?? '').split('\n').filter((l) => l.trim()) };
    posted.push(report);
    pending.set(request, report);
  });
  page.on('requestfinished', (request) => {
    const report = pending.get(request);
    if (report) void request.response().then((r) => (report.status = r?.status() ?? 'no response'));
  });
  page.on('requestfailed', (request) => {
    const report = pending.get(request);
    if (report) report.status = `failed: ${request.failure()?.errorText ?? 'unknown'}`;
  });
  await page.goto(server.url(`/pages/cmcd-player.html?config=${encodeURIComponent(JSON.stringify(config))}`));
  const ready = await page.evaluate('window.cmcdReady');
  if (ready !== true) throw new Error(`CMCD page for ${String(config.player)} did not start: ${String(ready)}\n${console.join('\n')}`);
  return { page, console, posted };
}

/** The value of `key` in a CMCD line (`sta=p`, `e=ps`, `sid="…"`), or undefined. */
function cmcdValue(line: string, key: string): string | undefined {
  const match = new RegExp(`(?:^|,)${key}=("(?:[^"\\\\]|\\\\.)*"|[^,]*)`).exec(line);
  return match ? match[1]!.replace(/^"|"$/g, '') : undefined;
}

describeInBrowser('CMCD from a real player to ingest and the sessionizer (no SDK monitor)', () => {
  const rig = browserRig('sdkcmcd', ensureMedia);

  it.each<[CmcdPlayer, () => string]>([
    ['hlsjs', () => `/media/${rig.media.hlsMaster}`],
    ['dashjs', () => `/media/${rig.media.dashManifest}`],
  ])('%s: the view (sid) is stored and completes with its startup and playing time', async (player, src) => {
    const sessionId = `cmcd-${player}-${randomUUID()}`;
    const { page, console, posted } = await openCmcdPage(rig.browser, rig.server, {
      player,
      src: rig.server.url(src()),
      endpoint: rig.platform.endpoint,
      key: SDK_KEY,
      sessionId,
      contentId: `cmcd-${player}`,
      intervalSeconds: 2,
    });
    let truth: Truth;
    let pageLog: string[];
    try {
      await page.evaluate('window.cmcdPage.play()');
      await page.waitForFunction('window.cmcdPage.video.currentTime >= 8', undefined, { timeout: 30_000, polling: 50 });
      await page.evaluate('window.cmcdPage.exit()');
      ({ truth, log: pageLog } = (await page.evaluate('window.cmcdPage.summary()')) as { truth: Truth; log: string[] });
      await until('every CMCD report answered', () => posted.length > 0 && posted.every((r) => r.status !== undefined), 15_000);
    } finally {
      await page.context().close();
    }
    const context = `page log:\n${pageLog.join('\n')}\nconsole:\n${console.join('\n')}\nposted:\n${posted.map((r) => `${String(r.status)} ${r.lines.join(' | ')}`).join('\n')}`;
    expect({ statuses: [...new Set(posted.map((r) => r.status))], context }).toEqual({ statuses: [202], context });
    const lines = posted.flatMap((r) => r.lines);
    expect(lines.every((l) => cmcdValue(l, 'sid') === sessionId)).toBe(true);

    const view: ViewSnapshot = await rig.platform.completedView(sessionId, { timeoutMs: 30_000 });
    const events = await rig.platform.events(sessionId);
    // One stored event per report, each seq once.
    expect(events.length).toBe(lines.length);
    expect(new Set(events.map((e) => e.seq)).size).toBe(events.length);
    const types = events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['play', 'playing', 'heartbeat', 'pause']));
    // A state is reported once per change: no event repeats the state before it.
    const states = types.filter((t) => t !== 'heartbeat');
    expect(states.filter((t, i) => i > 0 && t === states[i - 1])).toEqual([]);
    expect(view.context.video_id).toBe(`cmcd-${player}`);

    const m = view.metrics;
    const played = truth.watch_time_ms - truth.startup_time_ms! - truth.rebuffer_duration_ms;
    process.stdout.write(
      `[cmcd ${player}] reports=${lines.length} events=${events.map((e) => `${e.type}@${e.ts - events[0]!.ts}`).join(',')} startup=${m.startup_time_ms} (truth ${truth.startup_time_ms}) playing=${Math.round(m.playing_time_ms)} (truth ${Math.round(played)}) rebuffers=${m.rebuffer_count} end=${view.end_reason}` +
        ` play-truth=${Math.round(events.find((e) => e.type === 'play')!.ts - truth.play_requested_at!)} ms playing-first_frame=${Math.round(events.find((e) => e.type === 'playing')!.ts - truth.first_frame_at!)} ms\n`,
    );
    expect(m.started).toBe(true);
    expect(m.exited_before_start).toBe(false);
    expect(m.playback_failed).toBe(false);
    expect(m.startup_time_ms).not.toBeNull();
    // CMCD's `playing` is the element's `playing` event: the ground truth's first frame within a few frames of it.
    const play = events.find((e) => e.type === 'play')!;
    const playing = events.find((e) => e.type === 'playing')!;
    expect(Math.abs(playing.ts - truth.first_frame_at!)).toBeLessThan(100);
    expect(m.startup_time_ms).toBe(playing.ts - play.ts);
    if (player === 'hlsjs') {
      // hls.js reports `starting` at the element's `play`: the startup time is the viewer's.
      expect(Math.abs(play.ts - truth.play_requested_at!)).toBeLessThan(100);
      expect(Math.abs(m.startup_time_ms! - truth.startup_time_ms!)).toBeLessThan(100);
    } else {
      // dash.js reports `starting` once the stream is initialised, before play() is asked: its
      // CMCD startup time counts from there, so it is the viewer's at least.
      expect(play.ts).toBeLessThanOrEqual(truth.play_requested_at! + 100);
      expect(m.startup_time_ms).toBeGreaterThanOrEqual(truth.startup_time_ms! - 100);
    }
    // dash.js's state reports follow the element less closely under load (in one run: playing 84 ms
    // before the first frame, the pause about 400 ms after the element's).
    const tolerance = player === 'hlsjs' ? Math.max(500, played * 0.05) : Math.max(1000, played * 0.1);
    expect(Math.abs(m.playing_time_ms - played)).toBeLessThan(tolerance);
  }, 90_000);
});
