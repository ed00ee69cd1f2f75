import type { StateCodec, StepResult } from '../stage/stage';
import type { KeyRecord } from './checkpoint-types';
import { TimerQueue } from './timer-queue';

/**
 * The keyed state of one partition in memory: each key's record, its timer in the queue, and
 * the records changed since the last checkpoint. A stage's codec applies at the edges only:
 * records are restored through it when the partition starts and saved through it at a checkpoint.
 */
export class KeyedRecords<S> {
  readonly timers = new TimerQueue();
  private records = new Map<string, KeyRecord<S>>();
  private readonly dirty = new Map<string, KeyRecord<S>>();
  /** The dirty records as `pendingSave` found them. */
  private saving = new Map<string, KeyRecord<S>>();

  constructor(private readonly codec: StateCodec<S> | undefined) {}

  /** Takes the records of a checkpoint as loaded (saved form) and their timers. */
  restore(saved: Map<string, KeyRecord<unknown>>): void {
    const codec = this.codec;
    this.records = new Map();
    for (const [key, record] of saved) {
      const restored: KeyRecord<S> =
        record.state !== undefined && codec ? { ...record, state: codec.restore(record.state) } : (record as KeyRecord<S>);
      this.records.set(key, restored);
      if (record.timer !== undefined) this.timers.set(key, record.timer);
    }
  }

  get size(): number {
    return this.records.size;
  }

  get(key: string): KeyRecord<S> | undefined {
    return this.records.get(key);
  }

  get changed(): number {
    return this.dirty.size;
  }

  /** Records a successful step's result for `key` as of input sequence `seq`. */
  apply(key: string, seq: number, result: StepResult<S>): void {
    const { state, timer } = result;
    const record: KeyRecord<S> = { seq, ...(state !== undefined ? { state } : {}), ...(timer !== undefined ? { timer } : {}) };
    this.records.set(key, record);
    this.dirty.set(key, record);
    if (timer === undefined) this.timers.clear(key);
    else this.timers.set(key, timer);
  }

  /** The changed records in saved form, for a checkpoint; `saved` forgets them once written. */
  pendingSave(): Map<string, KeyRecord<S>> {
    const codec = this.codec;
    this.saving = new Map(this.dirty);
    if (!codec) return this.saving;
    const out = new Map<string, KeyRecord<S>>();
    for (const [key, record] of this.dirty) out.set(key, record.state === undefined ? record : ({ ...record, state: codec.save(record.state) } as KeyRecord<S>));
    return out;
  }

  /** What `pendingSave` returned is written: forget the records not changed again since, drop deleted keys. */
  saved(): void {
    for (const [key, record] of this.saving) {
      if (this.dirty.get(key) === record) this.dirty.delete(key);
      if (record.state === undefined && record.timer === undefined && this.records.get(key) === record) this.records.delete(key);
    }
    this.saving = new Map();
  }
}
