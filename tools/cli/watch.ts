// `npm run watch -- <stream> [--all]`: prints the messages of one Sightline stream as JSON lines,
// new ones as they arrive (or, with --all, from the start). Streams: events, views, scores,
// anomalies, alerts, dead. Reads NATS_URL and SIGHTLINE_NAMESPACE like the services.
import { DeliverPolicy } from '@nats-io/jetstream';
import { createTopology, streams, type StreamKey } from '@sightline/contracts';
import { connectJetStream } from '@sightline/messaging';

async function watch(): Promise<void> {
  const [key, flag] = process.argv.slice(2);
  const all = streams(createTopology(process.env.SIGHTLINE_NAMESPACE || 'sightline', 1));
  if (!key || !(key in all)) {
    process.stderr.write(`usage: npm run watch -- <${Object.keys(all).join('|')}> [--all]\n`);
    process.exit(2);
  }
  const connection = await connectJetStream({ servers: process.env.NATS_URL || 'nats://127.0.0.1:4222', name: 'sightline-watch' });
  const consumer = await connection.js.consumers.get(all[key as StreamKey].name, {
    deliver_policy: flag === '--all' ? DeliverPolicy.All : DeliverPolicy.New,
  });
  const messages = await consumer.consume();
  process.once('SIGINT', () => messages.stop());
  for await (const m of messages) process.stdout.write(`${JSON.stringify({ subject: m.subject, payload: m.json() })}\n`);
  await connection.drain();
}

watch().catch((error: unknown) => {
  process.stderr.write(`watch: ${(error as Error).message}\n`);
  process.exit(1);
});
