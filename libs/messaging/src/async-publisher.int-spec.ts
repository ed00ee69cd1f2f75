import { natsUrl, deleteNamespace, uniqueNamespace } from '@sightline/test-support';
import { AsyncPublisher } from './async-publisher';
import { connectJetStream, type JetStreamConnection } from './connection';
import { encodeJson } from './publisher';
import { natsClients } from './port/nats-clients';

describe('AsyncPublisher', () => {
  let conn: JetStreamConnection;
  let ns: string;
  let publisher: AsyncPublisher;

  beforeEach(async () => {
    conn = await connectJetStream({ servers: natsUrl(), name: 'async-publisher-test' });
    ns = uniqueNamespace();
    await natsClients(conn).jsm.streams.add({ name: `${ns}-s`, subjects: [`${ns}.s.>`], duplicate_window: 60_000_000_000 });
    publisher = new AsyncPublisher(natsClients(conn).nc, 2000);
  });

  afterEach(async () => {
    publisher.close();
    await deleteNamespace(conn, ns);
    await conn.drain();
  });

  it('resolves each publish with its stream sequence, and a repeated id as a duplicate', async () => {
    const acks = await Promise.all(Array.from({ length: 500 }, (_, i) => publisher.publish(`${ns}.s.x`, encodeJson({ i }), `id-${i}`)));
    expect(acks.map((a) => a.seq)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(await publisher.publish(`${ns}.s.x`, encodeJson({ i: 7 }), 'id-7')).toEqual({ stream: `${ns}-s`, seq: 8, duplicate: true });
    expect((await natsClients(conn).jsm.streams.info(`${ns}-s`)).state.messages).toBe(500);
  });

  it('rejects a publish no stream captures, with the reason', async () => {
    await expect(publisher.publish(`${ns}.nowhere`, encodeJson({}), 'x')).rejects.toThrow(/publish refused: 503/);
  });
});
