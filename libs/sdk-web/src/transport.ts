/**
 * Delivery of a page's events to ingest: batched (every `flushMs`, at once for key events),
 * ordered, one request in flight, retried with backoff on network errors, 408, 429 and 5xx
 * (Retry-After honoured), dropped on any other refusal (ingest will never take that batch), and
 * handed to `sendBeacon` when the page is hidden or goes away. The browser calls are injected
 * (`TransportEnv`), so the logic runs and is tested without a DOM.
 */
import { retryAfterMs, retryDelayMs } from './backoff';
import { EventQueue, type Entry } from './queue';
import { MAX_EVENTS_PER_BEACON, type WireBeacon, type WireContext, type WireEvent } from './wire';

export interface Answer {
  readonly status: number;
  readonly retryAfter: string | null;
  /** The JSON body, when there was one. */
  readonly body?: unknown;
}

export interface TransportEnv {
  /** POSTs `body` as text/plain; rejects on a network error. */
  post(url: string, body: string, keepalive: boolean): Promise<Answer>;
  /** navigator.sendBeacon: true when the browser took the body. */
  beacon(url: string, body: string): boolean;
  online(): boolean;
  now(): number;
  random(): number;
  setTimer(run: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  log(message: string, detail?: unknown): void;
}

export interface TransportOptions {
  readonly url: string;
  readonly flushMs: number;
  readonly maxQueuedEvents: number;
}

/**
 * The browser's budget for bodies in flight that outlive the page (keepalive fetches and
 * sendBeacon together), and the most one batch takes of it, so that the rest can still go by
 * sendBeacon while a batch is in flight.
 */
export const KEEPALIVE_BYTES = 64_000;
export const BATCH_BYTES = 40_000;

interface ViewSlot {
  context?: WireContext;
  /** A context still being made (the viewer id hash). */
  pending?: Promise<unknown>;
  /** A beacon with the context was accepted: later beacons go without it. */
  acked: boolean;
  /** The view's last event ingest stored. */
  last?: WireEvent;
}

interface Rejected {
  readonly index: number;
}

function rejectedOf(body: unknown): readonly Rejected[] {
  const rejected = (body as { rejected?: unknown } | undefined)?.rejected;
  return Array.isArray(rejected) ? (rejected as Rejected[]).filter((r) => Number.isInteger(r?.index)) : [];
}

const retriable = (status: number) => status === 408 || status === 429 || status >= 500;

export class Transport {
  readonly queue: EventQueue;
  private readonly views = new Map<string, ViewSlot>();
  private readonly fillers = new WeakSet<WireEvent>();
  private inFlight: Entry[] | null = null;
  private inFlightBytes = 0;
  private timer: unknown;
  private retrying = false;
  private due = false;
  private attempt = 0;
  /** Called when ingest refused events of a view (its delta-encoded fields must be sent again). */
  onRejected?: (view: string) => void;

  constructor(
    private readonly options: TransportOptions,
    private readonly env: TransportEnv,
  ) {
    this.queue = new EventQueue(options.maxQueuedEvents);
  }

  /** The context of a view, sent on its beacons until one is accepted. */
  context(view: string, context: WireContext | Promise<WireContext>): void {
    const slot: ViewSlot = { acked: false };
    this.views.set(view, slot);
    if (context instanceof Promise) {
      slot.pending = context.then(
        (value) => {
          slot.context = value;
          slot.pending = undefined;
          if (this.due) this.flush();
        },
        () => {
          slot.pending = undefined;
          if (this.due) this.flush();
        },
      );
    } else {
      slot.context = context;
    }
  }

  add(view: string, event: WireEvent, key: boolean): void {
    const dropped = this.queue.push({ view, event, key });
    if (dropped) this.env.log(`queue full (${this.options.maxQueuedEvents}): dropped event`, dropped.event);
    if (key) this.flush();
    else if (this.timer === undefined && !this.inFlight) this.arm(this.options.flushMs);
  }

  /** Sends what is queued as soon as the request in flight (or the wait before a retry) allows. */
  flush(): void {
    this.due = true;
    if (this.inFlight || this.retrying) return;
    this.disarm();
    this.send();
  }

  /** The network is back: a retry waiting for its time goes now. */
  retryNow(): void {
    if (!this.retrying) return;
    this.retrying = false;
    this.disarm();
    this.send();
  }

  get idle(): boolean {
    return this.queue.length === 0 && !this.inFlight;
  }

  private arm(ms: number): void {
    this.timer = this.env.setTimer(() => {
      this.timer = undefined;
      this.retrying = false;
      this.send();
    }, ms);
  }

  private disarm(): void {
    if (this.timer !== undefined) this.env.clearTimer(this.timer);
    this.timer = undefined;
    this.retrying = false;
  }

  /** Fields learnt after the view began (the CDN), for its context if that has not gone yet. */
  amend(view: string, fields: WireContext): void {
    const slot = this.views.get(view);
    if (slot?.context && !slot.acked) Object.assign(slot.context, fields);
  }

  private beaconOf(view: string, entries: readonly Entry[]): WireBeacon {
    const slot = this.views.get(view);
    const context = slot && !slot.acked ? slot.context : undefined;
    return { v: 1, view_id: view, ...(context ? { context } : {}), events: entries.map((e) => e.event) };
  }

