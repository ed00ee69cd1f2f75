// `npm run watch -- <stream> [--all] [--subject <filter>]`: prints the messages of one Sightline
// stream as JSON lines, new ones as they arrive (or, with --all, from the start), optionally only
// those on subjects matching a NATS filter (e.g. `sightline.v1.aggregates.minute.demo.cdn.*`).
// Streams: events, views, scores, activity, aggregates, anomalies, alerts, dead. Ticks (control
// messages) are left out. Reads NATS_URL and SIGHTLINE_NAMESPACE like the services. It says on
// stderr what it waits for, so that a quiet stream is not mistaken for a wrong filter, and refuses
// a filter no subject of the stream can match.
import { createTopology, streams, subjectFilterOverlaps, type StreamKey } from '@sightline/contracts';
import { connectJetStream } from '@sightline/messaging';

async function watch(): Promise<void> {
  const args = process.argv.slice(2);
  const key = args[0];
  const subjectAt = args.indexOf('--subject');
  const filter = subjectAt >= 0 ? args[subjectAt + 1] : undefined;
  const namespace = process.env.SIGHTLINE_NAMESPACE || 'sightline';
  const all = streams(createTopology(namespace, 1));
  if (!key || !(key in all) || (subjectAt >= 0 && !filter)) {
    process.stderr.write(`usage: npm run watch -- <${Object.keys(all).join('|')}> [--all] [--subject <filter>]\n`);
    process.exit(2);
  }
  const stream = all[key as StreamKey];
  if (filter && !stream.subjects.some((pattern) => subjectFilterOverlaps(filter, pattern))) {
    process.stderr.write(`watch: no subject of stream ${stream.name} can match ${filter}: its subjects are ${stream.subjects.join(', ')}\n`);
    process.exit(2);
  }
  const servers = process.env.NATS_URL || 'nats://127.0.0.1:4222';
  const connection = await connectJetStream({ servers, name: 'sightline-watch' });
  const state = await connection.streamState(stream.name).catch((error: Error) => {
    throw new Error(`stream ${stream.name} on ${servers} cannot be read (${error.message}): is the platform running (npm start) with SIGHTLINE_NAMESPACE=${namespace}?`);
  });
  const from = args.includes('--all') ? 'start' : 'new';
  const what = `${stream.name}${filter ? `, subjects matching ${filter}` : ''}`;
  process.stderr.write(
    from === 'start'
      ? `watch: ${what}: printing its ${state.messages} stored messages, then new ones as they arrive (Ctrl-C stops)\n`
      : `watch: ${what}: waiting for new messages (${state.messages} stored before now; --all prints them; Ctrl-C stops)\n`,
  );
  const messages = await connection.read({ stream: stream.name, filterSubject: filter, from });
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
