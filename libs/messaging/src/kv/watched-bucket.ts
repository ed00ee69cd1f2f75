import { jetstream, JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { Kvm, type KV, type KvWatchEntry } from '@nats-io/kv';
import { formatIssues } from '@sightline/contracts';
import type { JetStreamConnection } from '../connection';
import { InvalidDocumentError, RevisionConflictError } from './bucket-errors';
import type { DocumentListener } from './document-change';
import type { DocumentValidator } from './document-validator';
import { JETSTREAM_API_TIMEOUT_MS, natsClients } from '../port/nats-clients';

export interface BucketLogger {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface WatchedBucketOptions<T extends { readonly id: string }> {
  /** KV bucket name, created (history 1) when missing, e.g. `<namespace>-properties`. */
  readonly bucket: string;
  /** Checks every document written and every value read; `documentValidator(schema)` builds one. */
  readonly validator: DocumentValidator<T>;
  /** Documents written at open when none is stored under their id (so a deleted one comes back). Default none. */
  readonly seed?: readonly T[];
  /** Called on every applied change, initial values included; a listener that throws is logged. */
  readonly onChange?: DocumentListener<T>;
  /** Skipped documents are logged with their reason, and a watch that ends. */
  readonly logger: BucketLogger;
}

/** A compare-and-set condition: the revision the document must have now; 0 when it must not exist. */
export interface Expectation {
  readonly revision: number;
}

/**
 * Schema-checked JSON documents in a JetStream KV bucket, key = document id, kept in memory by a
 * watch: a write from any instance applies on every instance without a restart, and reads never
 * leave the process. A stored value that is not a document (bad JSON, fails the validator, id
 * differs from its key) is skipped and logged with the reason; the watch goes on. This
 * instance's own writes apply at once (read your writes); older revisions arriving later are
 * ignored.
 */
export class WatchedBucket<T extends { readonly id: string }> {
  private readonly documents = new Map<string, T>();
  /** The latest revision applied per key, kept after a delete so that stale entries stay ignored. */
  private readonly revisions = new Map<string, number>();
  private watcher: { stop(): void } | undefined;
  private loaded = false;
  private ended: string | undefined;

  private constructor(
    private readonly kv: KV,
    private readonly options: WatchedBucketOptions<T>,
  ) {}

  /** Opens (creating when missing) the bucket, writes the seed, and resolves once every stored document is loaded. */
  static async open<T extends { readonly id: string }>(connection: JetStreamConnection, options: WatchedBucketOptions<T>): Promise<WatchedBucket<T>> {
    // Configuration buckets (properties, rules, channels) are opened at start-up, where a busy
    // machine answers slowly: they get the API timeout, not the client's 5 s.
    const kv = await new Kvm(jetstream(natsClients(connection).nc, { timeout: JETSTREAM_API_TIMEOUT_MS })).create(options.bucket, { history: 1 });
    const bucket = new WatchedBucket(kv, options);
    for (const document of options.seed ?? []) await bucket.seed(document);
    await bucket.watch();
    return bucket;
  }

  get name(): string {
    return this.options.bucket;
  }

  get(id: string): T | undefined {
    return this.documents.get(id);
  }

  /** Every document, by id. */
  list(): T[] {
    return [...this.documents.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** The revision of the document this instance holds, for a compare-and-set; undefined when there is none. */
  revisionOf(id: string): number | undefined {
    return this.documents.has(id) ? this.revisions.get(id) : undefined;
  }

  /**
   * Validates and stores the document, and returns it as stored (defaults filled). With `expect`
   * it is a compare-and-set: RevisionConflictError when the stored revision differs. Throws
   * InvalidDocumentError, writing nothing, when the validator refuses it.
   */
  async put(document: T, expect?: Expectation): Promise<T> {
    const checked = this.options.validator.validate(document);
    if (!checked.ok) throw new InvalidDocumentError(this.name, document.id, checked.issues);
    const data = JSON.stringify(checked.value);
    const revision = await this.conditionally(document.id, expect, () => {
      if (!expect) return this.kv.put(document.id, data);
      return expect.revision === 0 ? this.kv.create(document.id, data) : this.kv.update(document.id, data, expect.revision);
    });
    this.apply(document.id, revision, checked.value);
    return checked.value;
  }

  /** Deletes the document; false when this instance holds none. With `expect`, a compare-and-set. */
  async delete(id: string, expect?: Expectation): Promise<boolean> {
    if (!this.documents.has(id)) return false;
    await this.conditionally(id, expect, () => this.kv.delete(id, expect ? { previousSeq: expect.revision } : {}));
    this.change(id, undefined);
    return true;
  }

  /** For `/readyz` (a ReadinessCheck): fails until the initial documents are loaded, and after the watch has ended. */
  get readiness(): { readonly name: string; check(): void } {
    return {
      name: `kv:${this.name}`,
      check: () => {
        if (this.ended !== undefined) throw new Error(`the watch of bucket ${this.name} ended: ${this.ended}`);
        if (!this.loaded) throw new Error(`bucket ${this.name} is still loading`);
      },
    };
  }

  /** Stops watching: the documents in memory stay as they are. */
  close(): void {
    this.ended ??= 'closed';
    this.watcher?.stop();
  }

  private async seed(document: T): Promise<void> {
    const checked = this.options.validator.validate(document);
    if (!checked.ok) throw new InvalidDocumentError(this.name, document.id, checked.issues);
    try {
      await this.kv.create(document.id, JSON.stringify(checked.value));
    } catch (error) {
      if (!isWrongRevision(error)) throw error;
    }
  }

  private async conditionally<R>(id: string, expect: Expectation | undefined, write: () => Promise<R>): Promise<R> {
    try {
      return await write();
    } catch (error) {
      if (expect && isWrongRevision(error)) throw new RevisionConflictError(this.name, id, expect.revision, { cause: error });
      throw error;
    }
  }

  /** Applies a revision newer than the one held (from this instance's write or the watch, whichever comes first). */
  private apply(id: string, revision: number, current: T | undefined): void {
    if (revision <= (this.revisions.get(id) ?? 0)) return;
    this.revisions.set(id, revision);
    this.change(id, current);
  }

  private change(id: string, current: T | undefined): void {
    const previous = this.documents.get(id);
    if (previous === undefined && current === undefined) return;
    if (current === undefined) this.documents.delete(id);
    else this.documents.set(id, current);
    try {
      this.options.onChange?.({ id, previous, current });
    } catch (error) {
      this.options.logger.error({ bucket: this.name, key: id, err: (error as Error).message }, 'document change listener failed');
    }
  }

  private receive(entry: KvWatchEntry): void {
    if (entry.revision <= (this.revisions.get(entry.key) ?? 0)) return;
    if (entry.operation !== 'PUT') {
      this.apply(entry.key, entry.revision, undefined);
      return;
    }
    const reason = this.problemWith(entry);
    if (typeof reason === 'string') {
      this.options.logger.warn({ bucket: this.name, key: entry.key, revision: entry.revision, reason }, 'invalid document skipped');
      return;
    }
    this.apply(entry.key, entry.revision, reason.document);
  }

  /** The document an entry holds, or why it holds none. */
  private problemWith(entry: KvWatchEntry): { document: T } | string {
    let value: unknown;
    try {
      value = entry.json();
    } catch (error) {
      return `not JSON: ${(error as Error).message}`;
    }
    const checked = this.options.validator.validate(value);
    if (!checked.ok) return formatIssues(checked.issues);
    if (checked.value.id !== entry.key) return `/id: ${JSON.stringify(checked.value.id)} differs from its key`;
    return { document: checked.value };
  }

  /** Loads every stored document, then keeps applying changes as they are written. */
  private async watch(): Promise<void> {
    const iterator = await this.kv.watch();
    this.watcher = iterator;
    let markLoaded: () => void = () => undefined;
    const loaded = new Promise<void>((resolve) => (markLoaded = resolve));
    const finishLoading = (): void => {
      this.loaded = true;
      markLoaded();
    };
    if ((await this.kv.status()).values === 0) finishLoading();
    void (async () => {
      try {
        for await (const entry of iterator) {
          this.receive(entry);
          if (!this.loaded && (entry.isUpdate || entry.delta === 0)) finishLoading();
        }
        this.ended ??= 'the watch stopped';
      } catch (error) {
        this.ended ??= (error as Error).message;
        this.options.logger.error({ bucket: this.name, err: this.ended }, 'bucket watch ended');
      }
      markLoaded();
    })();
    await loaded;
    if (this.ended !== undefined && !this.loaded) throw new Error(`the watch of bucket ${this.name} ended while loading: ${this.ended}`);
  }
}

function isWrongRevision(error: unknown): boolean {
  return (
    error instanceof JetStreamApiError &&
    (error.code === JetStreamApiCodes.StreamWrongLastSequence || error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}
