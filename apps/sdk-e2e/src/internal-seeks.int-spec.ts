import { ensureGapMedia } from './fixtures/gap-media';
import { describeInBrowser, HarnessPage, renditionsFor, type PlayerName } from './fixtures/harness';
import { SDK_KEY } from './fixtures/platform';
import { browserRig } from './fixtures/rig';

/** Every `seeking` the element fired, recorded in the page from before play: its time and playhead. */
interface PageSeek {
  readonly at: number;
  readonly to: number;
}

/** Where the viewer seeks to, s: past the hole, so the player's own jump comes first. */
const VIEWER_SEEK_S = 20;

describeInBrowser('Player-internal seeks (jumps over a hole in the buffer) are not reported as seeks', () => {
  // The production completion silence: a view is completed by its viewend, not by a pause between heartbeats.
  const rig = browserRig('sdkgap', ensureGapMedia, { silenceMs: 60_000 });

  it.each<[PlayerName, 'hls' | 'dash']>([
    ['hlsjs', 'hls'],
    ['shaka', 'dash'],
    ['dashjs', 'dash'],
  ])('%s (%s): the jump over the hole is no seek, the viewer seek after it is one', async (player, protocol) => {
    const hole = rig.media.hole;
    const page = await HarnessPage.open(rig.browser, rig.server, {
      player,
      src: rig.server.url(`/media/${protocol === 'hls' ? rig.media.hlsMaster : rig.media.dashManifest}`),
      renditions: protocol === 'hls' ? rig.media.hlsRenditions : renditionsFor(rig.media.media, player, protocol),
      sdk: { endpoint: rig.platform.endpoint, key: SDK_KEY, stalls: 'player', metadata: { video_id: `gap-${player}` }, options: { debug: true } },
    });
    try {
      await page.page.evaluate(`(() => {
        const h = window.harness;
        h.pageSeeks = [];
        h.video.addEventListener('seeking', () => h.pageSeeks.push({ at: performance.timeOrigin + performance.now(), to: h.video.currentTime }));
        h.playerJumps = [];
        if (${JSON.stringify(player)} === 'hlsjs') h.player.on('hlsError', (_e, d) => { if (!d.fatal) h.playerJumps.push(d.details); });
        if (${JSON.stringify(player)} === 'shaka') h.player.addEventListener('gapjumped', () => h.playerJumps.push('gapjumped'));
      })()`);
      await page.play();
      // The hole is behind the playhead: the player went over it.
      await page.waitForPlayhead(hole.toS + 1, 40_000);
      const jumps = (await page.page.evaluate('window.harness.pageSeeks')) as PageSeek[];
      await page.seek(VIEWER_SEEK_S);
      await page.waitForPlayhead(VIEWER_SEEK_S + 1.5);
      const viewId = (await page.state()).viewId!;
      const seeks = (await page.page.evaluate('window.harness.pageSeeks')) as PageSeek[];
      await page.exit();
      const pageLog = (await page.state()).log;
      const truth = (await page.truths())[0]!;
      const context = `seeking in the page: ${JSON.stringify(seeks)}\n${pageLog.join('\n')}\n${page.console.join('\n')}`;

      // The element fired `seeking` for the player's own jump, to the hole's end (or just past it).
      const overHole = jumps.filter((s) => s.to >= hole.fromS - 0.2 && s.to <= hole.toS + 1);
      expect({ overHole: overHole.length > 0, context }).toEqual({ overHole: true, context });
      // The player said so where it has a word for it (dash.js 5 has none).
      const said = (await page.page.evaluate('window.harness.playerJumps')) as string[];
      if (player === 'hlsjs') expect(said).toContain('bufferSeekOverHole');
      if (player === 'shaka') expect(said).toContain('gapjumped');
      // And for the viewer's seek.
      expect(seeks.some((s) => Math.abs(s.to - VIEWER_SEEK_S) < 0.5)).toBe(true);

      const view = await rig.platform.completedView(viewId, { timeoutMs: 30_000 });
      const events = await rig.platform.events(viewId);
      expect(view.end_reason).toBe('viewend');
      expect(view.metrics.started).toBe(true);
      expect({ seek_count: view.metrics.seek_count, seekings: events.filter((e) => e.type === 'seeking').map((e) => e.playhead_ms), context }).toEqual({
        seek_count: 1,
        seekings: [VIEWER_SEEK_S * 1000],
        context,
      });
      process.stdout.write(
        `[gap ${player}] hole ${hole.fromS}-${hole.toS} s; player said ${said.join(',') || '-'}; element seeking to ${seeks.map((s) => s.to.toFixed(3)).join(', ')}; stored seeking at ${events
          .filter((e) => e.type === 'seeking')
          .map((e) => e.playhead_ms)
          .join(', ')}; seek_count ${view.metrics.seek_count}; rebuffers ${view.metrics.rebuffer_count} (page ${truth.rebuffer_count}: ${truth.stalls.map((t) => `${Math.round(t.ms)} ms at ${Math.round(t.start - truth.play_requested_at!)} ms`).join(', ')})\n`,
      );
    } finally {
      await page.close();
    }
  }, 90_000);
});
