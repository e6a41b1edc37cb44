// One inline edit: a model's replacement for a range streams into the document in place of the
// original text; afterwards the user accepts or rejects it. vscode-free (it talks to an EditTarget),
// so the fault-injection tests drive exactly this logic against a simulated document.
//
// Safety rules:
// - The original text is kept (as read from the document, line endings included) and every way out
//   other than Accept puts it back in place of whatever the range holds by then: Reject, Stop then
//   Reject, a stream error, the user editing inside the range while it streams, the editor closing,
//   a save while it streams. Edits outside the range are never touched: the range is tracked through
//   every change event (rangeTracker.ts).
// - Own edits are told apart from everybody else's by version: an edit is sent for the version the
//   session has seen, the document applies it only at that version, and its change event is the one
//   with the next version. Within that event, the change that is exactly the sent one is ours; any
//   other change (e.g. VS Code trimming auto-inserted whitespace elsewhere) is tracked as foreign.
// - One own edit at a time (an operation chain); change events that arrive while an edit is on its
//   way are queued until its fate is known.
// - Undo: the streamed edits go into one undo group (no undo stops between them). Accept restores
//   the original (closing that group, whose net effect is then nothing) and applies the final text
//   as a group of its own, so one Undo after Accept gives the original back, whatever else was
//   undoable in between.

import type { ChatStreamEvent, GatewayErrorInfo } from '../api/types';
import type { Disposable, EditTarget, TargetChangeEvent, UndoStops } from './editTarget';
import { FenceStripper } from './fenceStripper';
import { trackChange, type TextChange, type TrackedRange } from './rangeTracker';

export type InlineEditPhase = 'waiting' | 'streaming' | 'review' | 'ended';

export type InlineEditEndReason =
  /** The user kept the new text. */
  | 'accepted'
  /** The user rejected it: the original is back. */
  | 'rejected'
  /** The stream failed (see `error`): the original is back. */
  | 'failed'
  /** The document refused the edits (e.g. read-only): the original is back where possible. */
  | 'editFailed'
  /** The user edited inside the range while it streamed: the original is back. */
  | 'conflict'
  /** The editor or document went away while it streamed: the original is back if the document is still open. */
  | 'closed'
  /** The document was saved while it streamed: the original is back (and is what was saved). */
  | 'saved'
  /** The model answered no code: nothing was changed. */
  | 'empty'
  /** Stopped before any code arrived: nothing was changed. */
  | 'cancelled'
  /** Someone replaced everything around and including the range: nothing left to restore. */
  | 'superseded'
  /** The range could no longer be located with certainty (should not happen): nothing was touched. */
  | 'lostTrack';

export interface InlineEditEnd {
  reason: InlineEditEndReason;
  /** The original text is in the document again (true only for reasons that restore). */
  restored: boolean;
  error?: GatewayErrorInfo;
}

export interface InlineEditSessionOptions {
  /** Minimum time between two streamed edits, ms (default 50): edits are batched, not one per token. */
  flushIntervalMs?: number;
  /** Timers, replaceable in tests. */
  wait?: (ms: number) => Promise<void>;
  now?: () => number;
  /** How long to wait for the change event of an edit the document reported as applied (default 5000 ms). */
  eventTimeoutMs?: number;
  /** The text is code as it stands (e.g. a code block from the chat): no fence stripping. Default false. */
  verbatim?: boolean;
}

type OwnResult = 'ok' | 'halted' | 'failed';

interface InFlight {
  version: number;
  from: number;
  to: number;
  text: string;
  state: 'pending' | 'applied' | 'rejected';
  matched: boolean;
  seen: boolean;
  onSeen?: () => void;
}

