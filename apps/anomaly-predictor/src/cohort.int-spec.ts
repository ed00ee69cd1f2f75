import { createTopology, streams, subjects, type Anomaly, type CohortAggregate } from '@sightline/contracts';
import { connectJetStream, ensureStreams, publishJson, type JetStreamConnection } from '@sightline/messaging';
import { runService, type RunningService } from '@sightline/service-kit';
import { deleteNamespace, natsUrl, uniqueNamespace } from '@sightline/test-support';
import { predictorService } from './predictor.definition';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 2, 12, 0, 0);

/** The on-time pane of one cohort's minute with `attempts` and `failures`. */
function pane(dimension: string, value: string, minute: number, attempts: number, failures: number): CohortAggregate {
  const window = T0 + minute * MINUTE;
  return {
    v: 1, property_id: 'shop', granularity: 'minute', window_start: window, window_end: window + MINUTE, dimension, value, timing: 'on_time', pane_index: 0,
    attempts, plays: attempts - failures, ended_plays: attempts, concurrent_viewers: attempts, ebvs: 0, start_failures: 0, playback_failures: failures,
    ebvs_rate: 0, start_failure_rate: 0, playback_failure_rate_of_attempts: failures / attempts, playback_failure_rate_of_ended_plays: failures / attempts,
    startup_time_ms: { count: 0, median: null, p95: null, sketch: '' }, watch_time_ms: attempts * 60_000, playing_time_ms: attempts * 60_000, rebuffer_time_ms: 0,
    rebuffer_count: 0, rebuffer_percentage: 0, rebuffering_ratio: 0, weighted_average_bitrate_bps: null, scored_views: 0, score_version: 'sightline-qoe/1',
    mean_scores: { overall: null, playback_success: null, startup_time: null, smoothness: null, video_quality: null }, overall_score_distribution: new Array<number>(10).fill(0),
  };
}

describe('the anomaly-predictor on minute aggregates', () => {
  let conn: JetStreamConnection;
  let service: RunningService | undefined;
  const namespace = uniqueNamespace('cohort');
  const topology = createTopology(namespace, 2);

  beforeAll(async () => {
    conn = await connectJetStream({ servers: natsUrl(), name: 'cohort-detector-test' });
    await ensureStreams(conn, Object.values(streams(topology)), { maxAgeMs: 600_000 });
    service = await runService(predictorService, {
      NATS_URL: natsUrl(),
      HTTP_PORT: '0',
      SIGHTLINE_NAMESPACE: namespace,
      SIGHTLINE_PARTITIONS: '2',
      LOG_LEVEL: 'silent',
      // Partition time is the stream's clock here: persistence over two panes, not 30 s.
      ANOMALY_PERSIST_MS: '0',
    });
  });

  afterAll(async () => {
    await service?.close();
    await deleteNamespace(conn, namespace);
    await conn.drain();
  });

  it('learns the cohorts, then publishes one anomaly that blames the failing CDN', async () => {
    const received: Anomaly[] = [];
    const listening = conn.subscribe(subjects.anomaliesAll(topology), (msg) => void received.push(msg.json<Anomaly>()));
    for (let m = 0; m < 24; m++) {
      const fastly = m >= 20 ? 30 : m % 3 === 0 ? 2 : 1;
      const akamai = m % 2 === 0 ? 2 : 3;
      for (const p of [pane('all', 'all', m, 300, akamai + fastly), pane('cdn', 'akamai', m, 200, akamai), pane('cdn', 'fastly', m, 100, fastly)]) {
        await publishJson(conn, { subject: subjects.aggregate(topology, 'minute', p.property_id, p.dimension, p.value), payload: p, msgId: `${p.dimension}:${p.value}:${m}` });
      }
    }
    const deadline = Date.now() + 15_000;
    while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1000));
    await listening.stop();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      property_id: 'shop',
      detector: 'cohort-baseline/1',
      metric: 'playback_failure_rate',
      cohort: { cdn: 'fastly' },
      probable_cause: { dimension: 'cdn', value: 'fastly' },
      window_start: T0 + 21 * MINUTE,
      severity: 'critical',
    });
    expect(received[0]!.observed).toBeCloseTo(0.3, 5);
  });
});
