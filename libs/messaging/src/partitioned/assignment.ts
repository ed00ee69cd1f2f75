/** What one instance should do with partitions, given who is alive and who owns what. */
export interface AssignmentPlan {
  readonly acquire: number[];
  readonly release: number[];
}

export interface AssignmentInput {
  readonly self: string;
  /** Live members, this instance included. */
  readonly members: readonly string[];
  readonly partitions: number;
  /** Current owner of each leased partition. */
  readonly owners: ReadonlyMap<number, string>;
}

/**
 * Partition p belongs to the member at index p mod M of the sorted member list. An instance
 * releases what it holds that belongs to another live member and takes what is free and its
 * own; every instance computes the same mapping, so they converge without talking.
 */
export function planAssignment({ self, members, partitions, owners }: AssignmentInput): AssignmentPlan {
  const sorted = [...new Set([...members, self])].sort();
  const desired = (p: number) => sorted[p % sorted.length];
  const acquire: number[] = [];
  const release: number[] = [];
  for (let p = 0; p < partitions; p++) {
    const owner = owners.get(p);
    if (owner === self && desired(p) !== self) release.push(p);
    else if (owner === undefined && desired(p) === self) acquire.push(p);
  }
  return { acquire, release };
}
