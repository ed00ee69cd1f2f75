import { Heap } from 'heap-js';

interface Entry {
  readonly at: number;
  readonly key: string;
}

/**
 * One timer per key, fired in (time, key) order so that replays fire them identically.
 * Replaced and cleared timers are dropped lazily when they reach the top.
 */
export class TimerQueue {
  private readonly due = new Map<string, number>();
  private readonly heap = new Heap<Entry>((a, b) => a.at - b.at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  set(key: string, at: number): void {
    if (this.due.get(key) === at) return;
    this.due.set(key, at);
    this.heap.push({ at, key });
  }

  clear(key: string): void {
    this.due.delete(key);
  }

  get(key: string): number | undefined {
    return this.due.get(key);
  }

  get size(): number {
    return this.due.size;
  }

  /** Removes and returns the earliest timer due at or before `now`, if any. */
  pollDue(now: number): Entry | undefined {
    for (;;) {
      const top = this.heap.peek();
      if (!top || top.at > now) return undefined;
      this.heap.pop();
      if (this.due.get(top.key) === top.at) {
        this.due.delete(top.key);
        return top;
      }
    }
  }
}