  private send(): void {
    this.due = false;
    if (this.inFlight || this.queue.length === 0) return;
    const batch = this.queue.batch(MAX_EVENTS_PER_BEACON, BATCH_BYTES);
    const view = batch[0]!.view;
    const pending = this.views.get(view)?.pending;
    if (pending) {
      // The first beacon of a view waits for its context (the viewer id is being hashed).
      this.due = true;
      return;
    }
    if (batch.length < this.queue.length) this.due = true;
    const body = JSON.stringify(this.beaconOf(view, batch));
    for (const entry of batch) entry.sending = true;
    this.inFlight = batch;
    this.inFlightBytes = body.length;
    this.env
      .post(this.options.url, body, body.length <= KEEPALIVE_BYTES)
      .then(
        (answer) => this.answered(view, batch, answer),
        (error: unknown) => this.failed(batch, error),
      )
      .catch((error: unknown) => this.env.log('delivery bookkeeping failed', error));
  }

  private settle(batch: readonly Entry[]): void {
    for (const entry of batch) entry.sending = false;
    this.inFlight = null;
  }

  private answered(view: string, batch: readonly Entry[], answer: Answer): void {
    this.settle(batch);
    if (retriable(answer.status)) {
      // Ingest exposes Retry-After to pages (Access-Control-Expose-Headers); a 429 body says it too.
      const inBody = (answer.body as { retry_after_s?: unknown } | undefined)?.retry_after_s;
      const header = answer.retryAfter ?? (typeof inBody === 'number' ? String(inBody) : null);
      this.retry(`ingest answered ${answer.status}`, retryAfterMs(header, this.env.now()));
      return;
    }
    this.attempt = 0;
    this.queue.remove(batch);
    if (answer.status >= 200 && answer.status < 300) {
      const slot = this.views.get(view);
      if (slot) slot.acked = true;
      this.refill(slot, view, batch, rejectedOf(answer.body));
    } else {
      this.env.log(`ingest refused a beacon (${answer.status}): ${batch.length} events dropped`, answer.body);
    }
    this.forget();
    this.next();
  }

  /**
   * Events ingest rejected leave gaps in the view's sequence, which the sessionizer waits for
   * (10 s) before it applies what follows. Each gap is filled once, as docs/sdk.md says: a
   * heartbeat with the rejected event's seq and the time and playhead of the event before it
   * (it changes no phase); the view's delta-encoded fields go again on its next event.
   */
  private refill(slot: ViewSlot | undefined, view: string, batch: readonly Entry[], rejected: readonly Rejected[]): void {
    const refused = new Set(rejected.map((r) => r.index));
    let before = slot?.last;
    const fillers: Entry[] = [];
    batch.forEach(({ event }, index) => {
      if (!refused.has(index)) {
        before = event;
        return;
      }
      if (this.fillers.has(event)) return;
      const from = before ?? event;
      const filler: WireEvent = { seq: event.seq, type: 'heartbeat', ts: from.ts, playhead_ms: from.playhead_ms };
      this.fillers.add(filler);
      fillers.push({ view, event: filler, key: false });
    });
    if (slot && before) slot.last = before;
    if (refused.size === 0) return;
    this.env.log(`ingest rejected ${refused.size} events: their seqs are filled with heartbeats`, rejected);
    this.queue.items.unshift(...fillers);
    this.onRejected?.(view);
  }

  private failed(batch: readonly Entry[], error: unknown): void {
    this.settle(batch);
    this.retry(`network error: ${String(error)}`);
  }

  private retry(reason: string, afterMs?: number): void {
    this.attempt++;
    const delay = retryDelayMs(this.attempt, this.env.random(), afterMs);
    this.env.log(`${reason}; retry ${this.attempt} in ${delay} ms`);
    this.disarm();
    this.retrying = true;
    this.arm(delay);
  }

  private next(): void {
    if (this.queue.length === 0) return;
    if (this.due || this.queue.items.some((e) => e.key)) this.send();
    else if (this.timer === undefined) this.arm(this.options.flushMs);
  }

  /** Drops the slots of views with nothing left to send, but the newest. */
  private forget(): void {
    if (this.views.size < 3) return;
    const live = new Set(this.queue.items.map((e) => e.view));
    const last = [...this.views.keys()].pop();
    for (const [view, slot] of this.views) if (view !== last && slot.acked && !live.has(view)) this.views.delete(view);
  }

  /**
   * The page is hidden (`final`: going away): what waits goes by sendBeacon, which outlives the
   * page. The request in flight is a keepalive fetch (batches are smaller than its budget),
   * which outlives it too. Events the browser took while online leave the queue; the rest stays
   * for later (a resend is safe: the sessionizer drops the seqs it has).
   */
  hide(final: boolean): void {
    const waiting = this.queue.items.filter((e) => !e.sending);
    let budget = KEEPALIVE_BYTES - (this.inFlight ? this.inFlightBytes : 0);
    const taken: Entry[] = [];
    const withContext: ViewSlot[] = [];
    let at = 0;
    while (at < waiting.length) {
      const view = waiting[at]!.view;
      const slot = this.views.get(view);
      const group: Entry[] = [];
      let bytes = 200 + JSON.stringify(slot?.context ?? {}).length;
      while (at < waiting.length && waiting[at]!.view === view && group.length < MAX_EVENTS_PER_BEACON) {
        const size = JSON.stringify(waiting[at]!.event).length + 1;
        if (group.length > 0 && bytes + size > budget) break;
        bytes += size;
        group.push(waiting[at++]!);
      }
      const body = JSON.stringify(this.beaconOf(view, group));
      if (body.length > budget || !this.env.beacon(this.options.url, body)) break;
      budget -= body.length;
      taken.push(...group);
      if (slot?.context) withContext.push(slot);
    }
    this.env.log(`page ${final ? 'hide' : 'hidden'}: ${taken.length} events handed to sendBeacon`);
    if (this.env.online()) {
      this.queue.remove(taken);
      for (const slot of withContext) slot.acked = true;
      if (this.queue.length === 0) this.disarm();
    }
  }
}
