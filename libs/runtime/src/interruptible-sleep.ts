/** Sleeps that a stop can cut short: `sleep(ms)` resolves after `ms`, or at once on `wake()`. */
export class InterruptibleSleep {
  private current: (() => void) | undefined;

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.current === done) this.current = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.current = done;
    });
  }

  /** Ends the sleep in progress, if any. */
  wake(): void {
    this.current?.();
  }
}