const defaultWait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class InlineEditSession {
  /** The replaced text exactly as the document had it. */
  readonly original: string;
  private current: TrackedRange;
  private phaseValue: InlineEditPhase = 'waiting';
  /** The original has been replaced by streamed text. */
  private replaced = false;
  /** Code from the stripper not yet in the document ("\n" line breaks). */
  private pending = '';
  private streamEnded = false;
  private readonly stripper = new FenceStripper();
  private readonly controller = new AbortController();
  private stopRequested = false;
  /** Why streaming must end without review; set once. */
  private interrupt: InlineEditEndReason | undefined;
  private error: GatewayErrorInfo | undefined;
  private superseded = false;
  private lost = false;
  private running = false;
  private finishing = false;
  private inFlight: InFlight | undefined;
  private readonly queue: TargetChangeEvent[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  private pumping: Promise<void> | undefined;
  private lastWrite = Number.NEGATIVE_INFINITY;
  private readonly subscription: Disposable;
  private readonly changeListeners = new Set<() => void>();
  private readonly endListeners = new Set<(end: InlineEditEnd) => void>();
  private resolveDone!: (end: InlineEditEnd) => void;
  /** Resolves when the session has ended, with how. */
  readonly done: Promise<InlineEditEnd>;
  private runPromise: Promise<void> = Promise.resolve();
  private readonly flushIntervalMs: number;
  private readonly wait: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly eventTimeoutMs: number;
  private readonly verbatim: boolean;
  private carriageReturn = false;

  constructor(
    private readonly target: EditTarget,
    range: { start: number; end: number },
    options: InlineEditSessionOptions = {},
  ) {
    this.flushIntervalMs = options.flushIntervalMs ?? 50;
    this.wait = options.wait ?? defaultWait;
    this.now = options.now ?? Date.now;
    this.eventTimeoutMs = options.eventTimeoutMs ?? 5_000;
    this.verbatim = options.verbatim ?? false;
    this.original = target.getText(range.start, range.end);
    this.current = { start: range.start, end: range.end, text: this.original };
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    this.subscription = target.onDidChange((event) => this.onTargetChange(event));
  }

  get phase(): InlineEditPhase {
    return this.phaseValue;
  }

  /** Where the edited text is now, and that text. */
  get range(): Readonly<TrackedRange> {
    return this.current;
  }

  /** True once streamed text has replaced the original in the document. */
  get hasWritten(): boolean {
    return this.replaced;
  }

  /** Aborts when the stream must end (stop, reject, conflict, close); pass it to the request. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  onDidChange(listener: () => void): Disposable {
    this.changeListeners.add(listener);
    return { dispose: () => this.changeListeners.delete(listener) };
  }

  onDidEnd(listener: (end: InlineEditEnd) => void): Disposable {
    this.endListeners.add(listener);
    return { dispose: () => this.endListeners.delete(listener) };
  }

  /** Streams the answer into the document. Resolves when the answer is in (review) or the session ended. */
  run(events: AsyncIterable<ChatStreamEvent>): Promise<void> {
    this.running = true;
    this.runPromise = this.consume(events).finally(() => {
      this.running = false;
    });
    return this.runPromise;
  }

  /** Stops streaming and keeps what arrived so far for review. */
  stop(): void {
    if ((this.phaseValue === 'waiting' || this.phaseValue === 'streaming') && !this.interrupt && !this.stopRequested) {
      this.stopRequested = true;
      this.controller.abort();
    }
  }

  /** Keeps the new text; one Undo afterwards brings the original back. False when there was nothing to accept. */
  async accept(): Promise<boolean> {
    if (this.phaseValue === 'waiting' || this.phaseValue === 'streaming') {
      this.stop();
      await this.runPromise;
    }
    if (this.phaseValue !== 'review' || this.finishing) {
      return false;
    }
    this.finishing = true;
    const result = await this.exclusive(async (): Promise<OwnResult | 'unchanged'> => {
      const final = this.current.text;
      if (final === this.original) return 'unchanged';
      // Put the original back into the streaming undo group and close it (its net effect is then
      // nothing), then apply the final text as one undo step of its own.
      const restored = await this.applyOwn(() => this.replaceAll(this.original), { before: false, after: true }, () => true);
      if (restored !== 'ok') return restored;
      return this.applyOwn(() => this.replaceAll(final), { before: true, after: true }, () => true);
    });
    if (result === 'ok' || result === 'unchanged') {
      this.end('accepted', false);
      return true;
    }
    this.end(this.failureReason(), this.current.text === this.original && !this.target.closed);
    return false;
  }

  /** Puts the original back (stopping the stream first). */
  reject(): Promise<InlineEditEnd> {
    return this.interruptWith('rejected');
  }

  /**
   * The editor went away. While streaming: stop, and put the original back if the document is still
   * open. In review the session carries on (its document may be shown again) unless the document closed.
   */
  close(documentOpen: boolean): Promise<InlineEditEnd> {
    if (!documentOpen) {
      if (this.phaseValue === 'review' && !this.finishing) {
        this.end('closed', false);
      } else if (!this.interrupt) {
        this.interrupt = 'closed';
        this.controller.abort();
        if (!this.running) void this.finishInterrupted('closed');
      }
      return this.done;
    }
    if (this.phaseValue === 'review') return this.done;
    return this.interruptWith('closed');
  }

  /**
   * The document is about to be saved. A half-written answer must not be saved: while streaming, the
   * session stops and puts the original back; the promise resolves once that is in the document.
   */
  async interruptForSave(): Promise<void> {
    if (this.phaseValue === 'waiting' || this.phaseValue === 'streaming') {
      await this.interruptWith('saved');
    }
  }

  /** Ends without touching the document (extension shutdown). */
  dispose(): void {
    if (this.phaseValue !== 'ended') {
      this.controller.abort();
      this.end('closed', false);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Streaming

  private async consume(events: AsyncIterable<ChatStreamEvent>): Promise<void> {
    try {
      for await (const event of events) {
        if (this.interrupt || this.stopRequested) break;
        if (event.type === 'text') {
          const code = this.verbatim ? this.normaliseLineBreaks(event.text) : this.stripper.push(event.text);
          if (code) {
            this.pending += code;
            this.kick();
          }
        } else if (event.type === 'error') {
          this.error = event.error;
          break;
        }
      }
    } catch (error) {
      if (!this.controller.signal.aborted) {
        this.error = { kind: 'network', message: error instanceof Error ? error.message : String(error) };
      }
    }
    if (this.error && !this.interrupt) {
      this.interrupt = 'failed';
      this.controller.abort();
    }
    if (!this.interrupt) {
      this.streamEnded = true;
      this.pending += this.verbatim ? (this.carriageReturn ? '\n' : '') : this.stripper.finish();
      this.kick();
      await this.drainPump();
      if (!this.interrupt && this.replaced) {
        await this.exclusive(() => this.matchTrailingLineBreak());
      }
    }
    await this.drainPump();
    await this.exclusive(() => Promise.resolve());

    if (this.interrupt) {
      await this.finishInterrupted(this.interrupt);
    } else if (!this.replaced) {
      this.end(this.stopRequested ? 'cancelled' : 'empty', false);
    } else {
      this.setPhase('review');
    }
  }

  /** "\r\n" and lone "\r" to "\n", across chunk boundaries (verbatim mode; the stripper does this otherwise). */
  private normaliseLineBreaks(chunk: string): string {
    let text = (this.carriageReturn ? '\r' : '') + chunk;
    this.carriageReturn = text.endsWith('\r');
    if (this.carriageReturn) text = text.slice(0, -1);
    return text.replace(/\r\n?/g, '\n');
  }

  private halted(): boolean {
    return this.interrupt !== undefined || this.superseded || this.lost || this.phaseValue === 'ended';
  }

  /** There is text to write: the original stays until real code arrives (blank lines alone change nothing). */
  private writable(): boolean {
    return this.pending !== '' && (this.replaced || this.pending.trim() !== '') && !this.halted();
  }

  private kick(): void {
    if (!this.pumping && this.writable()) {
      this.pumping = this.pump();
    }
  }

  private async pump(): Promise<void> {
    for (;;) {
      if (!this.writable()) {
        this.pumping = undefined;
        return;
      }
      const due = this.lastWrite + this.flushIntervalMs - this.now();
      if (due > 0) await this.wait(due);
      this.lastWrite = this.now();
      await this.exclusive(() => this.writePending());
    }
  }

  private async drainPump(): Promise<void> {
    while (this.pumping) await this.pumping;
  }

  private async writePending(): Promise<void> {
    if (!this.writable()) return;
    let text = this.pending;
    // A surrogate pair split across chunks waits for its second half.
    const last = text.charCodeAt(text.length - 1);
    if (!this.streamEnded && last >= 0xd800 && last <= 0xdbff) text = text.slice(0, -1);
    if (text === '') return;
    this.pending = this.pending.slice(text.length);
    const insert = this.target.eol === '\n' ? text : text.replace(/\n/g, '\r\n');
    const first = !this.replaced;
    const result = await this.applyOwn(
      () => (first ? this.replaceAll(insert) : { from: this.current.text.length, to: this.current.text.length, text: insert }),
      // The first edit starts an undo group of its own; the rest join it.
      { before: first, after: false },
      () => !this.halted(),
    );
    if (result === 'ok') {
      if (first) {
        this.replaced = true;
        this.setPhase('streaming');
      } else {
        this.changed();
      }
    } else if (result === 'failed' && !this.interrupt) {
      this.interrupt = 'editFailed';
      this.controller.abort();
    }
  }

  /** The answer ends with a line break exactly when the original did. */
  private async matchTrailingLineBreak(): Promise<void> {
    const text = this.current.text;
    const eol = this.target.eol;
    const wanted = this.original.endsWith('\n');
    const has = text.endsWith('\n');
    let result: OwnResult = 'ok';
    if (wanted && !has) {
      result = await this.applyOwn(() => ({ from: this.current.text.length, to: this.current.text.length, text: eol }), { before: false, after: false }, () => !this.halted());
    } else if (!wanted && has) {
      const cut = text.endsWith('\r\n') ? 2 : 1;
      result = await this.applyOwn(
        () => ({ from: this.current.text.length - cut, to: this.current.text.length, text: '' }),
        { before: false, after: false },
        () => !this.halted(),
      );
    }
    if (result === 'failed' && !this.interrupt) this.interrupt = 'editFailed';
    if (result === 'ok') this.changed();
  }

  private async interruptWith(reason: 'rejected' | 'closed' | 'saved'): Promise<InlineEditEnd> {
    if (this.phaseValue === 'ended') return this.done;
    if (this.phaseValue === 'review') {
      if (!this.finishing) {
        this.finishing = true;
        const restored = await this.exclusive(() => this.restore());
        this.end(restored ? reason : this.failureReason(), restored);
      }
      return this.done;
    }
    if (!this.interrupt) {
      this.interrupt = reason;
      this.controller.abort();
    }
    if (!this.running) {
      // Streaming never started (or already wound down): restore here.
      await this.finishInterrupted(this.interrupt);
    }
    return this.done;
  }

  private async finishInterrupted(reason: InlineEditEndReason): Promise<void> {
    if (this.phaseValue === 'ended' || this.finishing) return;
    this.finishing = true;
    if (this.lost) {
      this.end('lostTrack', false);
      return;
    }
    if (this.superseded || reason === 'superseded') {
      this.end('superseded', false);
      return;
    }
    const restored = await this.exclusive(() => this.restore());
    if (this.lost || this.superseded || this.target.closed) this.end(this.failureReason(), false);
    else this.end(reason, restored, reason === 'failed' ? this.error : undefined);
  }

  /** Why an edit that had to happen did not. */
  private failureReason(): InlineEditEndReason {
    return this.lost ? 'lostTrack' : this.superseded ? 'superseded' : this.target.closed ? 'closed' : 'editFailed';
  }

  /** Puts the original text in place of whatever the range holds. */
  private async restore(): Promise<boolean> {
    if (this.target.closed || this.superseded || this.lost) return false;
    if (this.current.text === this.original) return true;
    // Once this edit is in, later edits inside the range are the user's own business.
    const result = await this.applyOwn(() => this.replaceAll(this.original), { before: false, after: true }, () => true);
    return result === 'ok';
  }

  private replaceAll(text: string): { from: number; to: number; text: string } {
    return { from: 0, to: this.current.text.length, text };
  }

  // ---------------------------------------------------------------------------------------------
  // Own edits and change events

  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.chain.then(operation, operation);
    this.chain = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /**
   * Applies one edit, relative to the tracked range (`compute` is asked again for each attempt, so
   * it follows the range). Retries when someone else's edit got there first.
   */
  private async applyOwn(
    compute: () => { from: number; to: number; text: string },
    undo: UndoStops,
    keepGoing: () => boolean,
  ): Promise<OwnResult> {
    let refusals = 0;
    for (;;) {
      if (this.superseded || this.lost || this.target.closed || !keepGoing()) return 'halted';
      const { from, to, text } = compute();
      if (this.current.text.slice(from, to) === text) return 'ok';
      const version = this.target.version;
      const flight: InFlight = { version, from, to, text, state: 'pending', matched: false, seen: false };
      this.inFlight = flight;
      let applied = false;
      try {
        applied = await this.target.replace(version, this.current.start + from, to - from, text, undo);
      } catch {
        applied = false;
      }
      if (applied) {
        flight.state = 'applied';
        this.drainQueue();
        if (!flight.seen) await this.waitForEvent(flight);
        this.inFlight = undefined;
        if (!flight.matched) {
          this.loseTrack();
          return 'halted';
        }
        return 'ok';
      }
      flight.state = 'rejected';
      this.inFlight = undefined;
      this.drainQueue();
      if (this.target.version === version) {
        // Refused without anything having changed: not a race. Try twice more, then give up.
        if (++refusals >= 3) return 'failed';
        await this.wait(20);
      }
    }
  }

  private waitForEvent(flight: InFlight): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        flight.onSeen = undefined;
        resolve();
      }, this.eventTimeoutMs);
      flight.onSeen = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private onTargetChange(event: TargetChangeEvent): void {
    if (this.phaseValue === 'ended') return;
    if (this.inFlight?.state === 'pending') {
      this.queue.push(event);
      return;
    }
    this.process(event);
  }

  private drainQueue(): void {
    while (this.queue.length > 0) {
      this.process(this.queue.shift()!);
    }
  }

  private process(event: TargetChangeEvent): void {
    const flight = this.inFlight;
    const own = flight && flight.state === 'applied' && !flight.seen && event.version === flight.version + 1 ? flight : undefined;
    if (event.reset) {
      this.loseTrack();
    } else {
      for (const change of event.changes) {
        if (own && !own.matched && this.isOwn(change, own)) {
          const text = this.current.text;
          const updated = text.slice(0, own.from) + own.text + text.slice(own.to);
          this.current = { start: this.current.start, end: this.current.start + updated.length, text: updated };
          own.matched = true;
        } else {
          this.foreignChange(change);
        }
      }
    }
    if (own) {
      own.seen = true;
      own.onSeen?.();
    }
    if (this.phaseValue !== 'ended') this.changed();
  }

  private isOwn(change: TextChange, flight: InFlight): boolean {
    return change.offset === this.current.start + flight.from && change.length === flight.to - flight.from && change.text === flight.text;
  }

  private foreignChange(change: TextChange): void {
    const { range, effect } = trackChange(this.current, change);
    this.current = range;
    if (effect === 'contains') {
      this.superseded = true;
      if (!this.interrupt) this.interrupt = 'superseded';
      this.controller.abort();
      if (this.phaseValue === 'review' && !this.finishing) this.end('superseded', false);
    } else if ((effect === 'inside' || effect === 'overlap') && this.phaseValue !== 'review') {
      // Typing into text that is still being written: stop and put the original back.
      if (!this.interrupt) {
        this.interrupt = 'conflict';
        this.controller.abort();
      }
    }
  }

  private loseTrack(): void {
    this.lost = true;
    if (!this.interrupt) this.interrupt = 'lostTrack';
    this.controller.abort();
    if (this.phaseValue === 'review' && !this.finishing) this.end('lostTrack', false);
  }

  // ---------------------------------------------------------------------------------------------

  private setPhase(phase: InlineEditPhase): void {
    this.phaseValue = phase;
    this.changed();
  }

  private changed(): void {
    for (const listener of [...this.changeListeners]) {
      try {
        listener();
      } catch {
        // A display listener failing must not stop the edit (or its restore).
      }
    }
  }

  private end(reason: InlineEditEndReason, restored: boolean, error?: GatewayErrorInfo): void {
    if (this.phaseValue === 'ended') return;
    this.phaseValue = 'ended';
    this.controller.abort();
    this.subscription.dispose();
    const end: InlineEditEnd = error ? { reason, restored, error } : { reason, restored };
    this.changed();
    this.resolveDone(end);
    for (const listener of [...this.endListeners]) {
      try {
        listener(end);
      } catch {
        // as above
      }
    }
  }
}
