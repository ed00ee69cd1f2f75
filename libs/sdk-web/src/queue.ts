/**
 * The events waiting for delivery, in order, across views: bounded, so that a page offline for
 * a long time keeps a recent and useful part of its views. When full, the oldest event of the
 * least useful kind that is not being sent goes: heartbeats and request reports first, then
 * other events, key events last; its delta-encoded fields move to its view's next event.
 */
import { carryDeltas } from './delta';
import type { WireEvent } from './wire';

export interface Entry {
  readonly view: string;
  readonly event: WireEvent;
  readonly key: boolean;
  /** Part of the request in flight. */
  sending?: boolean;
}

function rank(entry: Entry): number {
  if (entry.key) return 2;
  const t = entry.event.type;
  return t === 'heartbeat' || t === 'requestcompleted' || t === 'requestfailed' ? 0 : 1;
}

export class EventQueue {
  readonly items: Entry[] = [];
  /** Events dropped because the queue was full, since it was made. */
  dropped = 0;

  constructor(private readonly max: number) {}

  get length(): number {
    return this.items.length;
  }

  /** Adds an entry; returns the one dropped to make room, if any. */
  push(entry: Entry): Entry | undefined {
    this.items.push(entry);
    return this.items.length > this.max ? this.dropOne() : undefined;
  }

  private dropOne(): Entry | undefined {
    let victim = -1;
    for (let i = 0; i < this.items.length; i++) {
      const entry = this.items[i]!;
      if (entry.sending) continue;
      if (victim < 0 || rank(entry) < rank(this.items[victim]!)) victim = i;
      if (rank(entry) === 0) break;
    }
    if (victim < 0) return undefined;
    const [gone] = this.items.splice(victim, 1);
    const next = this.items.find((e, i) => i >= victim && e.view === gone!.view);
    if (next) carryDeltas(gone!.event, next.event);
    this.dropped++;
    return gone;
  }

  /**
   * The next batch: the events at the head of the queue that belong to the head's view, at most
   * `maxEvents` of them and about `maxBytes` of JSON (always at least one).
   */
  batch(maxEvents: number, maxBytes: number): Entry[] {
    const out: Entry[] = [];
    const view = this.items[0]?.view;
    let bytes = 0;
    for (const entry of this.items) {
      if (entry.view !== view || out.length === maxEvents) break;
      bytes += JSON.stringify(entry.event).length + 1;
      if (out.length > 0 && bytes > maxBytes) break;
      out.push(entry);
    }
    return out;
  }

  /** Takes delivered (or refused) entries out. */
  remove(entries: readonly Entry[]): void {
    const gone = new Set(entries);
    let w = 0;
    for (const entry of this.items) if (!gone.has(entry)) this.items[w++] = entry;
    this.items.length = w;
  }
}
