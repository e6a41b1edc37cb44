// Batches streamed edits: the answer arrives a few characters at a time, but the document gets one
// edit per interval at most, holding everything that arrived meanwhile. vscode-free.

export interface PacedWriterTiming {
  /** Minimum time between the starts of two writes, ms. */
  intervalMs: number;
  wait: (ms: number) => Promise<void>;
  now: () => number;
}

/** Calls `write` while `hasWork()` says so, one call at a time and at most once per interval. */
export class PacedWriter {
  private running: Promise<void> | undefined;
  private lastWrite = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly write: () => Promise<void>,
    private readonly hasWork: () => boolean,
    private readonly timing: PacedWriterTiming,
  ) {}

  /** There may be work: starts writing unless writing is already under way. */
  kick(): void {
    if (!this.running && this.hasWork()) {
      this.running = this.loop();
    }
  }

  /** Resolves once writing has stopped for want of work. */
  async drain(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    for (;;) {
      if (!this.hasWork()) {
        this.running = undefined;
        return;
      }
      const due = this.lastWrite + this.timing.intervalMs - this.timing.now();
      if (due > 0) await this.timing.wait(due);
      this.lastWrite = this.timing.now();
      await this.write();
    }
  }
}
