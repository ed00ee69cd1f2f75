import { Kvm, type KV } from '@nats-io/kv';
import type { JetStreamConnection } from '../connection';
import { scanKv } from './kv-scan';

/** What is kept of one key: its state, its timer and the input sequence it reflects. */
export interface KeyRecord<S> {
  /** Stream sequence of the last message (or timer) applied to this key. */
  readonly seq: number;
  readonly state?: S;
  readonly timer?: number;
}

/** Where a partition's input stands: everything up to `seq` is in the saved state. */
export interface Position {
  readonly seq: number;
  /** Partition time at `seq`, ms. */
  readonly now: number;
}

export interface PartitionCheckpoint<S> {
  readonly position: Position;
  /** Revision of the position entry; saving requires it, so an old owner cannot overwrite. */
  readonly revision: number;
  readonly records: Map<string, KeyRecord<S>>;
}

/** Thrown when the position was written by someone else since we read it: we no longer own it. */
export class FencedError extends Error {
  override readonly name = 'FencedError';
}

const encodeKey = (key: string) => Buffer.from(key, 'utf8').toString('base64url') || '_';
const decodeKey = (encoded: string) => (encoded === '_' ? '' : Buffer.from(encoded, 'base64url').toString('utf8'));
const json = (value: unknown) => JSON.stringify(value);

/**
 * Keyed state and input positions in one KV bucket: `p<N>.k.<key>` per key, `p<N>.pos` per
 * partition. Keys are written before the position, and each key records the sequence it
 * reflects, so a crash between the two is resolved on restore.
 */
export class CheckpointStore<S> {
  private constructor(
    private readonly connection: JetStreamConnection,
    private readonly kv: KV,
    readonly bucket: string,
  ) {}

  static async open<S>(connection: JetStreamConnection, bucket: string): Promise<CheckpointStore<S>> {
    const kv = await new Kvm(connection.nc).create(bucket, { history: 1 });
    return new CheckpointStore<S>(connection, kv, bucket);
  }

  async load(partition: number): Promise<PartitionCheckpoint<S>> {
    const records = new Map<string, KeyRecord<S>>();
    let position: Position = { seq: 0, now: 0 };
    let revision = 0;
    const decoder = new TextDecoder();
    for (const entry of await scanKv(this.connection, this.bucket, `p${partition}.>`)) {
      if (entry.key === `p${partition}.pos`) {
        position = JSON.parse(decoder.decode(entry.value)) as Position;
        revision = entry.revision;
      } else if (entry.key.startsWith(`p${partition}.k.`)) {
        records.set(decodeKey(entry.key.slice(`p${partition}.k.`.length)), JSON.parse(decoder.decode(entry.value)) as KeyRecord<S>);
      }
    }
    return { position, revision, records };
  }

  /**
   * Writes changed keys (a record with neither state nor timer deletes the key), then the
   * position, conditional on `revision`. Returns the new revision.
   */
  async save(partition: number, changed: ReadonlyMap<string, KeyRecord<S>>, position: Position, revision: number): Promise<number> {
    await Promise.all(
      [...changed].map(([key, record]) => {
        const kvKey = `p${partition}.k.${encodeKey(key)}`;
        return record.state === undefined && record.timer === undefined ? this.kv.delete(kvKey) : this.kv.put(kvKey, json(record));
      }),
    );
    const posKey = `p${partition}.pos`;
    try {
      return revision === 0 ? await this.kv.create(posKey, json(position)) : await this.kv.update(posKey, json(position), revision);
    } catch (error) {
      throw new FencedError(`position of partition ${partition} changed under us (expected revision ${revision})`, { cause: error });
    }
  }
}
