import type { KeyRecord } from './checkpoint-types';
import { chunkEntries, deltaText, DeltaReader, snapshotText, SnapshotReader, type DeltaBody, type SnapshotBody } from './changelog-records';

type R = KeyRecord<{ text: string }>;
const record = (seq: number, text: string): R => ({ seq, state: { text } });

function readDeltas(records: Map<string, R>, texts: string[]): Map<string, R> {
  const reader = new DeltaReader(records);
  for (const text of texts) reader.add(JSON.parse(text) as DeltaBody<{ text: string }>);
  return records;
}

describe('changelog records', () => {
  it('groups small entries into messages within the byte limit', () => {
    const entries: [string, R][] = Array.from({ length: 50 }, (_, i) => [`k${i}`, record(i, 'x'.repeat(20))]);
    const chunks = chunkEntries(entries, 600);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(Array.isArray(chunk) && Buffer.byteLength(deltaText(chunk))).toBeLessThan(600 + 64);
    expect(readDeltas(new Map(), chunks.map(deltaText))).toEqual(new Map(entries));
  });

  it('writes an entry larger than a message as parts and reads it back whole, multi-byte text included', () => {
    const big = record(7, 'é€'.repeat(3000));
    const chunks = chunkEntries<R | null>([['small', record(1, 'a')], ['big', big], ['gone', null]], 1024);
    expect(chunks.filter((c) => typeof c === 'string').length).toBeGreaterThan(1);
    const records = readDeltas(new Map([['gone', record(0, 'old')]]), chunks.map(deltaText));
    expect(records).toEqual(new Map([['small', record(1, 'a')], ['big', big]]));
  });

  it('never applies a half-written entry: a new part 0 starts it afresh', () => {
    const parts = chunkEntries([['big', record(1, 'z'.repeat(4000))]], 1024).map(deltaText);
    const rewritten = chunkEntries([['big', record(2, 'y'.repeat(4000))]], 1024).map(deltaText);
    const records = readDeltas(new Map(), [...parts.slice(0, 2), ...rewritten]);
    expect(records.get('big')).toEqual(record(2, 'y'.repeat(4000)));
    expect(readDeltas(new Map(), parts.slice(0, -1)).has('big')).toBe(false);
  });

  it('starts from the latest complete snapshot, not one whose final chunk is missing', () => {
    const reader = new SnapshotReader<{ text: string }>();
    const add = (id: string, base: number, final: boolean, entries: [string, R][]) =>
      reader.add(JSON.parse(snapshotText(id, base, final, chunkEntries(entries, 4096)[0] ?? [])) as SnapshotBody<{ text: string }>, id);
    add('10', 10, true, [['a', record(10, 'first')]]);
    add('20', 20, false, [['a', record(20, 'unfinished')]]);
    expect(reader.latest()).toEqual({ records: new Map([['a', record(10, 'first')]]), base: 10 });
    add('20', 20, true, [['b', record(20, 'second')]]);
    expect(reader.latest()).toEqual({ records: new Map([['a', record(20, 'unfinished')], ['b', record(20, 'second')]]), base: 20 });
  });
});
