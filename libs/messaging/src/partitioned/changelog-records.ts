import type { KeyRecord } from './checkpoint-types';

/**
 * The changelog's record format, apart from its I/O: how changed keys become delta messages, how
 * all keys become snapshot messages, and how both are read back. An entry (a key and its record)
 * larger than a message on its own is written as a run of parts, one per message.
 */

/** Header naming the snapshot a snapshot message belongs to. */
export const SNAPSHOT_HEADER = 'Sightline-Snapshot';

/** One piece of an entry too large for a message: `data` pieces, in order, make its JSON. */
interface EntryPart {
  readonly key: string;
  readonly i: number;
  readonly n: number;
  readonly data: string;
}

/** A delta message: changed keys (null: removed), or one part of a large entry. */
export interface DeltaBody<S> {
  readonly changes: [string, KeyRecord<S> | null][];
  readonly part?: EntryPart;
}

/** A snapshot chunk as written (built as a string, read back as this). */
export interface SnapshotBody<S> {
  readonly id: string;
  /** Last delta sequence the snapshot includes. */
  readonly base: number;
  readonly final: boolean;
  readonly records: [string, KeyRecord<S>][];
  readonly part?: EntryPart;
}

/** Entries as JSON: a group of whole entries that fits in one message, or one part of a large entry. */
export type Chunk = string[] | string;

/**
 * Entries as JSON strings, grouped so that each group fits in `chunkBytes`. An entry larger than
 * that on its own becomes a run of parts (each a JSON `EntryPart`) that reading puts back
 * together; a piece is at most an eighth of a message, as escaping can multiply its size.
 */
export function chunkEntries<T>(entries: [string, T][], chunkBytes: number): Chunk[] {
  const chunks: Chunk[] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const json = JSON.stringify(entry);
    if (Buffer.byteLength(json) + 64 > chunkBytes) {
      if (current.length > 0) chunks.push(current);
      current = [];
      bytes = 0;
      const size = Math.max(1, Math.floor(chunkBytes / 8));
      const n = Math.ceil(json.length / size);
      for (let i = 0; i < n; i++) chunks.push(JSON.stringify({ key: entry[0], i, n, data: json.slice(i * size, (i + 1) * size) } satisfies EntryPart));
      continue;
    }
    if (current.length > 0 && bytes + json.length + 1 > chunkBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(json);
    bytes += json.length + 1;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** The text of a delta message carrying `chunk`. */
export function deltaText(chunk: Chunk): string {
  return typeof chunk === 'string' ? `{"changes":[],"part":${chunk}}` : `{"changes":[${chunk.join(',')}]}`;
}

/** The text of snapshot `id`'s message carrying `chunk` (`final`: its last). */
export function snapshotText(id: string, base: number, final: boolean, chunk: Chunk): string {
  const contents = typeof chunk === 'string' ? `"records":[],"part":${chunk}` : `"records":[${chunk.join(',')}]`;
  return `{"id":${JSON.stringify(id)},"base":${base},"final":${final},${contents}}`;
}

/**
 * Reassembles entries written in parts. Parts of one entry are appended one after the other, so
 * a part 0 starts the entry afresh (an earlier writer may have stopped half-way through one) and
 * the entry exists once its last part is read; a half-written entry is never applied.
 */
class PartAssembler {
  private current: { key: string; n: number; pieces: string[] } | undefined;

  add(part: EntryPart): [string, unknown] | undefined {
    if (part.i === 0) this.current = { key: part.key, n: part.n, pieces: [] };
    const current = this.current;
    if (!current || current.key !== part.key || current.n !== part.n || current.pieces.length !== part.i) {
      this.current = undefined;
      return undefined;
    }
    current.pieces.push(part.data);
    if (current.pieces.length < current.n) return undefined;
    this.current = undefined;
    return JSON.parse(current.pieces.join('')) as [string, unknown];
  }
}

/** Collects snapshot chunks as read; the latest complete snapshot is the state to start from. */
export class SnapshotReader<S> {
  private readonly snapshots = new Map<string, { chunks: SnapshotBody<S>[]; complete: boolean }>();

  add(body: SnapshotBody<S>, id: string | undefined): void {
    const key = id ?? body.id;
    const snapshot = this.snapshots.get(key) ?? { chunks: [], complete: false };
    snapshot.chunks.push(body);
    snapshot.complete ||= body.final;
    this.snapshots.set(key, snapshot);
  }

  /** The records of the latest complete snapshot, and the last delta sequence it includes. */
  latest(): { records: Map<string, KeyRecord<S>>; base: number } {
    const records = new Map<string, KeyRecord<S>>();
    const complete = [...this.snapshots.values()].filter((s) => s.complete).at(-1);
    let base = 0;
    const parts = new PartAssembler();
    for (const chunk of complete?.chunks ?? []) {
      base = chunk.base;
      for (const [key, record] of chunk.records) records.set(key, record);
      const whole = chunk.part && parts.add(chunk.part);
      if (whole) records.set(whole[0], whole[1] as KeyRecord<S>);
    }
    return { records, base };
  }
}

/** Applies delta messages, in order, to the records of a snapshot. */
export class DeltaReader<S> {
  private readonly parts = new PartAssembler();

  constructor(private readonly records: Map<string, KeyRecord<S>>) {}

  add(body: DeltaBody<S>): void {
    const whole = body.part && this.parts.add(body.part);
    for (const [key, record] of whole ? [whole as [string, KeyRecord<S> | null]] : body.changes) {
      if (record) this.records.set(key, record);
      else this.records.delete(key);
    }
  }
}
