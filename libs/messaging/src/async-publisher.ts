import { createInbox, headers as natsHeaders, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';

/** The stream's answer to one publish. */
export interface StoredAck {
  readonly stream: string;
  readonly seq: number;
  /** The stream already held a message with this id. */
  readonly duplicate: boolean;
}

interface Waiting {
  resolve(ack: StoredAck): void;
  reject(error: Error): void;
  readonly deadline: number;
}

const decoder = new TextDecoder();

/**
 * JetStream publishing without a request object per message: messages go out as plain publishes
 * whose reply subject is one shared inbox, and acknowledgements are matched by a counter in the
 * reply subject (the asynchronous publish of NATS's other clients). Each promise settles when
 * the stream stored the message (a duplicate counts), refused it, or after `timeoutMs`.
 */
export class AsyncPublisher {
  private readonly inbox = createInbox();
  private readonly waiting = new Map<number, Waiting>();
  private readonly subscription: Subscription;
  private readonly sweeper: NodeJS.Timeout;
  private counter = 0;
  private queued: Array<{ subject: string; data: Uint8Array; msgId: string; id: number }> = [];
  private flushScheduled = false;
  /** One header set for all: a publish encodes it at once, so each message only changes its id. */
  private readonly headers = natsHeaders();

  constructor(
    private readonly nc: NatsConnection,
    private readonly timeoutMs = 5000,
  ) {
    this.subscription = nc.subscribe(`${this.inbox}.*`, {
      callback: (error, msg) => {
        if (!error) this.settle(msg);
      },
    });
    this.sweeper = setInterval(() => this.expire(Date.now()), Math.min(1000, timeoutMs));
    this.sweeper.unref();
  }

  publish(subject: string, data: Uint8Array, msgId: string): Promise<StoredAck> {
    const id = ++this.counter;
    return new Promise<StoredAck>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, deadline: Date.now() + this.timeoutMs });
      this.queued.push({ subject, data, msgId, id });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /**
   * Sends what the current turn of the event loop queued in one go, so that concurrent callers
   * (HTTP requests answered in separate callbacks) share one socket write instead of one each.
   */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queued;
    this.queued = [];
    const headers = this.headers;
    for (const { subject, data, msgId, id } of batch) {
      headers.set('Nats-Msg-Id', msgId);
      try {
        this.nc.publish(subject, data, { reply: `${this.inbox}.${id}`, headers });
      } catch (error) {
        const entry = this.waiting.get(id);
        this.waiting.delete(id);
        entry?.reject(error as Error);
      }
    }
  }

  /** Fails everything still waiting and stops listening. */
  close(): void {
    clearInterval(this.sweeper);
    this.subscription.unsubscribe();
    this.queued = [];
    this.expire(Number.POSITIVE_INFINITY);
  }

  private settle(msg: Msg): void {
    const id = Number(msg.subject.slice(this.inbox.length + 1));
    const entry = this.waiting.get(id);
    if (!entry) return;
    this.waiting.delete(id);
    if (msg.headers?.hasError) {
      entry.reject(new Error(`publish refused: ${msg.headers.code} ${msg.headers.description} (no stream captures the subject?)`));
      return;
    }
    const body = JSON.parse(decoder.decode(msg.data)) as Partial<StoredAck> & { error?: { code: number; err_code?: number; description: string } };
    if (body.error) entry.reject(new Error(`publish refused: ${body.error.description} (${body.error.err_code ?? body.error.code})`));
    else entry.resolve({ stream: body.stream ?? '', seq: body.seq ?? 0, duplicate: body.duplicate === true });
  }

  private expire(now: number): void {
    for (const [id, entry] of this.waiting) {
      if (entry.deadline > now) continue;
      this.waiting.delete(id);
      entry.reject(new Error(`no acknowledgement from JetStream within ${this.timeoutMs} ms`));
    }
  }
}
