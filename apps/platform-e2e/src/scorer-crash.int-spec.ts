import { createTopology, partitionOf, streams, subjects, type CohortAggregate, type ScoredView, type ViewActivity, type ViewSnapshot } from '@sightline/contracts';
import { connectJetStream, type JetStreamConnection } from '@sightline/messaging';
import { deleteNamespace, natsUrl, redisUrl, ServiceProcess, uniqueNamespace } from '@sightline/test-support';
import { waitUntil } from './fixtures/crash-harness';
import { readStream } from './fixtures/streams';

const VIEWS = 240;
const MINUTE = 60_000;
/**
 * Event time of the first view, two hours ago, placed so that the last activity (368.75 s later)
 * falls 2 s before a minute ends: the last window then closes soon after the input stops.
 */
const T = Math.floor((Date.now() - 2 * 3600_000) / MINUTE) * MINUTE + 49_250;

/**
 * Every snapshot of `VIEWS` scripted views over five minutes of event time: a mix of CDNs,
 * countries and devices, stalls, exits before start and failures. Each view reports every 10 s;
 * its completion comes 30 s after its last beacon, as a silence completion does.
 */
function scriptedSnapshots(): { snapshot: ViewSnapshot; sendAt: number }[] {
  const out: { snapshot: ViewSnapshot; sendAt: number }[] = [];
  for (let i = 0; i < VIEWS; i++) {
    const first = T + i * 1250;
    const steps = 3 + (i % 6);
    const ebvs = i % 13 === 0;
    const fails = i % 17 === 0;
    const base = {
      v: 1 as const,
      view_id: `view-${i}`,
      property_id: i % 7 === 0 ? 'kids' : 'main',
      context: { cdn: ['akamai', 'fastly', 'cloudfront'][i % 3]!, video_title: `Title ${i % 5}`, stream_type: i % 4 === 0 ? ('live' as const) : ('vod' as const) },
      client: { country: ['DE', 'US', 'FR', 'BR'][i % 4]!, asn: 3320 + (i % 4), device_type: i % 2 ? 'mobile' : 'tv' },
      first_event_at: first,
    };
    for (let k = 1; k <= steps + 1; k++) {
      const step = Math.min(k, steps);
      const at = first + (step - 1) * 10_000;
      const started = !ebvs && step >= 2;
      const completed = k === steps + 1;
      const rebuffers = i % 5 === 0 && started ? step - 1 : 0;
      out.push({
        sendAt: completed ? at + 30_000 : at,
        snapshot: {
          ...base,
          status: completed ? 'completed' : 'active',
          revision: k,
          last_event_at: at,
          last_received_at: at,
          last_seq: k,
          metrics: {
            startup_time_ms: started ? 500 + ((i * 137) % 4000) : null,
            started,
            exited_before_start: ebvs && completed,
            start_failed: false,
            playback_failed: fails && step === steps && started,
            watch_time_ms: (step - 1) * 10_000,
            playing_time_ms: started ? (step - 2) * 8000 : 0,
            rebuffer_count: rebuffers,
            rebuffer_duration_ms: rebuffers * 1500,
            rebuffer_percentage: step > 1 ? (rebuffers * 1500) / ((step - 1) * 10_000) : 0,
            weighted_average_bitrate_bps: started ? 1_000_000 + (i % 4) * 500_000 : null,
            max_upscale: 0,
            average_upscale: 0,
          },
        },
      });
    }
  }
  return out.sort((a, b) => a.sendAt - b.sendAt || a.snapshot.revision - b.snapshot.revision);
}

/**
 * The same view snapshots go to two QoE scorers in two namespaces: one runs undisturbed, the
 * other is SIGKILLed three times while they stream in. Scores and view activity must be the same
 * messages, each once; every cohort's minute must end with the same figures.
 */
