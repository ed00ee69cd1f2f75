import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Alert, type EventBatch, type ScoredView, type ViewSnapshot } from '@sightline/contracts';
import { FleetRunner, loadTraces, parseScenario } from '@sightline/simulator';
import { batchAggregates, chromiumMissing, launchBrowser, type BatchCohortMinute } from '@sightline/test-support';
import type { Browser, Page } from 'playwright-core';
import { callConsole, startConsolePlatform, TOKENS, type ConsolePlatform } from './fixtures/console-platform';

const MINUTE = 60_000;
const SCREENSHOTS = path.resolve(__dirname, '../../../.sightline/console-screenshots');

type Body = Record<string, unknown>;
type Figures = Record<string, number | null>;

/** What the batch computation says a set of cohort-minutes add up to. */
function sum(cells: BatchCohortMinute[]) {
  const startups = cells.flatMap((c) => c.startups).sort((a, b) => a - b);
  const overall = cells.flatMap((c) => c.overall);
  const total = (pick: (c: BatchCohortMinute) => number) => cells.reduce((n, c) => n + pick(c), 0);
  const watch = total((c) => c.watch);
  const rebuffer = total((c) => c.rebuffer);
  return {
    attempts: total((c) => c.attempts),
    plays: total((c) => c.plays),
    ended_plays: total((c) => c.ended_plays),
    ebvs: total((c) => c.ebvs),
    start_failures: total((c) => c.start_failures),
    playback_failures: total((c) => c.playback_failures),
    watch_time_ms: watch,
    rebuffer_time_ms: rebuffer,
    rebuffer_count: total((c) => c.rebuffer_count),
    rebuffer_percentage: watch > 0 ? rebuffer / watch : null,
    scored_views: overall.length,
    mean_overall_score: overall.length > 0 ? overall.reduce((a, b) => a + b, 0) / overall.length : null,
    /** The value of rank ⌊q·(n−1)⌋, which the sketch reports within 1%. */
    median: startups.length > 0 ? startups[Math.floor(0.5 * (startups.length - 1))]! : null,
    p95: startups.length > 0 ? startups[Math.floor(0.95 * (startups.length - 1))]! : null,
  };
}

const COUNTS = ['attempts', 'plays', 'ended_plays', 'ebvs', 'start_failures', 'playback_failures', 'rebuffer_count', 'scored_views'] as const;

function expectFigures(got: Figures, expected: ReturnType<typeof sum>, context: string): void {
  expect({ context, ...Object.fromEntries(COUNTS.map((k) => [k, got[k]])) }).toEqual({ context, ...Object.fromEntries(COUNTS.map((k) => [k, expected[k]])) });
  expect(got.watch_time_ms).toBeCloseTo(expected.watch_time_ms, 3);
  expect(got.rebuffer_time_ms).toBeCloseTo(expected.rebuffer_time_ms, 3);
  if (expected.rebuffer_percentage === null) expect(got.rebuffer_percentage).toBeNull();
  else expect(got.rebuffer_percentage).toBeCloseTo(expected.rebuffer_percentage, 9);
  if (expected.mean_overall_score === null) expect(got.mean_overall_score).toBeNull();
  else expect(got.mean_overall_score).toBeCloseTo(expected.mean_overall_score, 6);
  for (const [metric, exact] of [['startup_time_median_ms', expected.median], ['startup_time_p95_ms', expected.p95]] as const) {
    if (exact === null) expect(got[metric]).toBeNull();
    else expect(Math.abs(got[metric]! - exact)).toBeLessThanOrEqual(exact * 0.01 + 1e-9);
  }
}

