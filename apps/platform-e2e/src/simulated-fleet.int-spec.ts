import { streams, type Alert } from '@sightline/contracts';
import { FleetRunner, incidentOf, loadTraces, parseScenario } from '@sightline/simulator';
import { startPlatform, type TestPlatform } from './fixtures/platform';
import { natsClientsOf } from '@sightline/test-support';

describe('a simulated fleet with an injected incident, through the whole platform', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await startPlatform('fleet', { SIGHTLINE_TICK_INTERVAL_MS: '200', INGEST_PROPERTY_KEYS: 'fleet-key=fleet', INGEST_TRUSTED_PROXIES: '127.0.0.1' });
  }, 60_000);

  afterAll(() => platform?.stop());

  it('the incident raises an alert that names its cohort; every accepted beacon is stored, enriched from the forwarded address', async () => {
    const scenario = parseScenario({
      name: 'e2e',
      seed: 11,
      viewers: 40,
      duration_s: 20,
      ramp_s: 2,
      watch_median_s: 8,
      incidents: [{ id: 'bad-exo', kind: 'player_version_failing', cohort: { player_version: 'media3-1.5.0' }, start_s: 0, end_s: 20, intensity: 1 }],
    });
    const { conn, namespace } = platform;
    const fleet = new FleetRunner({ ingestUrl: platform.ingestUrl, key: 'fleet-key', scenario, traces: loadTraces() });
    const alerts: Alert[] = [];
    const sub = conn.subscribe(`${namespace}.v1.alerts.firing`, (msg) => void alerts.push(msg.json<Alert>()));
    const running = fleet.start();
    const deadline = Date.now() + 60_000;
    const matches = () => alerts.find((a) => incidentOf(a, fleet.groundTruth().incidents));
    while (!matches() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    // The views still playing are cut short; what was sent is answered before start() resolves.
    fleet.stop();
    const stats = await running;
    await sub.stop();
    const truth = fleet.groundTruth();
    expect(matches()).toMatchObject({ state: 'firing', severity: 'critical', cohort: { player_version: 'media3-1.5.0' } });

    expect(stats.beaconsDropped).toBe(0);
    expect(stats.eventsRejected).toBe(0);
    expect(truth.incidents[0]!.views_affected).toBeGreaterThan(0);
    const events = streams({ namespace, partitions: 4 }).events.name;
    const stored = (await conn.streamState(events)).messages;
    expect(stored).toBeGreaterThanOrEqual(stats.beaconsAccepted);
    const last = await natsClientsOf(conn).jsm.streams.getMessage(events, { last_by_subj: `${namespace}.v1.events.beacon.>` });
    expect(last?.json<{ enrichment: { asn?: number; country?: string } }>().enrichment).toMatchObject({ asn: expect.any(Number), country: expect.stringMatching(/^[A-Z]{2}$/) });

  }, 120_000);
});
