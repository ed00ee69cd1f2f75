import { DeliverPolicy, JetStreamApiError, type StoredMsg } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import type { JetStreamConnection } from '../connection';
import { ensureStreams } from '../provisioning';
import type { KeyRecord, PartitionCheckpoint, Position } from './checkpoint-types';
import { FencedError } from './checkpoint-types';
import { chunkEntries, deltaText, DeltaReader, SNAPSHOT_HEADER, snapshotText, SnapshotReader, type DeltaBody, type SnapshotBody } from './changelog-records';
import { natsClients } from '../port/nats-clients';

/** Bytes one read of a changelog asks for: several large records, well within the client's pending limit. */
const READ_BYTES = 8 * 1024 * 1024;

/** The status a pull ends with when its next message is larger than the bytes it has left. */
function isReadFull(error: unknown): boolean {
  const status = error as { name?: string; code?: number; message?: string };
  return status.name === 'JetStreamStatusError' && status.code === 409 && status.message === 'message size exceeds maxbytes';
}

const encoder = new TextEncoder();

export interface ChangelogOptions {
  /** Largest delta or snapshot message, bytes (below the server's max_payload). Default 512 KiB. */
  readonly chunkBytes?: number;
  /** Deltas since the last snapshot that trigger a new snapshot (compaction). Default 200. */
  readonly snapshotEvery?: number;
}

/** Token a save needs: the last sequences of the partition's delta and position subjects. */
export interface ChangelogToken {
  readonly deltaSeq: number;
  readonly positionSeq: number;
  readonly snapshotSeq: number;
  readonly deltasSinceSnapshot: number;
}

/**
 * Keyed state as a changelog, as Kafka Streams does: each checkpoint appends the changed keys
 * (a delta) and then the position, both compare-and-set on their subject's last sequence, so an
 * instance that lost its partition cannot append after the new owner. Every `snapshotEvery`
 * deltas, a full snapshot is written and older deltas purged. Restoring reads the latest
 * complete snapshot, the deltas after it, and the last position. One stream per group.
 */
export class ChangelogStore<S> {
  private readonly chunkBytes: number;
  private readonly snapshotEvery: number;

  private constructor(
    private readonly connection: JetStreamConnection,
    readonly stream: string,
    private readonly subjectPrefix: string,
    options: ChangelogOptions,
  ) {
    this.chunkBytes = options.chunkBytes ?? 512 * 1024;
    this.snapshotEvery = options.snapshotEvery ?? 200;
  }

  /** Opens (creating if needed) the stream `<prefix>-<group>-state` on `<prefix>.state.<group>.>`. */
  static async open<S>(connection: JetStreamConnection, prefix: string, group: string, options: ChangelogOptions = {}): Promise<ChangelogStore<S>> {
    const stream = `${prefix}-${group}-state`;
    const subjectPrefix = `${prefix}.state.${group}`;
    await ensureStreams(connection, [{ name: stream, subjects: [`${subjectPrefix}.>`], description: `State changelog of ${group}` }], {
      maxAgeMs: 0,
      duplicateWindowMs: 120_000,
    });
    return new ChangelogStore<S>(connection, stream, subjectPrefix, options);
  }

  private subject(partition: number, kind: 'delta' | 'pos' | 'snap'): string {
    return `${this.subjectPrefix}.p${partition}.${kind}`;
  }

  private async lastOn(subject: string): Promise<StoredMsg | undefined> {
    try {
      return (await natsClients(this.connection).jsm.streams.getMessage(this.stream, { last_by_subj: subject })) ?? undefined;
    } catch (error) {
      if (error instanceof JetStreamApiError) return undefined;
      throw error;
    }
  }

  /** The saved position of each partition (seq 0 where none is saved yet): a cheap progress read. */
  async positions(partitions: number): Promise<Position[]> {
    return Promise.all(
      Array.from({ length: partitions }, async (_, p) => (await this.lastOn(this.subject(p, 'pos')))?.json<Position>() ?? { seq: 0, now: 0 }),
    );
  }

