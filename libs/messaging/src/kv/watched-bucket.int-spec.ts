import { Kvm, type KV } from '@nats-io/kv';
import { Type, type Static } from '@sinclair/typebox';
import { deleteNamespace, natsUrl, uniqueNamespace } from '@sightline/test-support';
import { connectJetStream, type JetStreamConnection } from '../connection';
import { InvalidDocumentError, RevisionConflictError } from './bucket-errors';
import type { DocumentChange } from './document-change';
import { documentValidator } from './document-validator';
import { WatchedBucket, type BucketLogger } from './watched-bucket';
import { natsClients } from '../port/nats-clients';

const WidgetSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9-]+$' }),
    size: Type.Integer({ minimum: 1 }),
    colour: Type.String({ default: 'grey' }),
    min: Type.Integer({ default: 0 }),
    max: Type.Integer({ default: 10 }),
  },
  { additionalProperties: false },
);
type Widget = Static<typeof WidgetSchema>;

const validator = documentValidator(WidgetSchema, (w) => (w.max < w.min ? [{ path: '/max', message: `must be at least /min (${w.min})` }] : []));
const widget = (id: string, size: number): Widget => ({ id, size, colour: 'grey', min: 0, max: 10 });

/** A logger that keeps what it was told, so that tests can read the reasons. */
function recordingLogger(): BucketLogger & { warnings: { fields: Record<string, unknown>; message: string }[] } {
  const warnings: { fields: Record<string, unknown>; message: string }[] = [];
  return {
    warnings,
    warn: (fields, message) => warnings.push({ fields: fields as Record<string, unknown>, message }),
    error: (fields, message) => warnings.push({ fields: fields as Record<string, unknown>, message }),
  };
}

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('WatchedBucket', () => {
  let conn: JetStreamConnection;
  let ns: string;
  let bucketName: string;
  let raw: KV;
  const opened: WatchedBucket<Widget>[] = [];

  const open = async (options: Partial<Parameters<typeof WatchedBucket.open<Widget>>[1]> = {}): Promise<WatchedBucket<Widget>> => {
    const bucket = await WatchedBucket.open(conn, { bucket: bucketName, validator, logger: recordingLogger(), ...options });
    opened.push(bucket);
    return bucket;
  };

  beforeEach(async () => {
    conn = await connectJetStream({ servers: natsUrl(), name: 'watched-bucket-test' });
    ns = uniqueNamespace();
    bucketName = `${ns}-widgets`;
    raw = await new Kvm(natsClients(conn).nc).create(bucketName, { history: 1 });
  });

  afterEach(async () => {
    for (const bucket of opened.splice(0)) bucket.close();
    await deleteNamespace(conn, ns);
    await conn.drain();
  });

  it('loads every stored document before open resolves, and is ready then', async () => {
    for (let i = 0; i < 50; i++) await raw.put(`w-${i}`, JSON.stringify(widget(`w-${i}`, i + 1)));
    await raw.delete('w-7');
    const bucket = await open();
    expect(bucket.list()).toHaveLength(49);
    expect(bucket.get('w-7')).toBeUndefined();
    expect(bucket.get('w-42')).toEqual(widget('w-42', 43));
    expect(() => bucket.readiness.check()).not.toThrow();
    expect(bucket.readiness.name).toBe(`kv:${bucketName}`);
  });

  it('is ready at once on an empty bucket, and not after close', async () => {
    const bucket = await open();
    expect(bucket.list()).toEqual([]);
    expect(() => bucket.readiness.check()).not.toThrow();
    bucket.close();
    expect(() => bucket.readiness.check()).toThrow(`the watch of bucket ${bucketName} ended: closed`);
  });

  it('seeds a document only when none is stored under its id, with its defaults filled', async () => {
    await raw.put('kept', JSON.stringify(widget('kept', 99)));
    const bucket = await open({ seed: [widget('kept', 1), { id: 'fresh', size: 2 } as Widget] });
    expect(bucket.get('kept')?.size).toBe(99);
    expect(bucket.get('fresh')).toEqual(widget('fresh', 2));
    expect((await raw.get('fresh'))?.json()).toEqual(widget('fresh', 2));
  });

  it('refuses an invalid seed with its reasons', async () => {
    await expect(open({ seed: [{ id: 'bad', size: 0 } as Widget] })).rejects.toThrow(
      new InvalidDocumentError(bucketName, 'bad', [{ path: '/size', message: 'Expected integer to be greater or equal to 1' }]),
    );
  });

  it('applies a write from another instance, in order, and tells the listener', async () => {
    const changes: DocumentChange<Widget>[] = [];
    const writer = await open();
    const reader = await open({ onChange: (change) => changes.push(change) });
    await writer.put(widget('a', 1));
    await writer.put(widget('a', 2));
    await writer.put(widget('b', 3));
    await writer.delete('a');
    await until(() => changes.length >= 4, 'the reader has seen four changes');
    expect(changes).toEqual([
      { id: 'a', previous: undefined, current: widget('a', 1) },
      { id: 'a', previous: widget('a', 1), current: widget('a', 2) },
      { id: 'b', previous: undefined, current: widget('b', 3) },
      { id: 'a', previous: widget('a', 2), current: undefined },
    ]);
    expect(reader.list()).toEqual([widget('b', 3)]);
  });

  it('reads its own writes at once, and a later watch entry of the same write changes nothing', async () => {
    const changes: DocumentChange<Widget>[] = [];
    const bucket = await open({ onChange: (change) => changes.push(change) });
    expect(await bucket.put({ id: 'x', size: 5 } as Widget)).toEqual(widget('x', 5));
    expect(bucket.get('x')).toEqual(widget('x', 5));
    expect(await bucket.delete('x')).toBe(true);
    expect(bucket.get('x')).toBeUndefined();
    expect(await bucket.delete('x')).toBe(false);
    const other = await open();
    await other.put(widget('sync', 1));
    await until(() => bucket.get('sync') !== undefined, 'the put after them has arrived');
    expect(changes.map((c) => [c.id, c.current?.size])).toEqual([
      ['x', 5],
      ['x', undefined],
      ['sync', 1],
    ]);
  });

  it('skips stored values that are not documents, logs why, and keeps watching', async () => {
    const logger = recordingLogger();
    await raw.put('not-json', '{"id":');
    const bucket = await open({ logger });
    await raw.put('too-small', JSON.stringify({ id: 'too-small', size: 0 }));
    await raw.put('min-max', JSON.stringify({ id: 'min-max', size: 1, min: 5, max: 2 }));
    await raw.put('elsewhere', JSON.stringify(widget('other-id', 1)));
    await raw.put('fine', JSON.stringify(widget('fine', 1)));
    await until(() => bucket.get('fine') !== undefined, 'the valid document has arrived');
    expect(bucket.list()).toEqual([widget('fine', 1)]);
    expect(logger.warnings.map((w) => [w.message, w.fields.key, w.fields.reason])).toEqual([
      ['invalid document skipped', 'not-json', expect.stringMatching(/^not JSON: /)],
      ['invalid document skipped', 'too-small', '/size: Expected integer to be greater or equal to 1'],
      ['invalid document skipped', 'min-max', '/max: must be at least /min (5)'],
      ['invalid document skipped', 'elsewhere', '/id: "other-id" differs from its key'],
    ]);
    expect(logger.warnings[0]!.fields.bucket).toBe(bucketName);
  });

  it('keeps the last valid version when an invalid one is written over it', async () => {
    const bucket = await open();
    await bucket.put(widget('w', 1));
    await raw.put('w', JSON.stringify({ id: 'w', size: -1 }));
    await raw.put('sync', JSON.stringify(widget('sync', 1)));
    await until(() => bucket.get('sync') !== undefined, 'the write after it has arrived');
    expect(bucket.get('w')).toEqual(widget('w', 1));
  });

  it('survives a listener that throws', async () => {
    const logger = recordingLogger();
    const bucket = await open({ logger, onChange: () => { throw new Error('listener broke'); } });
    await bucket.put(widget('a', 1));
    expect(bucket.get('a')).toEqual(widget('a', 1));
    expect(logger.warnings).toEqual([{ fields: { bucket: bucketName, key: 'a', err: 'listener broke' }, message: 'document change listener failed' }]);
  });

  it('refuses to write an invalid document, writing nothing', async () => {
    const bucket = await open();
    await expect(bucket.put({ id: 'big', size: 1, min: 3, max: 1 } as Widget)).rejects.toThrow(
      `invalid document big for bucket ${bucketName}: /max: must be at least /min (3)`,
    );
    expect(await raw.get('big')).toBeNull();
  });

  it('compares and sets: create only when absent, update and delete only at the expected revision', async () => {
    const bucket = await open();
    await bucket.put(widget('c', 1), { revision: 0 });
    await expect(bucket.put(widget('c', 2), { revision: 0 })).rejects.toThrow(`document c already exists in bucket ${bucketName}`);
    const revision = bucket.revisionOf('c')!;
    await raw.put('c', JSON.stringify(widget('c', 3)));
    await expect(bucket.put(widget('c', 4), { revision })).rejects.toBeInstanceOf(RevisionConflictError);
    await expect(bucket.delete('c', { revision })).rejects.toThrow(
      `document c in bucket ${bucketName} is no longer at revision ${revision}: read it again and retry`,
    );
    await until(() => bucket.get('c')?.size === 3, 'the concurrent write has arrived');
    await bucket.put(widget('c', 5), { revision: bucket.revisionOf('c')! });
    expect((await raw.get('c'))?.json()).toEqual(widget('c', 5));
    expect(await bucket.delete('c', { revision: bucket.revisionOf('c')! })).toBe(true);
    expect(bucket.revisionOf('c')).toBeUndefined();
    await bucket.put(widget('c', 6), { revision: 0 });
    expect(bucket.get('c')?.size).toBe(6);
  });
});
