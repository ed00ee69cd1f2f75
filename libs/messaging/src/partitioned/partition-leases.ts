import { Kvm, type KV } from '@nats-io/kv';
import type { JetStreamConnection } from '../connection';
import { scanKv } from './kv-scan';
import { natsClients } from '../port/nats-clients';

export interface LeaseOptions {
  /** A lease (and a membership) not renewed for this long expires. Default 10 s. */
  readonly ttlMs: number;
}

/**
 * Membership and partition leases of one consumer group in a KV bucket whose TTL is the lease
 * time: `m.<instance>` says an instance is alive, `p.<N>` who owns partition N. Renewing is a
 * compare-and-set on the revision, so two instances can never both renew one lease.
 */
export class PartitionLeases {
  /** Revision of each lease this instance holds, and when it was last written. */
  private readonly held = new Map<number, { revision: number; at: number }>();

  private constructor(
    private readonly connection: JetStreamConnection,
    private readonly kv: KV,
    private readonly bucket: string,
    readonly instanceId: string,
    private readonly ttlMs: number,
  ) {}

  static async open(connection: JetStreamConnection, bucket: string, instanceId: string, options: LeaseOptions): Promise<PartitionLeases> {
    const kv = await new Kvm(natsClients(connection).nc).create(bucket, { history: 1, ttl: options.ttlMs });
    return new PartitionLeases(connection, kv, bucket, instanceId, options.ttlMs);
  }

  /** Announces this instance as alive. */
  async heartbeat(): Promise<void> {
    await this.kv.put(`m.${this.instanceId}`, JSON.stringify({ at: Date.now() }));
  }

  /** Live members and the owner of every leased partition. */
  async view(): Promise<{ members: string[]; owners: Map<number, string> }> {
    const members: string[] = [];
    const owners = new Map<number, string>();
    const decoder = new TextDecoder();
    for (const entry of await scanKv(this.connection, this.bucket)) {
      if (entry.key.startsWith('m.')) members.push(entry.key.slice(2));
      else if (entry.key.startsWith('p.')) owners.set(Number(entry.key.slice(2)), (JSON.parse(decoder.decode(entry.value)) as { owner: string }).owner);
    }
    return { members, owners };
  }

  /** Takes a free partition; returns the lease revision, or undefined if someone was faster. */
  async acquire(partition: number): Promise<number | undefined> {
    try {
      const at = Date.now();
      const revision = await this.kv.create(`p.${partition}`, this.ownerValue());
      this.held.set(partition, { revision, at });
      return revision;
    } catch {
      return undefined;
    }
  }

  /** Renews a lease the bucket says is ours (after a restart of the processor, or of NATS). */
  async adopt(partition: number): Promise<number | undefined> {
    const entry = await this.kv.get(`p.${partition}`);
    if (!entry || entry.operation !== 'PUT' || (entry.json<{ owner: string }>().owner !== this.instanceId)) return undefined;
    try {
      const at = Date.now();
      const revision = await this.kv.update(`p.${partition}`, this.ownerValue(), entry.revision);
      this.held.set(partition, { revision, at });
      return revision;
    } catch {
      return undefined;
    }
  }

  /** Renews every held lease; returns the partitions whose lease was lost. */
  async renew(): Promise<number[]> {
    const lost: number[] = [];
    await Promise.all(
      [...this.held].map(async ([partition, { revision }]) => {
        const at = Date.now();
        try {
          this.held.set(partition, { revision: await this.kv.update(`p.${partition}`, this.ownerValue(), revision), at });
        } catch {
          this.held.delete(partition);
          lost.push(partition);
        }
      }),
    );
    return lost;
  }

  /**
   * True while the leases were renewed recently enough that nobody else can have taken them.
   * Checked before every checkpoint, so a paused instance does not write after losing a lease.
   */
  isFresh(partition: number, now = Date.now()): boolean {
    const lease = this.held.get(partition);
    return lease !== undefined && now - lease.at < this.ttlMs * 0.8;
  }

  holds(partition: number): boolean {
    return this.held.has(partition);
  }

  revision(partition: number): number | undefined {
    return this.held.get(partition)?.revision;
  }

  async release(partition: number): Promise<void> {
    const revision = this.held.get(partition)?.revision;
    this.held.delete(partition);
    if (revision !== undefined) await this.kv.delete(`p.${partition}`, { previousSeq: revision }).catch(() => undefined);
  }

  /** Gives up everything and leaves the group. */
  async leave(): Promise<void> {
    await Promise.all([...this.held.keys()].map((p) => this.release(p)));
    await this.kv.delete(`m.${this.instanceId}`).catch(() => undefined);
  }

  private ownerValue(): string {
    return JSON.stringify({ owner: this.instanceId });
  }
}
