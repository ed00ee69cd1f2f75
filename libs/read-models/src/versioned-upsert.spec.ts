import { fc, test as propertyTest } from '@fast-check/jest';
import { COLLECTIONS } from './collections';
import { InMemoryReadModelStore } from './in-memory-store';
import { byCollection, coalesce, guardedUpdate, type VersionedUpsert } from './versioned-upsert';

const upsert = (id: string, version: number, fields: Record<string, unknown> = {}): VersionedUpsert => ({
  collection: COLLECTIONS.views,
  id,
  versionField: 'revision',
  version,
  fields: { revision: version, ...fields },
});

describe('guardedUpdate', () => {
  it('matches the document only while its version is lower or missing, and sets every field', () => {
    expect(guardedUpdate(upsert('p/v', 3, { a: 1 }))).toEqual({
      filter: { _id: 'p/v', revision: { $not: { $gte: 3 } } },
      update: { $set: { revision: 3, a: 1 } },
      upsert: true,
    });
  });
});

describe('coalesce', () => {
  it('keeps one upsert per collection and id: the highest version over the fields of the lower ones', () => {
    const merged = coalesce([upsert('a', 1, { x: 1, y: 1 }), upsert('b', 1), upsert('a', 3, { x: 3 }), upsert('a', 2, { z: 2 })]);
    expect(merged).toEqual([upsert('a', 3, { x: 3, y: 1, z: 2 }), upsert('b', 1)]);
  });

  it('keeps the same id in different collections apart', () => {
    const other = { ...upsert('a', 1), collection: COLLECTIONS.alerts };
    expect(coalesce([upsert('a', 1), other])).toHaveLength(2);
  });

  propertyTest.prop([fc.array(fc.record({ id: fc.constantFrom('a', 'b', 'c'), version: fc.nat(20) }), { maxLength: 30 })])(
    'writing a coalesced batch stores what writing it one upsert at a time stores',
    async (items) => {
      const batch = items.map(({ id, version }) => upsert(id, version, { [`f${version}`]: version }));
      const oneByOne = new InMemoryReadModelStore();
      for (const u of batch) await oneByOne.write([u]);
      const coalesced = new InMemoryReadModelStore();
      await coalesced.write(coalesce(batch));
      for (const id of ['a', 'b', 'c']) {
        expect(coalesced.get(COLLECTIONS.views, id)?.revision).toEqual(oneByOne.get(COLLECTIONS.views, id)?.revision);
      }
    },
  );
});

describe('byCollection', () => {
  it('groups upserts by collection in first-seen order', () => {
    const alert = { ...upsert('x', 1), collection: COLLECTIONS.alerts };
    expect([...byCollection([upsert('a', 1), alert, upsert('b', 1)]).entries()]).toEqual([
      [COLLECTIONS.views, [upsert('a', 1), upsert('b', 1)]],
      [COLLECTIONS.alerts, [alert]],
    ]);
  });
});

describe('InMemoryReadModelStore', () => {
  it('applies a version once, ignores older and equal ones, and counts both', async () => {
    const store = new InMemoryReadModelStore();
    expect(await store.write([upsert('a', 2, { s: 2 })])).toEqual(new Map([[COLLECTIONS.views, { written: 1, unchanged: 0 }]]));
    expect(await store.write([upsert('a', 2, { s: 2 }), upsert('a', 1, { s: 1 })])).toEqual(new Map([[COLLECTIONS.views, { written: 0, unchanged: 2 }]]));
    expect(store.get(COLLECTIONS.views, 'a')).toEqual({ revision: 2, s: 2 });
  });

  it('rejects every write while failWith is set, storing nothing', async () => {
    const store = new InMemoryReadModelStore();
    store.failWith = new Error('down');
    await expect(store.write([upsert('a', 1)])).rejects.toThrow('down');
    expect(store.count(COLLECTIONS.views)).toBe(0);
  });
});
