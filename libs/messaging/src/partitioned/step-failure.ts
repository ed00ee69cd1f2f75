/** A step (or timer step) threw: the partition resumes from its last checkpoint and runs it again. */
export class StepFailedError extends Error {
  override readonly name = 'StepFailedError';
  constructor(
    /** Which call failed: `m:<seq>` for a message, `t:<seq>:<key>` for a timer. */
    readonly call: string,
    readonly attempt: number,
    cause: unknown,
  ) {
    super(`step ${call} failed (attempt ${attempt}): ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

/** Failed runs of each call of one partition, kept across its restarts by its consumer. */
export class StepFailures {
  private readonly failures = new Map<string, { attempts: number; error: string }>();

  record(call: string, error: unknown): StepFailedError {
    const attempts = (this.failures.get(call)?.attempts ?? 0) + 1;
    this.failures.set(call, { attempts, error: String((error as Error)?.stack ?? error) });
    return new StepFailedError(call, attempts, error);
  }

  /** True when no call of the partition has failed since its last success (the common case). */
  get none(): boolean {
    return this.failures.size === 0;
  }

  /** The last error of a call that has failed `maxAttempts` times, which is then forgotten. */
  exhausted(call: string, maxAttempts: number): string | undefined {
    if (this.failures.size === 0) return undefined;
    const failure = this.failures.get(call);
    if (!failure || failure.attempts < maxAttempts) return undefined;
    this.failures.delete(call);
    return failure.error;
  }

  /** A call succeeded: forget its failures. */
  succeeded(call: string): void {
    if (this.failures.size > 0) this.failures.delete(call);
  }
}