describe('the console against a running platform with a simulated fleet', () => {
  let platform: ConsolePlatform;
  let snapshots: ViewSnapshot[];
  let finals: ScoredView[];
  let expected: Map<string, BatchCohortMinute>;
  let minutes: number[];
  let range: { from: number; to: number };
  const get = (path: string, token: string | null = TOKENS.read) => callConsole<Body>(platform.consoleUrl, token, 'GET', path);
  const q = (params: Record<string, string | number>) => new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();
  const cells = (dimension: string, value?: string) => [...expected].filter(([key]) => key.split('|')[1] === dimension && (value === undefined || key.split('|')[2] === value)).map(([, e]) => e);

  beforeAll(async () => {
    platform = await startConsolePlatform('cons');
    const scenario = parseScenario({
      name: 'console-e2e',
      seed: 11,
      viewers: 30,
      duration_s: 62,
      ramp_s: 5,
      watch_median_s: 20,
      incidents: [
        { id: 'slow', kind: 'cdn_slow', cohort: { cdn: 'fastly' }, start_s: 10, end_s: 50, intensity: 0.8 },
        { id: 'bad-exo', kind: 'player_version_failing', cohort: { player_version: 'media3-1.5.0' }, start_s: 0, end_s: 65, intensity: 0.6 },
      ],
    });
    const fleet = new FleetRunner({ ingestUrl: platform.ingestUrl, key: 'cons-key', scenario, traces: loadTraces() });
    const running = fleet.start();
    const stopAt = setTimeout(() => fleet.stop(), 62_000);
    const stats = await running;
    clearTimeout(stopAt);
    expect(stats.beaconsDropped).toBe(0);
    const { conn } = platform;
    const read = async <T>(stream: string, filterSubject?: string) => (await conn.readSnapshot({ stream, from: 'start', ...(filterSubject ? { filterSubject } : {}) })).messages.filter((m) => !m.control).map((m) => m.json<T>());
    // Every view completes (3 s of silence), then the aggregates stop changing.
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 1000))) {
      const all = await read<ViewSnapshot>(platform.streams.views.name);
      if (new Set(all.map((v) => v.view_id)).size === new Set(all.filter((v) => v.status === 'completed').map((v) => v.view_id)).size) break;
    }
    let last = -1;
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 3000))) {
      const seq = (await conn.streamState(platform.streams.aggregates.name)).lastSeq;
      if (seq === last) break;
      last = seq;
    }
    snapshots = await read<ViewSnapshot>(platform.streams.views.name);
    finals = await read<ScoredView>(platform.streams.scores.name, `${platform.namespace}.v1.scores.final.>`);
    expected = batchAggregates(snapshots, new Map(finals.map((s) => [`${s.view_id}:${s.revision}`, s])));
    minutes = [...new Set([...expected.keys()].map((k) => Number(k.split('|')[0])))].sort((a, b) => a - b);
    range = { from: minutes[0]!, to: minutes.at(-1)! + MINUTE };
  }, 240_000);

  afterAll(() => platform?.stop());

  describe('query API', () => {
    it('answers the overview of the fleet as a batch computation over the same views does', async () => {
      expect(minutes.length).toBeGreaterThanOrEqual(2);
      const { status, body } = await get(`/v1/overview?${q({ property: 'cons', ...range, granularity: 'minute' })}`);
      expect(status).toBe(200);
      expectFigures(body.figures as Figures, sum(cells('all')), 'overview');
      const peak = Math.max(...cells('all').map((c) => c.concurrent.size));
      expect((body.figures as Figures).concurrent_viewers).toBe(peak);
      // The period before had nothing: every tile says so.
      expect((body.previous_figures as Figures).plays).toBe(0);
      expect((body.tiles as { metric: string; change: number | null }[]).find((t) => t.metric === 'plays')!.change).toBeNull();
    });

    it('answers per-minute series, for all viewers and for a cohort, as the batch computation', async () => {
      const { body } = await get(`/v1/series?${q({ property: 'cons', ...range, metric: 'plays,attempts,startup_time_median_ms' })}`);
      const series = body.series as { metric: string; points: { t: number; value: number | null }[] }[];
      expect(series.map((s) => s.metric)).toEqual(['plays', 'attempts', 'startup_time_median_ms']);
      const windows = Array.from({ length: (range.to - range.from) / MINUTE }, (_, i) => range.from + i * MINUTE);
      const perMinute = (metric: 'plays' | 'attempts', dimension: string, value?: string) =>
        windows.map((m) => ({
          t: m,
          value: sum(
            [...expected]
              .filter(([k]) => {
                const [t, d, v] = k.split('|');
                return Number(t) === m && d === dimension && (value === undefined || v === value);
              })
              .map(([, e]) => e),
          )[metric],
        }));
      expect(series[0]!.points).toEqual(perMinute('plays', 'all'));
      expect(series[1]!.points).toEqual(perMinute('attempts', 'all'));
      for (const point of series[2]!.points) {
        const exact = sum([...expected].filter(([k]) => k.startsWith(`${point.t}|all|`)).map(([, e]) => e)).median;
        if (exact === null) expect(point.value).toBeNull();
        else expect(Math.abs(point.value! - exact)).toBeLessThanOrEqual(exact * 0.01 + 1e-9);
      }
      const cdn = [...expected.keys()].find((k) => k.split('|')[1] === 'cdn')!.split('|')[2]!;
      const cohort = await get(`/v1/series?${q({ property: 'cons', ...range, metric: 'plays', dimension: 'cdn', value: cdn })}`);
      expect((cohort.body.series as { points: unknown[] }[])[0]!.points).toEqual(perMinute('plays', 'cdn', cdn));
    });

    it('breaks a dimension down into top N plus other that add up to the whole, each cohort as the batch computation', async () => {
      const { body } = await get(`/v1/breakdown?${q({ property: 'cons', ...range, dimension: 'cdn', sort: 'plays', limit: 2 })}`);
      const rows = body.rows as { value: string; figures: Figures; spark: (number | null)[] }[];
      const other = body.other as { figures: Figures } | null;
      const values = [...new Set([...expected.keys()].filter((k) => k.split('|')[1] === 'cdn').map((k) => k.split('|')[2]!))];
      expect(values.length).toBeGreaterThan(2);
      const byPlays = values.map((v) => ({ v, plays: sum(cells('cdn', v)).plays })).sort((a, b) => b.plays - a.plays || a.v.localeCompare(b.v));
      expect(rows.map((r) => r.value)).toEqual(byPlays.slice(0, 2).map((x) => x.v));
      for (const row of rows) {
        expectFigures(row.figures, sum(cells('cdn', row.value)), `cdn ${row.value}`);
        expect(row.spark).toHaveLength((body.windows as number[]).length);
      }
      expectFigures(other!.figures, sum(byPlays.slice(2).flatMap((x) => cells('cdn', x.v))), 'other');
      // The rows and other add up to all viewers, and the total is the all cohort.
      const total = (body.total as { figures: Figures }).figures;
      for (const k of COUNTS) expect(rows.reduce((n, r) => n + r.figures[k]!, 0) + other!.figures[k]!).toBe(sum(cells('all'))[k]);
      expectFigures(total, sum(cells('all')), 'total');
      expect(total.concurrent_viewers).toBe(Math.max(...cells('all').map((c) => c.concurrent.size)));
    });

    it('breaks a dimension down within one cohort of another, from the combined aggregates', async () => {
      const key = [...expected.keys()].find((k) => k.split('|')[1] === 'cdn+country')!;
      const country = key.split('|')[3]!;
      const { status, body } = await get(`/v1/breakdown?${q({ property: 'cons', ...range, dimension: 'cdn', filter: `country:${country}`, limit: 100 })}`);
      expect(status).toBe(200);
      const combined = [...expected].filter(([k]) => k.split('|')[1] === 'cdn+country' && k.split('|')[3] === country);
      const cdns = [...new Set(combined.map(([k]) => k.split('|')[2]!))].sort();
      const rows = body.rows as { value: string; figures: Figures }[];
      expect(rows.map((r) => r.value).sort()).toEqual(cdns);
      for (const row of rows) expectFigures(row.figures, sum(combined.filter(([k]) => k.split('|')[2] === row.value).map(([, e]) => e)), `cdn ${row.value} in ${country}`);
      expectFigures((body.total as { figures: Figures }).figures, sum(cells('country', country)), `all of ${country}`);
    });

    it('lists the views worst first and draws a view\'s timeline with its events in order', async () => {
      const { body } = await get(`/v1/views?${q({ property: 'cons', from: range.from, to: Date.now(), limit: 500 })}`);
      const views = body.views as { view_id: string; overall_score: number | null }[];
      expect(body.matched).toBe(new Set(snapshots.map((s) => s.view_id)).size);
      const scores = views.map((v) => v.overall_score).filter((s): s is number => s !== null);
      expect(scores).toEqual([...scores].sort((a, b) => a - b));
      expect(views.findIndex((v) => v.overall_score === null)).toBeGreaterThanOrEqual(scores.length === views.length ? -1 : scores.length);
      const stalled = snapshots.filter((s) => s.status === 'completed' && s.metrics.rebuffer_count > 0).at(0) ?? snapshots.find((s) => s.metrics.started)!;
      const timeline = await get(`/v1/views/${encodeURIComponent(stalled.view_id)}/timeline`);
      expect(timeline.status).toBe(200);
      const events = await platform.conn.readSnapshot({ stream: platform.streams.events.name, from: 'start' });
      const seqs = [...new Set(events.messages.filter((m) => !m.control).map((m) => m.json<EventBatch>()).filter((b) => b.view_id === stalled.view_id).flatMap((b) => b.events.map((e) => e.seq)))].sort((a, b) => a - b);
      const listed = timeline.body.events as { seq: number; t: number; type: string }[];
      expect(listed.map((e) => e.seq)).toEqual(seqs);
      const spans = timeline.body.spans as { kind: string; from: number; to: number | null }[];
      expect(spans[0]!.kind).toBe('startup');
      expect(spans.some((s) => s.kind === 'playing')).toBe(true);
      if (stalled.metrics.rebuffer_count > 0) expect(spans.filter((s) => s.kind === 'stall').length).toBe(stalled.metrics.rebuffer_count);
      for (let i = 1; i < spans.length; i++) expect(spans[i]!.from).toBeGreaterThanOrEqual(spans[i - 1]!.from);
    });

    it('shows the injected incident as alerts with their cause, and lets the admin token acknowledge one', async () => {
      const { body } = await get('/v1/alerts?property=cons&state=firing');
      const alerts = body.alerts as (Alert & { cause: unknown })[];
      const incident = alerts.filter((a) => a.cohort.player_version === 'media3-1.5.0');
      expect(incident.length).toBeGreaterThan(0);
      const target = incident[0]!;
      const refused = await callConsole(platform.consoleUrl, TOKENS.read, 'POST', `/v1/alerts/${encodeURIComponent(target.alert_id)}/ack`, { by: 'tester' });
      expect(refused).toMatchObject({ status: 403, body: { code: 'ADMIN_REQUIRED' } });
      const acked = await callConsole<Alert>(platform.consoleUrl, TOKENS.admin, 'POST', `/v1/alerts/${encodeURIComponent(target.alert_id)}/ack`, { by: 'tester' });
      expect(acked.status).toBe(200);
      expect(acked.body).toMatchObject({ alert_id: target.alert_id, state: 'acknowledged', acknowledged_by: 'tester' });
      const again = await callConsole<Alert>(platform.consoleUrl, TOKENS.admin, 'POST', `/v1/alerts/${encodeURIComponent(target.alert_id)}/ack`, { by: 'someone else' });
      expect(again.body.acknowledged_by).toBe('tester');
    });

    it.each([
      ['an unknown metric', '/v1/series?property=cons&metric=nope', 'UNKNOWN_METRIC', 'metric'],
      ['an unknown dimension', '/v1/breakdown?property=cons&dimension=planet', 'UNKNOWN_DIMENSION', 'dimension'],
      ['a range that ends before it begins', '/v1/overview?property=cons&from=2026-12-03T10:00:00Z&to=2026-12-03T09:00:00Z', 'INVALID_RANGE', 'from'],
      ['a time that is not one', '/v1/overview?property=cons&from=yesterday', 'INVALID_RANGE', 'from'],
      ['too wide a range for minutes', '/v1/series?property=cons&metric=plays&granularity=minute&from=2026-11-01T00:00:00Z&to=2026-11-03T00:00:00Z', 'RANGE_TOO_WIDE', 'from'],
      ['a filter the scorer does not aggregate', '/v1/breakdown?property=cons&dimension=os&filter=country:NO', 'FILTER_NOT_AGGREGATED', 'filter'],
      ['a limit out of bounds', '/v1/breakdown?property=cons&dimension=cdn&limit=0', 'INVALID_PARAMETER', 'limit'],
    ])('answers %s with 400 and its code', async (_case, path, code, parameter) => {
      expect(await get(path)).toEqual({ status: 400, body: expect.objectContaining({ code, parameter, message: expect.any(String) }) });
    });

    it('gives another property\'s token nothing of this property, and no token nothing at all', async () => {
      const view = snapshots[0]!.view_id;
      for (const path of [`/v1/overview?property=cons`, `/v1/series?property=cons&metric=plays`, `/v1/breakdown?property=cons&dimension=cdn`, `/v1/views?property=cons`, `/v1/alerts?property=cons`, `/v1/anomalies?property=cons`]) {
        expect({ path, ...(await get(path, TOKENS.other)) }).toEqual({ path, status: 403, body: expect.objectContaining({ code: 'PROPERTY_FORBIDDEN' }) });
        expect((await get(path, null)).status).toBe(401);
      }
      expect((await get(`/v1/views/${encodeURIComponent(view)}`, TOKENS.other)).body).toMatchObject({ code: 'NOT_FOUND' });
      expect((await get(`/v1/views/${encodeURIComponent(view)}`)).status).toBe(200);
      const live = await fetch(`${platform.consoleUrl}/v1/live?property=cons`, { headers: { authorization: `Bearer ${TOKENS.other}` } });
      expect(live.status).toBe(403);
      expect((await get('/v1/properties', TOKENS.other)).body).toEqual({ properties: ['other'] });
    });

    it('validates a rule field by field and stores a valid one', async () => {
      const bad = await callConsole<{ code: string; issues: { path: string }[] }>(platform.consoleUrl, TOKENS.admin, 'PUT', '/v1/rules/slow-start', {
        kind: 'threshold', severity: 'warning', channels: [], enabled: true, metric: 'startup_time_p95_ms', cohort: { dimension: 'cdn' }, comparison: '>', value: 4000, trigger_after_ms: -1, resolve_after_ms: 60_000,
      });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('INVALID_RULE');
      expect(bad.body.issues.map((i) => i.path)).toContain('/trigger_after_ms');
      const good = await callConsole(platform.consoleUrl, TOKENS.admin, 'PUT', '/v1/rules/slow-start', {
        kind: 'threshold', severity: 'warning', channels: [], enabled: true, metric: 'startup_time_p95_ms', cohort: { dimension: 'cdn' }, comparison: '>', value: 4000, trigger_after_ms: 60_000, resolve_after_ms: 60_000,
      });
      expect(good.status).toBe(200);
      expect(((await get('/v1/rules')).body.rules as { id: string }[]).map((r) => r.id)).toContain('slow-start');
    });

    it('serves its OpenAPI document with an operation id for every operation', async () => {
      const { status, body } = await get('/v1/openapi.json', null);
      expect(status).toBe(200);
      const operations = Object.values(body.paths as Record<string, Record<string, { operationId?: string }>>).flatMap((p) => Object.values(p));
      expect(operations.every((o) => typeof o.operationId === 'string')).toBe(true);
    });
  });

  const browserMissing = chromiumMissing();
  (browserMissing ? describe.skip : describe)(`the dashboard in Chromium${browserMissing ? ` (skipped: ${browserMissing})` : ''}`, () => {
    let browser: Browser;
    let page: Page;
    const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

    beforeAll(async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      browser = await launchBrowser();
      page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
    });

    afterAll(() => browser?.close());

    it('signs in on the login page, keeping the token out of the address bar, and loads the overview with the API\'s numbers', async () => {
      await page.goto(platform.consoleUrl);
      await page.waitForSelector('input[name=token][type=password]');
      await shot('login');
      await page.fill('input[name=token]', TOKENS.read);
      await page.click('button[type=submit]');
      await page.waitForSelector('.tile[data-metric=plays] .value[data-value]');
      expect(page.url()).not.toContain(TOKENS.read);
      const cookies = await page.context().cookies();
      expect(cookies.find((c) => c.name === 'sightline_console')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
      const tiles = await page.$$eval('.tile', (els) => els.map((e) => [e.getAttribute('data-metric'), e.querySelector('.value')!.getAttribute('data-value')]));
      // The page asks for the last hour: so does this request, at about the same time (the fleet is over, the figures stand).
      const api = await get(`/v1/overview?${q({ property: 'cons', from: Date.now() - 3_600_000, to: Date.now() })}`);
      const byMetric = new Map((api.body.tiles as { metric: string; value: number | null }[]).map((t) => [t.metric, t.value === null ? '' : String(t.value)]));
      expect(tiles.length).toBe(byMetric.size);
      for (const [metric, value] of tiles) expect({ metric, value }).toEqual({ metric, value: byMetric.get(metric!) });
      await page.waitForSelector('[data-chart="Plays and concurrent viewers"] canvas');
      await shot('overview');
    });

    it('drills down from a breakdown row into that cohort', async () => {
      await page.goto(`${platform.consoleUrl}/#/breakdown`);
      await page.waitForSelector('tr.cohort');
      const first = await page.$eval('tr.cohort', (tr) => [tr.getAttribute('data-cohort'), tr.querySelector('td[data-metric=plays]')!.textContent]);
      expect(await page.$$eval('svg.spark polyline', (p) => p.length)).toBeGreaterThan(0);
      await page.click(`tr.cohort[data-cohort="${first[0]}"]`);
      await page.waitForSelector('[data-test=drill] .tile[data-metric=plays] .value[data-value]');
      expect(await page.textContent('[data-test=drill] h2')).toBe(`Overview of cdn = ${first[0]}`);
      expect(await page.textContent('[data-test=drill] .tile[data-metric=plays] .value')).toBe(first[1]);
      await page.waitForSelector('[data-test=drill] tr.view');
      await shot('breakdown-drill-down');
    });

    it('lists views and draws one\'s timeline', async () => {
      await page.goto(`${platform.consoleUrl}/#/views`);
      await page.waitForSelector('tr.view a');
      await shot('views');
      await page.click('tr.view[data-started=true] a');
      await page.waitForSelector('[data-test=timeline] rect[data-span]');
      const spans = await page.$$eval('[data-test=timeline] rect[data-span]', (rects) => rects.map((r) => r.getAttribute('data-span')));
      expect(spans[0]).toBe('startup');
      expect(spans).toContain('playing');
      expect(await page.$$eval('table.events tbody tr', (rows) => rows.length)).toBeGreaterThan(2);
      await shot('timeline');
    });

    it('shows the injected incident on the alerts page', async () => {
      await page.goto(`${platform.consoleUrl}/#/alerts`);
      await page.waitForSelector('tr.alert');
      const rows = await page.$$eval('tr.alert', (trs) => trs.map((tr) => tr.textContent ?? ''));
      expect(rows.some((r) => r.includes('media3-1.5.0'))).toBe(true);
      await shot('alerts');
    });

    it('shows a rule\'s validation error at its field', async () => {
      // A read token may not change rules: sign out, and in as the admin.
      await page.click('button.sign-out');
      await page.waitForSelector('input[name=token]');
      await page.goto(`${platform.consoleUrl}/#/rules`);
      await page.fill('input[name=token]', TOKENS.admin);
      await page.click('button[type=submit]');
      await page.click('button.new-rule');
      await page.fill('input[name=id]', 'console-test');
      await page.fill('input[name=trigger_after_ms]', '-5');
      await page.click('form.rule-form button[type=submit]');
      await page.waitForSelector('[data-issue=trigger_after_ms]');
      expect(await page.getAttribute('[data-field=trigger_after_ms]', 'class')).toContain('invalid');
      await shot('rules-validation');
      await page.fill('input[name=trigger_after_ms]', '60000');
      await page.click('form.rule-form button[type=submit]');
      await page.waitForSelector('tr[data-rule=console-test]');
    }, 60_000);

    it('updates the open minute without a reload', async () => {
      await page.goto(`${platform.consoleUrl}/#/overview`);
      await page.evaluate('window.marker = 1');
      const fleet = new FleetRunner({
        ingestUrl: platform.ingestUrl,
        key: 'cons-key',
        scenario: parseScenario({ name: 'console-live', seed: 12, viewers: 4, duration_s: 25, ramp_s: 1, watch_median_s: 20, incidents: [] }),
        traces: loadTraces(),
      });
      const running = fleet.start();
      try {
        await page.waitForSelector('[data-test=open-minute][data-pane]', { timeout: 30_000 });
        const first = await page.getAttribute('[data-test=open-minute]', 'data-pane');
        // The page's CSP forbids evaluating strings (waitForFunction): the attribute is polled from here.
        for (const deadline = Date.now() + 30_000; (await page.getAttribute('[data-test=open-minute]', 'data-pane')) === first; ) {
          if (Date.now() > deadline) throw new Error(`the open minute stayed at pane ${first} for 30 s`);
          await page.waitForTimeout(200);
        }
        expect(await page.evaluate('window.marker')).toBe(1);
        expect(await page.textContent('[data-test=live]')).toBe('live');
        await shot('overview-live');
      } finally {
        fleet.stop();
        await running;
      }
    }, 120_000);
  });
});