describe('QoE scorer killed while it scores and aggregates', () => {
  const crashed = uniqueNamespace('qsc');
  const reference = uniqueNamespace('qsr');
  const scorers: Record<'crashed' | 'reference', ServiceProcess | undefined> = { crashed: undefined, reference: undefined };
  let conn: JetStreamConnection;
  const env = (namespace: string) => ({
    NATS_URL: natsUrl(),
    REDIS_URL: redisUrl(),
    SIGHTLINE_NAMESPACE: namespace,
    SIGHTLINE_PARTITIONS: '4',
    SIGHTLINE_LEASE_TTL_MS: '1500',
    SIGHTLINE_TICK_INTERVAL_MS: '200',
    SCORER_WATERMARK_DELAY_MS: '5000',
    SCORER_IDLE_AFTER_MS: '1000',
    SCORER_ALLOWED_LATENESS_MS: '3600000',
    SCORER_EARLY_PANE_MS: '300',
    SCORER_TOP_N: '3',
  });

  beforeAll(async () => {
    conn = await connectJetStream({ servers: natsUrl(), name: 'scorer-crash' });
    scorers.crashed = await ServiceProcess.start('qoe-scorer', env(crashed));
    scorers.reference = await ServiceProcess.start('qoe-scorer', env(reference));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(Object.values(scorers).map((s) => s?.stop()));
    await deleteNamespace(conn, crashed);
    await deleteNamespace(conn, reference);
    await conn.drain();
  });

  const outputs = async (namespace: string) => {
    const s = streams({ namespace, partitions: 4 });
    return {
      scores: await readStream<ScoredView>(conn, s.scores.name),
      activity: await readStream<ViewActivity>(conn, s.activity.name),
      aggregates: await readStream<CohortAggregate>(conn, s.aggregates.name),
    };
  };

  /**
   * The cohorts of the last pane of every minute window, without pane bookkeeping, numbers to 12
   * significant digits (activity from four partitions interleaves differently in the two runs, and
   * sums of fractions in another order differ in the last bits). Only the last pane: a cohort named
   * in an early pane can fold into "other" later, so its own last pane is not the window's answer.
   * (The hours are still open when the test ends: their early panes come a minute apart.)
   */
  const finalFigures = (aggregates: CohortAggregate[]) => {
    const minutes = aggregates.filter((x) => x.granularity === 'minute');
    const lastPane = new Map<number, number>();
    for (const a of minutes) lastPane.set(a.window_start, Math.max(lastPane.get(a.window_start) ?? -1, a.pane_index));
    const round = (_key: string, value: unknown) => (typeof value === 'number' ? Number(value.toPrecision(12)) : value);
    return new Map(
      minutes
        .filter((a) => a.pane_index === lastPane.get(a.window_start))
        .map(({ timing: _t, pane_index: _p, ...figures }) => [`${figures.window_start}|${figures.property_id}|${figures.dimension}|${figures.value}`, JSON.parse(JSON.stringify(figures, round)) as unknown]),
    );
  };

  it('publishes the same scores, activity and final aggregates as an undisturbed run, nothing twice', async () => {
    const snapshots = scriptedSnapshots();
    const publish = async (namespace: string, view: ViewSnapshot) => {
      const topology = createTopology(namespace, 4);
      const p = partitionOf(topology, view.view_id);
      const subject = view.status === 'completed' ? subjects.viewCompleted(topology, p) : subjects.viewUpdated(topology, p);
      await conn.publish(subject, JSON.stringify(view), { msgId: `${view.view_id}:${view.revision}` });
    };
    const killAt = new Set([Math.floor(snapshots.length / 4), Math.floor(snapshots.length / 2), Math.floor((3 * snapshots.length) / 4)]);
    for (const [i, { snapshot }] of snapshots.entries()) {
      await Promise.all([publish(crashed, snapshot), publish(reference, snapshot)]);
      if (killAt.has(i)) {
        await scorers.crashed!.kill();
        scorers.crashed = await ServiceProcess.start('qoe-scorer', env(crashed));
      }
    }

    // Done when both runs have closed every minute window (idle: event time follows the clock).
    const lastMinute = Math.floor(Math.max(...snapshots.map((s) => s.snapshot.last_received_at)) / MINUTE) * MINUTE;
    const aggregatesOf = (namespace: string) => readStream<CohortAggregate>(conn, streams({ namespace, partitions: 4 }).aggregates.name, (s) => s.includes('.minute.'));
    const closed = async (namespace: string) => (await aggregatesOf(namespace)).some((a) => a.window_start === lastMinute && a.timing === 'on_time');
    try {
      await waitUntil(async () => (await closed(reference)) && (await closed(crashed)), 90_000, 'the last minute closed in both runs');
    } catch (error) {
      for (const ns of [reference, crashed]) {
        const list = await aggregatesOf(ns);
        const onTime = [...new Set(list.filter((a) => a.timing === 'on_time').map((a) => a.window_start - T))];
        console.log((ns === reference ? scorers.reference! : scorers.crashed!).logs.filter((l) => !l.includes('"level":30')).slice(-15).join('\n'));
        console.log(ns, list.length, 'on-time windows', onTime, 'last', lastMinute - T, 'activity', (await readStream(conn, streams({ namespace: ns, partitions: 4 }).activity.name)).length);
      }
      throw error;
    }
    await new Promise((r) => setTimeout(r, 2000));

    const mine = await outputs(crashed);
    const theirs = await outputs(reference);
    const sorted = <T>(list: T[]) => list.map((x) => JSON.stringify(x)).sort();

    expect(theirs.scores).toHaveLength(snapshots.length);
    expect(sorted(mine.scores)).toEqual(sorted(theirs.scores));
    expect(sorted(mine.activity)).toEqual(sorted(theirs.activity));
    expect(new Set(mine.activity.map((a) => `${a.view_id}:${a.revision}`)).size).toBe(mine.activity.length);
    expect(mine.activity.filter((a) => a.attempt).length).toBe(VIEWS);

    // Panes: no window and cohort has the same pane twice, and each closes once.
    for (const run of [mine, theirs]) {
      const panes = run.aggregates.map((a) => `${a.granularity}|${a.window_start}|${a.property_id}|${a.dimension}|${a.value}|${a.pane_index}`);
      expect(new Set(panes).size).toBe(panes.length);
      const onTime = run.aggregates.filter((a) => a.timing === 'on_time').map((a) => `${a.granularity}|${a.window_start}|${a.property_id}|${a.dimension}|${a.value}`);
      expect(new Set(onTime).size).toBe(onTime.length);
    }
    const figures = finalFigures(mine.aggregates);
    expect(figures).toEqual(finalFigures(theirs.aggregates));
    const all = [...figures.values()].map((a) => a as CohortAggregate).filter((a) => a.dimension === 'all');
    expect(all.reduce((n, a) => n + a.attempts, 0)).toBe(VIEWS);
    expect(figures.size).toBeGreaterThan(100);
  }, 240_000);
});
