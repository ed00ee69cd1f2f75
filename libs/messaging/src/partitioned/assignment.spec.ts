import { fc, test } from '@fast-check/jest';
import { planAssignment } from './assignment';

/** Runs every member's plan in turn, as their ticks would, until nothing changes. */
function converge(members: string[], partitions: number, owners = new Map<number, string>()): Map<number, string> {
  for (let round = 0; round < 10; round++) {
    let changed = false;
    for (const self of members) {
      const plan = planAssignment({ self, members, partitions, owners });
      for (const p of plan.release) owners.delete(p);
      for (const p of plan.acquire) if (!owners.has(p)) owners.set(p, self);
      changed ||= plan.acquire.length + plan.release.length > 0;
    }
    if (!changed) return owners;
  }
  throw new Error('did not converge');
}

describe('planAssignment', () => {
  it('gives a lone instance every partition', () => {
    expect(planAssignment({ self: 'a', members: ['a'], partitions: 4, owners: new Map() })).toEqual({ acquire: [0, 1, 2, 3], release: [] });
  });

  it('hands half the partitions to a member that joins', () => {
    const owners = new Map([0, 1, 2, 3].map((p) => [p, 'a'] as [number, string]));
    expect(planAssignment({ self: 'a', members: ['a', 'b'], partitions: 4, owners })).toEqual({ acquire: [], release: [1, 3] });
    expect(planAssignment({ self: 'b', members: ['a', 'b'], partitions: 4, owners })).toEqual({ acquire: [], release: [] });
  });

  it('does not take a partition another member still holds', () => {
    const owners = new Map([[0, 'b']]);
    expect(planAssignment({ self: 'a', members: ['a', 'b'], partitions: 2, owners }).acquire).toEqual([]);
  });

  test.prop([fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 32 })])(
    'converges to every partition owned by exactly one member, balanced within one',
    (members, partitions) => {
      const owners = converge(members, partitions);
      expect(owners.size).toBe(partitions);
      const counts = members.map((m) => [...owners.values()].filter((o) => o === m).length);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    },
  );
});
