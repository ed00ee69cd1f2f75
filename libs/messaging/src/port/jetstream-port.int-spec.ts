import { deleteNamespace, natsUrl, uniqueNamespace } from '@sightline/test-support';
import { connectJetStream, type JetStreamConnection } from '../connection';
import { CONTROL_HEADER } from '../partitioned/partition-ticks';
import { ensureDurable, ensureStreams } from '../provisioning';
import type { StoredMessage, StoredMessages } from './port-types';

async function take(messages: StoredMessages, count: number): Promise<StoredMessage[]> {
  const out: StoredMessage[] = [];
  for await (const m of messages) if (out.push(m) === count) break;
  return out;
}

describe('the messaging port (JetStreamConnection) against a real NATS', () => {
  let conn: JetStreamConnection;
  let ns: string;

  beforeEach(async () => {
    conn = await connectJetStream({ servers: natsUrl(), name: 'port-test' });
    ns = uniqueNamespace();
    await ensureStreams(conn, [{ name: `${ns}-s`, subjects: [`${ns}.s.>`], description: 'port test' }], { maxAgeMs: 600_000, duplicateWindowMs: 60_000 });
  });

  afterEach(async () => {
    await deleteNamespace(conn, ns);
    await conn.drain();
  });

  it('publishes once per id, with headers, and reads the stream back in order from the start', async () => {
    expect(await conn.publish(`${ns}.s.a`, '{"n":1}', { msgId: 'one' })).toEqual({ stream: `${ns}-s`, seq: 1, duplicate: false });
    expect(await conn.publish(`${ns}.s.a`, '{"n":1}', { msgId: 'one' })).toMatchObject({ seq: 1, duplicate: true });
    await conn.publish(`${ns}.s.b`, new Uint8Array(0), { headers: { [CONTROL_HEADER]: 'tick' } });
    expect(await conn.streamState(`${ns}-s`)).toMatchObject({ messages: 2, firstSeq: 1, lastSeq: 2 });
    const read = await take(await conn.read({ stream: `${ns}-s`, from: 'start' }), 2);
    expect(read.map((m) => [m.streamSeq, m.subject, m.control, m.pending])).toEqual([
      [1, `${ns}.s.a`, false, 1],
      [2, `${ns}.s.b`, true, 0],
    ]);
    expect(read[0]!.json()).toEqual({ n: 1 });
  });

  it('reads the last message of each subject, or only new ones, filtered', async () => {
    for (const [subject, n] of [['a', 1], ['a', 2], ['b', 3]] as const) await conn.publish(`${ns}.s.${subject}`, JSON.stringify({ n }));
    const latest = await take(await conn.read({ stream: `${ns}-s`, from: 'last-per-subject' }), 2);
    expect(latest.map((m) => m.json<{ n: number }>().n)).toEqual([2, 3]);
    const fresh = await conn.read({ stream: `${ns}-s`, filterSubject: `${ns}.s.b`, from: 'new' });
    const next = take(fresh, 1);
    await conn.publish(`${ns}.s.a`, '{"n":4}');
    await conn.publish(`${ns}.s.b`, '{"n":5}');
    expect((await next).map((m) => m.json())).toEqual([{ n: 5 }]);
  });

  it('reads what a stream holds now, from a time or the last of each subject, filtered and limited', async () => {
    for (const [subject, n] of [['a', 1], ['b', 2]] as const) await conn.publish(`${ns}.s.${subject}`, JSON.stringify({ n }));
    await new Promise((r) => setTimeout(r, 20));
    const since = Date.now();
    await new Promise((r) => setTimeout(r, 20));
    for (const [subject, n] of [['a', 3], ['b', 4], ['a', 5]] as const) await conn.publish(`${ns}.s.${subject}`, JSON.stringify({ n }));
    const values = (snapshot: { messages: { json<T>(): T }[] }) => snapshot.messages.map((m) => m.json<{ n: number }>().n);
    expect(values(await conn.readSnapshot({ stream: `${ns}-s`, from: { startTime: since } }))).toEqual([3, 4, 5]);
    expect(values(await conn.readSnapshot({ stream: `${ns}-s`, filterSubject: `${ns}.s.a`, from: { startTime: since } }))).toEqual([3, 5]);
    expect(values(await conn.readSnapshot({ stream: `${ns}-s`, from: 'start', until: since }))).toEqual([1, 2]);
    expect(values(await conn.readSnapshot({ stream: `${ns}-s`, from: 'last-per-subject' }))).toEqual([4, 5]);
    expect(await conn.readSnapshot({ stream: `${ns}-s`, from: 'start', limit: 2 })).toMatchObject({ truncated: true, messages: [{ streamSeq: 1 }, { streamSeq: 2 }] });
    expect(await conn.readSnapshot({ stream: `${ns}-s`, from: { startTime: Date.now() + 60_000 } })).toEqual({ messages: [], truncated: false });
    expect(await conn.readSnapshot({ stream: `${ns}-s`, filterSubject: `${ns}.s.none`, from: 'start' })).toEqual({ messages: [], truncated: false });
  });

  it('purges a stream, or one subject of it', async () => {
    for (const subject of ['a', 'a', 'b']) await conn.publish(`${ns}.s.${subject}`, '{}');
    expect(await conn.purgeStream(`${ns}-s`, { subject: `${ns}.s.a` })).toBe(2);
    expect(await conn.purgeStream(`${ns}-s`)).toBe(1);
    expect((await conn.streamState(`${ns}-s`)).messages).toBe(0);
  });

  it('reports where a durable stands', async () => {
    for (let i = 0; i < 3; i++) await conn.publish(`${ns}.s.a`, '{}');
    await ensureDurable(conn, { stream: `${ns}-s`, durable: 'd', filterSubject: `${ns}.s.>` });
    expect(await conn.consumerState(`${ns}-s`, 'd')).toEqual({ pending: 3, ackPending: 0, redelivered: 0, ackFloor: 0 });
  });

  it('answers requests from one member of a queue group, and delivers core messages to subscribers', async () => {
    const answeredBy: string[] = [];
    const serving = ['x', 'y'].map((member) =>
      conn.serve(`${ns}.ask`, { queue: 'q' }, (request) => {
        answeredBy.push(member);
        return `${member}:${request.string()}`;
      }),
    );
    const seen: string[] = [];
    const listening = conn.subscribe(`${ns}.ask`, (m) => seen.push(m.string()));
    const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => conn.request(`${ns}.ask`, `q${i}`, 2000)));
    expect(replies.map((r) => new TextDecoder().decode(r).split(':')[1])).toEqual(Array.from({ length: 10 }, (_, i) => `q${i}`));
    expect(answeredBy).toHaveLength(10);
    expect(seen).toHaveLength(10);
    await Promise.all([...serving, listening].map((l) => l.stop()));
    await expect(conn.request(`${ns}.ask`, 'again', 500)).rejects.toThrow();
  });

  it('says whether it is connected', async () => {
    expect(conn.state).toBe('connected');
    expect(conn.connected).toBe(true);
  });
});
