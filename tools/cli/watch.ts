// `npm run watch -- <stream> [--all] [--subject <filter>]`: prints the messages of one Sightline
// stream as JSON lines, new ones as they arrive (or, with --all, from the start), optionally only
// those on subjects matching a NATS filter (e.g. `sightline.v1.aggregates.minute.demo.cdn.*`).
// Streams: events, views, scores, activity, aggregates, anomalies, alerts, dead. Ticks (control
// messages) are left out. Reads NATS_URL and SIGHTLINE_NAMESPACE like the services.
import { createTopology, streams, type StreamKey } from '@sightline/contracts';
import { connectJetStream } from '@sightline/messaging';

async function watch(): Promise<void> {
  const args = process.argv.slice(2);
  const key = args[0];
  const subjectAt = args.indexOf('--subject');
  const filter = subjectAt >= 0 ? args[subjectAt + 1] : undefined;
  const all = streams(createTopology(process.env.SIGHTLINE_NAMESPACE || 'sightline', 1));
  if (!key || !(key in all) || (subjectAt >= 0 && !filter)) {
    process.stderr.write(`usage: npm run watch -- <${Object.keys(all).join('|')}> [--all] [--subject <filter>]\n`);
    process.exit(2);
  }
  const connection = await connectJetStream({ servers: process.env.NATS_URL || 'nats://127.0.0.1:4222', name: 'sightline-watch' });
  const messages = await connection.read({ stream: all[key as StreamKey].name, filterSubject: filter, from: args.includes('--all') ? 'start' : 'new' });
  process.once('SIGINT', () => messages.stop());
  for await (const m of messages) {
    if (m.control) continue;
    process.stdout.write(`${JSON.stringify({ subject: m.subject, payload: m.json() })}\n`);
  }
  await connection.drain();
}

watch().catch((error: unknown) => {
  process.stderr.write(`watch: ${(error as Error).message}\n`);
  process.exit(1);
});
