// One inline edit: a model's replacement for a range streams into the document in place of the
// original text; afterwards the user accepts or rejects it. vscode-free (it talks to an EditTarget),
// so the fault-injection tests drive exactly this logic against a simulated document.
//
// Safety rules:
// - The original text is kept (as read from the document, line endings included) and every way out
//   other than Accept puts it back in place of whatever the range holds by then: Reject, Stop then
//   Reject, a stream error, the user editing inside the range while it streams, the editor closing,
//   a save while it streams. Edits outside the range are never touched: the range is tracked through
//   every change event (editedRange.ts with rangeTracker.ts).
// - Own edits are told apart from everybody else's by version: an edit is sent for the version the
//   session has seen, the document applies it only at that version, and its change event is the one
//   with the next version. Within that event, the change that is exactly the sent one is ours; any
//   other change (e.g. VS Code trimming auto-inserted whitespace elsewhere) is tracked as foreign.
// - One own edit at a time (an operation chain); change events that arrive while an edit is on its
//   way are queued until its fate is known. (Both rules live in editedRange.ts.)
// - Undo: the streamed edits go into one undo group (no undo stops between them). Accept restores
//   the original (closing that group, whose net effect is then nothing) and applies the final text
//   as a group of its own, so one Undo after Accept gives the original back, whatever else was
//   undoable in between.
// - Review is per hunk (hunks.ts): each run of changed lines can be accepted or rejected on its own;
//   rejecting one puts exactly its original text back (an edit in the streaming undo group). Once
//   every hunk is decided, or on Accept All / Reject All, the session finishes like Accept: the
//   original back, then the final text as one undo step.
// - Where the session is (waiting, streaming, review, finishing, ended, and why streaming stops) is
//   one state value (`SessionState`); whether the range is still known exactly is the one fact that
//   is independent of it (`EditedRange.tracking`).

import type { ChatStreamEvent, GatewayErrorInfo } from '../api/types';
import { LineBreakNormaliser } from '../text/lineBreaks';
import { EditedRange, type EditedRangeListener, type OwnEditResult } from './editedRange';
import type { Disposable, EditTarget } from './editTarget';
import { FenceStripper } from './fenceStripper';
import { HunkReview, type ReviewHunk } from './hunks';
import { readingState, shownPhase, type InlineEditEnd, type InlineEditEndReason, type InlineEditPhase, type ReadingState, type SessionState } from './inlineEditState';
import { PacedWriter } from './pacedWriter';
import type { ChangeEffect, TextChange, TrackedRange } from './rangeTracker';

export type { InlineEditEnd, InlineEditEndReason, InlineEditPhase } from './inlineEditState';

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

