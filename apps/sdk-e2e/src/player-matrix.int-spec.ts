import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describeInBrowser } from './fixtures/harness';
import { ensureMedia, workspaceRoot } from './fixtures/media';
import { browserRig } from './fixtures/rig';
import { applies, caseName, checks, PLAYERS, runAll, SCENARIOS, table, type CaseResult, type MatrixCase } from './fixtures/scenarios';

/**
 * The SDK's numbers against the players' own ground truth, in headless Chromium with the real
 * ingest and sessionizer, judged by the issue's tolerances (`checks`). `npm test` runs a subset
 * (every player, every scenario on one player at least, both stall modes);
 * `npm run test:sdk-matrix` (SIGHTLINE_SDK_MATRIX=1) runs every player and scenario in both modes
 * and prints the table of figures (also written to .sightline/sdk-matrix.md).
 */
const FULL = process.env.SIGHTLINE_SDK_MATRIX === '1';
const ONLY = process.env.SIGHTLINE_SDK_MATRIX_ONLY; // e.g. "hlsjs:stalls", a filter for working on one case
const SUBSET: readonly MatrixCase[] = [
  { player: 'hlsjs', scenario: 'clean', stalls: 'player' },
  { player: 'hlsjs', scenario: 'stalls', stalls: 'player' },
  { player: 'hlsjs', scenario: 'seek-pause', stalls: 'player' },
  { player: 'hlsjs', scenario: 'exit-before-start', stalls: 'player' },
  { player: 'hlsjs', scenario: 'fatal-404', stalls: 'player' },
  { player: 'hlsjs', scenario: 'abr', stalls: 'player' },
  { player: 'hlsjs', scenario: 'ad-break', stalls: 'playhead' },
  { player: 'dashjs', scenario: 'stalls', stalls: 'playhead' },
  { player: 'dashjs', scenario: 'seek-pause', stalls: 'player' },
  { player: 'dashjs', scenario: 'ad-break', stalls: 'player' },
  { player: 'dashjs', scenario: 'abr', stalls: 'playhead' },
  { player: 'shaka', scenario: 'abr', stalls: 'player' },
  { player: 'shaka', scenario: 'slow-start', stalls: 'player' },
  { player: 'shaka', scenario: 'stalls', stalls: 'playhead' },
  { player: 'shaka', scenario: 'video-change', stalls: 'playhead' },
  { player: 'shaka', scenario: 'fatal-404', stalls: 'player' },
  { player: 'native', scenario: 'clean', stalls: 'player' },
  { player: 'native', scenario: 'seek-pause', stalls: 'player' },
  { player: 'native', scenario: 'video-change', stalls: 'player' },
  { player: 'native', scenario: 'slow-start', stalls: 'playhead' },
];

const keyOf = (c: MatrixCase) => `${c.player}:${c.scenario}:${c.stalls}`;
const ALL: MatrixCase[] = PLAYERS.flatMap((player) => SCENARIOS.filter((scenario) => applies(player, scenario)).flatMap((scenario) => (['player', 'playhead'] as const).map((stalls) => ({ player, scenario, stalls }))));
const CASES = (FULL ? ALL : SUBSET).filter((c) => !ONLY || ONLY.split(',').some((f) => keyOf(c).startsWith(f)));
/** Longer than the SDK's default flush (5 s) and heartbeat (10 s) periods, as the production 60 s is; views end with viewend anyway. */
const MATRIX_SILENCE_MS = 15_000;
const CONCURRENCY = Number(process.env.SIGHTLINE_SDK_MATRIX_PAGES ?? 3);

const TITLE = 'the SDK in a real browser: completed views match the players\' ground truth';

describeInBrowser(TITLE, () => {
  const rig = browserRig('sdkmx', ensureMedia, { silenceMs: MATRIX_SILENCE_MS });
  let results: Map<MatrixCase, CaseResult | Error>;

  beforeAll(async () => {
    results = await runAll(rig, CASES, CONCURRENCY);
    const done = [...results.values()].filter((r): r is CaseResult => !(r instanceof Error));
    const report = `${table(done)}\n`;
    process.stdout.write(`\nSDK figures / ground truth (${done.length} of ${CASES.length} cases ran):\n${report}`);
    mkdirSync(path.join(workspaceRoot, '.sightline'), { recursive: true });
    const name = FULL ? 'sdk-matrix' : 'sdk-matrix-subset';
    writeFileSync(path.join(workspaceRoot, '.sightline', `${name}.md`), report);
    const detail = [...results].map(([c, r]) => (r instanceof Error ? { case: c, error: r.message } : { case: c, views: r.views, log: r.log }));
    writeFileSync(path.join(workspaceRoot, '.sightline', `${name}.json`), JSON.stringify(detail, null, 2));
  }, 60 * 60_000);

  it.each(CASES.map((c) => [caseName(c), c] as const))('%s', (_name, c) => {
    const result = results.get(c);
    if (result instanceof Error) throw result;
    expect(result).toBeDefined();
    for (const { viewId, view, truth } of result!.views) {
      const failed = checks(view.metrics, truth, c.stalls).filter((k) => !k.ok);
      expect({ viewId, failed }).toEqual({ viewId, failed: [] });
    }
  });
});