  private async read(subject: string, fromSeq: number, onMessage: (seq: number, data: Uint8Array, snapshotId?: string) => void): Promise<void> {
    const last = await this.lastOn(subject);
    if (!last || last.seq < fromSeq) return;
    const consumer = await natsClients(this.connection).js.consumers.get(this.stream, {
      filter_subjects: subject,
      ...(fromSeq > 1 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: fromSeq } : { deliver_policy: DeliverPolicy.All }),
    });
    try {
      for (let done = false; !done; ) {
        // Bounded in bytes, not messages: records written in parts make messages of hundreds of
        // kilobytes, and 256 of them would overrun the client's pending limit (a slow consumer).
        const batch = await consumer.fetch({ max_bytes: READ_BYTES, expires: 2000 });
        let received = 0;
        try {
          for await (const m of batch) {
            received++;
            onMessage(m.seq, m.data, m.headers?.get(SNAPSHOT_HEADER) || undefined);
            if (m.seq >= last.seq) {
              done = true;
              break;
            }
          }
        } catch (error) {
          // The next message did not fit in what was left of this read's bytes: the server ends
          // the read with a 409, which the client raises. The next read starts with that message.
          if (received === 0 || !isReadFull(error)) throw error;
        }
        if (received === 0) throw new Error(`changelog ${subject} ended before sequence ${last.seq}`);
      }
    } finally {
      await consumer.delete().catch(() => undefined);
    }
  }

  async load(partition: number): Promise<PartitionCheckpoint<S, ChangelogToken>> {
    const decoder = new TextDecoder();
    const snapshots = new SnapshotReader<S>();
    let snapshotSeq = 0;
    await this.read(this.subject(partition, 'snap'), 1, (seq, data, id) => {
      snapshots.add(JSON.parse(decoder.decode(data)) as SnapshotBody<S>, id);
      snapshotSeq = seq;
    });
    const { records, base } = snapshots.latest();
    let deltaSeq = 0;
    let deltas = 0;
    const deltaReader = new DeltaReader(records);
    await this.read(this.subject(partition, 'delta'), base + 1, (seq, data) => {
      deltaReader.add(JSON.parse(decoder.decode(data)) as DeltaBody<S>);
      deltaSeq = seq;
      deltas++;
    });
    if (deltaSeq === 0) deltaSeq = (await this.lastOn(this.subject(partition, 'delta')))?.seq ?? 0;
    const last = await this.lastOn(this.subject(partition, 'pos'));
    return {
      position: last?.json<Position>() ?? { seq: 0, now: 0 },
      records,
      token: { deltaSeq, positionSeq: last?.seq ?? 0, snapshotSeq, deltasSinceSnapshot: deltas },
    };
  }

  /**
   * Appends the changed keys (a record with neither state nor timer removes the key), then the
   * position; compacts when due. Throws FencedError when another writer appended meanwhile.
   */
  async save(partition: number, changed: ReadonlyMap<string, KeyRecord<S>>, position: Position, token: ChangelogToken): Promise<ChangelogToken> {
    let { deltaSeq, deltasSinceSnapshot } = token;
    const changes: [string, KeyRecord<S> | null][] = [...changed].map(([key, r]) => [key, r.state === undefined && r.timer === undefined ? null : r]);
    for (const chunk of chunkEntries(changes, this.chunkBytes)) {
      deltaSeq = await this.appendRaw(this.subject(partition, 'delta'), deltaText(chunk), deltaSeq);
      deltasSinceSnapshot++;
    }
    const positionSeq = await this.append(this.subject(partition, 'pos'), position, token.positionSeq);
    let next: ChangelogToken = { deltaSeq, positionSeq, snapshotSeq: token.snapshotSeq, deltasSinceSnapshot };
    if (deltasSinceSnapshot >= this.snapshotEvery) next = await this.compact(partition, next);
    return next;
  }

  /**
   * Writes a full snapshot as of the last delta, then purges the deltas, positions and
   * snapshots it makes redundant.
   */
  private async compact(partition: number, token: ChangelogToken): Promise<ChangelogToken> {
    const { records } = await this.load(partition);
    const id = `${token.deltaSeq}`;
    const chunks = chunkEntries([...records], this.chunkBytes);
    let snapshotSeq = token.snapshotSeq;
    let firstSeq = 0;
    for (let i = 0; i < chunks.length || i === 0; i++) {
      const final = i >= chunks.length - 1;
      const body = snapshotText(id, token.deltaSeq, final, chunks[i] ?? []);
      const hdrs = natsHeaders();
      hdrs.set(SNAPSHOT_HEADER, id);
      snapshotSeq = await this.appendRaw(this.subject(partition, 'snap'), body, snapshotSeq, hdrs);
      firstSeq ||= snapshotSeq;
    }
    const { jsm } = natsClients(this.connection);
    await jsm.streams.purge(this.stream, { filter: this.subject(partition, 'snap'), seq: firstSeq });
    await jsm.streams.purge(this.stream, { filter: this.subject(partition, 'delta'), seq: token.deltaSeq });
    await jsm.streams.purge(this.stream, { filter: this.subject(partition, 'pos'), seq: token.positionSeq });
    return { ...token, snapshotSeq, deltasSinceSnapshot: 0 };
  }

  private append(subject: string, body: unknown, expectedLast: number): Promise<number> {
    return this.appendRaw(subject, JSON.stringify(body), expectedLast);
  }

  private async appendRaw(subject: string, body: string, expectedLast: number, headers?: ReturnType<typeof natsHeaders>): Promise<number> {
    try {
      const ack = await natsClients(this.connection).js.publish(subject, encoder.encode(body), {
        expect: { lastSubjectSequence: expectedLast },
        ...(headers ? { headers } : {}),
      });
      return ack.seq;
    } catch (error) {
      if (error instanceof JetStreamApiError) {
        throw new FencedError(`${subject} was appended to by another writer (expected last sequence ${expectedLast})`, { cause: error });
      }
      throw error;
    }
  }
}