const defaultWait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class InlineEditSession {
  /** The replaced text exactly as the document had it. */
  readonly original: string;
  private state: SessionState = { phase: 'waiting', runStarted: false, answerComplete: false };
  private readonly editedRange: EditedRange;
  /** Code from the stripper not yet in the document ("\n" line breaks). */
  private pending = '';
  private readonly stripper = new FenceStripper();
  private readonly lineBreaks = new LineBreakNormaliser();
  private readonly controller = new AbortController();
  private readonly writer: PacedWriter;
  private readonly changeListeners = new Set<() => void>();
  private readonly endListeners = new Set<(end: InlineEditEnd) => void>();
  private resolveDone!: (end: InlineEditEnd) => void;
  /** Resolves when the session has ended, with how. */
  readonly done: Promise<InlineEditEnd>;
  private runPromise: Promise<void> = Promise.resolve();
  private readonly verbatim: boolean;
  /** The hunks under review (set when review starts). */
  private review: HunkReview | undefined;
  /** The hunk whose reject edit is on its way: its own change event marks it rejected. */
  private rejectingHunk: number | undefined;
  /** Hunks being rejected (their edit queued or on its way): decided already, as far as the user is concerned. */
  private readonly hunksBeingRejected = new Set<number>();

  constructor(
    private readonly target: EditTarget,
    range: { start: number; end: number },
    options: InlineEditSessionOptions = {},
  ) {
    const wait = options.wait ?? defaultWait;
    this.verbatim = options.verbatim ?? false;
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    const listener: EditedRangeListener = {
      foreignChange: (effect, change, before) => this.foreignChange(effect, change, before),
      ownChange: () => {
        if (this.rejectingHunk !== undefined) this.review?.rejected(this.rejectingHunk);
      },
      lostTrack: () => this.lostTrack(),
      eventProcessed: () => {
        if (this.state.phase !== 'ended') this.changed();
      },
    };
    this.editedRange = new EditedRange(target, range, listener, { wait, eventTimeoutMs: options.eventTimeoutMs ?? 5_000 });
    this.original = this.editedRange.range.text;
    this.writer = new PacedWriter(
      () => this.editedRange.exclusive(() => this.writePending()),
      () => this.writable(),
      { intervalMs: options.flushIntervalMs ?? 50, wait, now: options.now ?? Date.now },
    );
  }

  get phase(): InlineEditPhase {
    return shownPhase(this.state);
  }

  /** Where the edited text is now, and that text. */
  get range(): Readonly<TrackedRange> {
    return this.editedRange.range;
  }

  /** True while streamed text stands in the document in place of the original (until the session ends). */
  get hasWritten(): boolean {
    const phase = this.phase;
    return phase === 'streaming' || phase === 'review';
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
  run(events: AsyncIterable<ChatStreamEvent> | Iterable<ChatStreamEvent>): Promise<void> {
    const reading = this.readingState();
    if (reading) reading.runStarted = true;
    this.runPromise = this.consume(events);
    return this.runPromise;
  }

  /** Stops streaming and keeps what arrived so far for review. */
  stop(): void {
    const reading = this.readingState();
    if (reading && !reading.stop) {
      reading.stop = { kind: 'stop' };
      this.controller.abort();
    }
  }

  /** Keeps the new text; one Undo afterwards brings the original back. False when there was nothing to accept. */
  async accept(): Promise<boolean> {
    if (this.phase === 'waiting' || this.phase === 'streaming') {
      this.stop();
      await this.runPromise;
    }
    if (this.state.phase !== 'review') return false;
    // Hunks whose reject is still on its way stay rejected.
    const review = this.review;
    const rejecting = new Set(this.hunksBeingRejected);
    return this.finishReview(() => review?.textWith((id) => rejecting.has(id)) ?? this.editedRange.range.text, 'accepted');
  }

  /**
   * Puts the original back (stopping the stream first). In review after some hunks were decided one
   * by one: rejects the hunks still pending and keeps the accepted ones.
   */
  async reject(): Promise<InlineEditEnd> {
    const review = this.review;
    if (this.state.phase === 'review' && review && (review.decidedAny || this.hunksBeingRejected.size > 0)) {
      await this.finishReview(() => review.textWithPendingRejected(), 'rejected');
      return this.done;
    }
    return this.interruptWith('rejected');
  }

  /** The hunks still to decide on (offsets relative to the range), or undefined outside review. */
  get hunks(): readonly ReviewHunk[] | undefined {
    return this.state.phase === 'review' ? this.review?.pending().filter((hunk) => !this.hunksBeingRejected.has(hunk.id)) : undefined;
  }

  /** How many hunks the review started with (0 before review). */
  get hunkTotal(): number {
    return this.review?.total ?? 0;
  }

  /** Keeps one hunk; the last decision finishes the session. False when there was no such hunk to decide. */
  async acceptHunk(id: number): Promise<boolean> {
    const review = this.review;
    if (this.state.phase !== 'review' || !review?.isPending(id) || this.hunksBeingRejected.has(id)) return false;
    review.accepted(id);
    // The last decision finishes; hunks whose reject is on its way count as rejected.
    if (this.hunks?.length === 0) return this.finishReview(() => review.textWithPendingRejected(), 'accepted');
    this.changed();
    return true;
  }

  /** Puts exactly one hunk's original text back; the last decision finishes the session. */
  async rejectHunk(id: number): Promise<boolean> {
    const review = this.review;
    if (this.state.phase !== 'review' || !review?.isPending(id) || this.hunksBeingRejected.has(id)) return false;
    if (this.hunks?.length === 1) return this.finishReview(() => review.textWithPendingRejected(), 'rejected');
    const range = this.editedRange;
    const stillPending = (): boolean => this.state.phase === 'review' && review === this.review && review.isPending(id);
    this.hunksBeingRejected.add(id);
    this.changed();
    const result = await range.exclusive(async (): Promise<OwnEditResult> => {
      if (!stillPending()) return 'halted';
      this.rejectingHunk = id;
      try {
        return await range.apply(() => review.rejectEdit(id) ?? { from: 0, to: 0, text: '' }, { before: false, after: false }, stillPending);
      } finally {
        this.rejectingHunk = undefined;
        this.hunksBeingRejected.delete(id);
      }
    });
    if (result !== 'ok') {
      // A finish that started meanwhile (Accept All, Reject All, the last decision) rejects it too.
      if (this.finishingOrEnded()) {
        const end = await this.done;
        return end.reason === 'accepted' || end.reason === 'rejected';
      }
      this.changed();
      return false;
    }
    // Marked by its change event already, unless nothing had to change (then there was no event).
    review.rejected(id);
    this.changed();
    return true;
  }

  /**
   * The editor went away. While streaming: stop, and put the original back if the document is still
   * open. In review the session carries on (its document may be shown again) unless the document closed.
   */
  close(documentOpen: boolean): Promise<InlineEditEnd> {
    if (!documentOpen) {
      const reading = this.readingState();
      if (this.state.phase === 'review') {
        this.end('closed', false);
      } else if (reading && reading.stop?.kind !== 'interrupt') {
        this.interruptStream('closed');
        if (!reading.runStarted) void this.finishInterrupted();
      }
      return this.done;
    }
    if (this.phase === 'review') return this.done;
    return this.interruptWith('closed');
  }

  /**
   * The document is about to be saved. A half-written answer must not be saved: while streaming, the
   * session stops and puts the original back; the promise resolves once that is in the document.
   */
  async interruptForSave(): Promise<void> {
    if (this.phase === 'waiting' || this.phase === 'streaming') {
      await this.interruptWith('saved');
    }
  }

  /** Ends without touching the document (extension shutdown). */
  dispose(): void {
    if (this.state.phase !== 'ended') {
      this.controller.abort();
      this.end('closed', false);
    }
  }

  private finishingOrEnded(): boolean {
    return this.state.phase === 'finishing' || this.state.phase === 'ended';
  }

  /**
   * Ends the review with `finalText()` in the document: the original back into the streaming undo
   * group, closing it (its net effect is then nothing), then the final text as one undo step of its
   * own, so one Undo brings the original back. A final text equal to the original ends as `whenOriginal`.
   */
  private async finishReview(finalText: () => string, whenOriginal: 'accepted' | 'rejected'): Promise<boolean> {
    if (this.state.phase !== 'review') return false;
    this.state = { phase: 'finishing', shown: 'review' };
    const range = this.editedRange;
    const result = await range.exclusive(async (): Promise<OwnEditResult | 'original'> => {
      const final = finalText();
      if (final === this.original) return (await this.restore()) ? 'original' : 'failed';
      const restored = await range.apply(() => range.replaceAll(this.original), { before: false, after: true }, () => true);
      if (restored !== 'ok') return restored;
      return range.apply(() => range.replaceAll(final), { before: true, after: true }, () => true);
    });
    if (result === 'original') {
      this.end(whenOriginal, whenOriginal === 'rejected');
      return true;
    }
    if (result === 'ok') {
      this.end('accepted', false);
      return true;
    }
    this.end(this.failureReason(), range.range.text === this.original && !this.target.closed);
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // Streaming

  private readingState(): ReadingState | undefined {
    return readingState(this.state);
  }

  private async consume(events: AsyncIterable<ChatStreamEvent> | Iterable<ChatStreamEvent>): Promise<void> {
    let error: GatewayErrorInfo | undefined;
    try {
      for await (const event of events) {
        const reading = this.readingState();
        if (!reading || reading.stop) break;
        if (event.type === 'text') {
          const code = this.verbatim ? this.lineBreaks.push(event.text) : this.stripper.push(event.text);
          if (code) {
            this.pending += code;
            this.writer.kick();
          }
        } else if (event.type === 'error') {
          error = event.error;
          break;
        }
      }
    } catch (thrown) {
      if (!this.controller.signal.aborted) {
        error = { kind: 'network', message: thrown instanceof Error ? thrown.message : String(thrown) };
      }
    }
    if (error) this.interruptStream('failed', error);
    const reading = this.readingState();
    if (reading && reading.stop?.kind !== 'interrupt') {
      reading.answerComplete = true;
      this.pending += this.verbatim ? this.lineBreaks.end() : this.stripper.finish();
      this.writer.kick();
      await this.writer.drain();
      const after = this.readingState();
      if (after?.phase === 'streaming' && after.stop?.kind !== 'interrupt') {
        await this.editedRange.exclusive(() => this.matchTrailingLineBreak());
      }
    }
    await this.writer.drain();
    await this.editedRange.exclusive(() => Promise.resolve());

    const outcome = this.readingState();
    if (!outcome) return; // ended meanwhile (dispose)
    if (outcome.stop?.kind === 'interrupt') {
      await this.finishInterrupted();
    } else if (outcome.phase === 'waiting') {
      this.end(outcome.stop ? 'cancelled' : 'empty', false);
    } else {
      this.state = { phase: 'review' };
      this.review = new HunkReview(this.original, this.editedRange.range.text);
      this.changed();
    }
  }

  /** Streaming is to end with `reason` (unless an earlier interruption already decides it). */
  private interruptStream(reason: InlineEditEndReason, error?: GatewayErrorInfo): void {
    const reading = this.readingState();
    if (reading && reading.stop?.kind !== 'interrupt') {
      reading.stop = error ? { kind: 'interrupt', reason, error } : { kind: 'interrupt', reason };
    }
    this.controller.abort();
  }

  /** No more streamed edits: the session is interrupted, finishing or over, or the range is gone. */
  private halted(): boolean {
    if (this.editedRange.tracking !== 'exact') return true;
    const state = this.state;
    switch (state.phase) {
      case 'waiting':
      case 'streaming':
        return state.stop?.kind === 'interrupt';
      case 'review':
        return false;
      case 'finishing':
        return state.shown !== 'review';
      case 'ended':
        return true;
    }
  }

  /** There is text to write: the original stays until real code arrives (blank lines alone change nothing). */
  private writable(): boolean {
    return this.pending !== '' && (this.state.phase !== 'waiting' || this.pending.trim() !== '') && !this.halted();
  }

  private async writePending(): Promise<void> {
    if (!this.writable()) return;
    let text = this.pending;
    // A surrogate pair split across chunks waits for its second half.
    const last = text.charCodeAt(text.length - 1);
    const answerComplete = this.readingState()?.answerComplete ?? true;
    if (!answerComplete && last >= 0xd800 && last <= 0xdbff) text = text.slice(0, -1);
    if (text === '') return;
    this.pending = this.pending.slice(text.length);
    const insert = this.target.eol === '\n' ? text : text.replace(/\n/g, '\r\n');
    const first = this.state.phase === 'waiting';
    const range = this.editedRange;
    const result = await range.apply(
      () => (first ? range.replaceAll(insert) : range.append(insert)),
      // The first edit starts an undo group of its own; the rest join it.
      { before: first, after: false },
      () => !this.halted(),
    );
    if (result === 'ok') {
      const reading = this.readingState();
      if (first && reading) reading.phase = 'streaming';
      this.changed();
    } else if (result === 'failed') {
      this.interruptStream('editFailed');
    }
  }

  /** The answer ends with a line break exactly when the original did. */
  private async matchTrailingLineBreak(): Promise<void> {
    const range = this.editedRange;
    const text = range.range.text;
    const wanted = this.original.endsWith('\n');
    const has = text.endsWith('\n');
    let result: OwnEditResult = 'ok';
    if (wanted && !has) {
      result = await range.apply(() => range.append(this.target.eol), { before: false, after: false }, () => !this.halted());
    } else if (!wanted && has) {
      const cut = text.endsWith('\r\n') ? 2 : 1;
      const length = (): number => range.range.text.length;
      result = await range.apply(() => ({ from: length() - cut, to: length(), text: '' }), { before: false, after: false }, () => !this.halted());
    }
    if (result === 'failed') this.interruptStream('editFailed');
    if (result === 'ok') this.changed();
  }

  private async interruptWith(reason: 'rejected' | 'closed' | 'saved'): Promise<InlineEditEnd> {
    const state = this.state;
    if (state.phase === 'review') {
      this.state = { phase: 'finishing', shown: 'review' };
      const restored = await this.editedRange.exclusive(() => this.restore());
      this.end(restored ? reason : this.failureReason(), restored);
    } else if (state.phase === 'waiting' || state.phase === 'streaming') {
      this.interruptStream(reason);
      // Streaming never started: restore here (otherwise the run does once it has wound down).
      if (!state.runStarted) await this.finishInterrupted();
    }
    return this.done;
  }

  /** Ends an interrupted stream: puts the original back where that is possible. */
  private async finishInterrupted(): Promise<void> {
    const reading = this.readingState();
    if (reading?.stop?.kind !== 'interrupt') return;
    const { reason, error } = reading.stop;
    this.state = { phase: 'finishing', shown: reading.phase };
    const tracking = this.editedRange.tracking;
    if (tracking === 'lost') {
      this.end('lostTrack', false);
      return;
    }
    if (tracking === 'superseded' || reason === 'superseded') {
      this.end('superseded', false);
      return;
    }
    const restored = await this.editedRange.exclusive(() => this.restore());
    if (this.editedRange.tracking !== 'exact' || this.target.closed) this.end(this.failureReason(), false);
    else this.end(reason, restored, reason === 'failed' ? error : undefined);
  }

  /** Why an edit that had to happen did not. */
  private failureReason(): InlineEditEndReason {
    const tracking = this.editedRange.tracking;
    return tracking === 'lost' ? 'lostTrack' : tracking === 'superseded' ? 'superseded' : this.target.closed ? 'closed' : 'editFailed';
  }

  /** Puts the original text in place of whatever the range holds. */
  private async restore(): Promise<boolean> {
    const range = this.editedRange;
    if (!range.editable) return false;
    if (range.range.text === this.original) return true;
    // Once this edit is in, later edits inside the range are the user's own business.
    const result = await range.apply(() => range.replaceAll(this.original), { before: false, after: true }, () => true);
    return result === 'ok';
  }

  // ---------------------------------------------------------------------------------------------
  // Everybody else's changes

  private foreignChange(effect: ChangeEffect, change: TextChange, before: Readonly<TrackedRange>): void {
    if ((effect === 'inside' || effect === 'overlap') && this.state.phase === 'review' && this.review) {
      // The hunks follow the user's edits, so that a hunk rejected later is still exactly its own.
      const length = before.text.length;
      const clamp = (offset: number): number => Math.max(0, Math.min(length, offset - before.start));
      this.review.applyChange(clamp(change.offset), clamp(change.offset + change.length), change.text);
      if (this.review.text !== this.editedRange.range.text) {
        // Should not happen; if it does, the hunks start over from the text as it is.
        this.review = new HunkReview(this.original, this.editedRange.range.text);
      }
    }
    if (effect === 'contains') {
      // Someone replaced the range and more: there is nothing left to restore.
      this.interruptStream('superseded');
      if (this.state.phase === 'review') this.end('superseded', false);
    } else if ((effect === 'inside' || effect === 'overlap') && this.phase !== 'review') {
      // Typing into text that is still being written: stop and put the original back.
      this.interruptStream('conflict');
    }
  }

  private lostTrack(): void {
    this.interruptStream('lostTrack');
    if (this.state.phase === 'review') this.end('lostTrack', false);
  }

  // ---------------------------------------------------------------------------------------------

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
    if (this.state.phase === 'ended') return;
    const end: InlineEditEnd = error ? { reason, restored, error } : { reason, restored };
    this.state = { phase: 'ended', end };
    this.controller.abort();
    this.editedRange.dispose();
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
