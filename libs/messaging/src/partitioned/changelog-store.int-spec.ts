import { deleteNamespace, natsUrl, uniqueNamespace } from '@sightline/test-support';
import { connectJetStream, type JetStreamConnection } from '../connection';
import { ChangelogStore, type ChangelogToken } from './changelog-store';
import type { KeyRecord } from './checkpoint-types';
import { natsClients } from '../port/nats-clients';

type Big = { text: string; n: number };

describe('ChangelogStore with records larger than a message', () => {
  let conn: JetStreamConnection;
  let ns: string;

  beforeEach(async () => {
    conn = await connectJetStream({ servers: natsUrl(), name: 'changelog-store-test' });
    ns = uniqueNamespace('cls');
  });

  afterEach(async () => {
    await deleteNamespace(conn, ns);
    await conn.drain();
  });

  /** 20 KB of text with quotes, backslashes, multi-byte and astral characters (escaping and UTF-8 widen them). */
  const bigText = (seed: number) => Array.from({ length: 2000 }, (_, i) => `${seed}"\\é😀${i}`).join('|');
  const record = (seq: number, text: string, n: number): KeyRecord<Big> => ({ seq, state: { text, n } });
  const start: ChangelogToken = { deltaSeq: 0, positionSeq: 0, snapshotSeq: 0, deltasSinceSnapshot: 0 };

  it('splits a large record into parts, reassembles it, and keeps it through compaction', async () => {
    const store = await ChangelogStore.open<Big>(conn, ns, 'g', { chunkBytes: 2048, snapshotEvery: 1000 });
    const first = await store.save(0, new Map([['big', record(1, bigText(1), 1)], ['small', record(1, 'x', 1)]]), { seq: 1, now: 10 }, start);
    await store.save(0, new Map([['big', record(2, bigText(2), 2)]]), { seq: 2, now: 20 }, first);
    const loaded = await store.load(0);
    expect(loaded.records.get('big')).toEqual(record(2, bigText(2), 2));
    expect(loaded.records.get('small')).toEqual(record(1, 'x', 1));
    expect(loaded.position).toEqual({ seq: 2, now: 20 });
    expect(loaded.token.deltasSinceSnapshot).toBeGreaterThan(20);

    // Compaction writes the big record in parts too, and a reload from the snapshot finds it whole.
    const compacting = await ChangelogStore.open<Big>(conn, ns, 'g', { chunkBytes: 2048, snapshotEvery: 1 });
    await compacting.save(0, new Map([['small', record(3, 'y', 3)]]), { seq: 3, now: 30 }, loaded.token);
    const again = await store.load(0);
    expect(again.records.get('big')).toEqual(record(2, bigText(2), 2));
    expect(again.records.get('small')).toEqual(record(3, 'y', 3));
    expect(again.token.deltasSinceSnapshot).toBe(0);
  });

  it('restores a changelog larger than one read of it (more than 8 MiB of deltas), as a busy partition grows one', async () => {
    const store = await ChangelogStore.open<Big>(conn, ns, 'g', { snapshotEvery: 1000 });
    // 12 deltas of about 900 KB: each read returns as much as fits in 8 MiB, then ends early.
    const text = (i: number) => `${i}`.padEnd(450_000, 'x');
    let token = start;
    for (let i = 1; i <= 12; i++) {
      const changed = new Map([
        [`a${i}`, record(i, text(i), i)],
        [`b${i}`, record(i, text(-i), i)],
      ]);
      token = await store.save(0, changed, { seq: i, now: i }, token);
    }
    const loaded = await store.load(0);
    expect(loaded.records.size).toBe(24);
    expect(loaded.records.get('a12')).toEqual(record(12, text(12), 12));
    expect(loaded.position).toEqual({ seq: 12, now: 12 });
  }, 60_000);

  it('ignores a record whose parts stop half-way (a writer that crashed), keeping the one before', async () => {
    const store = await ChangelogStore.open<Big>(conn, ns, 'g', { chunkBytes: 2048, snapshotEvery: 1000 });
    const token = await store.save(0, new Map([['big', record(1, bigText(1), 1)]]), { seq: 1, now: 10 }, start);
    // The first two parts of a newer version, then nothing: as if the writer died there.
    const json = JSON.stringify(['big', record(2, bigText(2), 2)]);
    let last = token.deltaSeq;
    for (let i = 0; i < 2; i++) {
      const part = { key: 'big', i, n: 50, data: json.slice(i * 256, (i + 1) * 256) };
      last = (await natsClients(conn).js.publish(`${ns}.state.g.p0.delta`, JSON.stringify({ changes: [], part }), { expect: { lastSubjectSequence: last } })).seq;
    }
    const loaded = await store.load(0);
    expect(loaded.records.get('big')).toEqual(record(1, bigText(1), 1));
    // The next writer appends after the broken run and its record wins.
    const next = await store.save(0, new Map([['big', record(3, bigText(3), 3)]]), { seq: 3, now: 30 }, loaded.token);
    expect(loaded.token.deltaSeq).toBe(last);
    expect(next.deltaSeq).toBeGreaterThan(loaded.token.deltaSeq);
    expect((await store.load(0)).records.get('big')).toEqual(record(3, bigText(3), 3));
  });
});
