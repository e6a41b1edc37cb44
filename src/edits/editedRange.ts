// The range an inline edit works on: where it is now (followed through every change event of the
// document, whoever made it) and the session's own edits to it. vscode-free.
//
// Own edits are told apart from everybody else's by version: an edit is sent for the version the
// range has seen, the document applies it only at that version, and its change event is the one
// with the next version. Within that event, the change that is exactly the sent one is ours; any
// other change (e.g. VS Code trimming auto-inserted whitespace elsewhere) is tracked as foreign.
// One own edit at a time (an operation chain, `exclusive`); change events that arrive while an edit
// is on its way are queued until its fate is known.

import type { Disposable, EditTarget, TargetChangeEvent, UndoStops } from './editTarget';
import { trackChange, type ChangeEffect, type TextChange, type TrackedRange } from './rangeTracker';

/** An edit relative to the range: `from`..`to` of its text becomes `text`. */
export interface RangeEdit {
  from: number;
  to: number;
  text: string;
}

/** `halted`: not sent (or sent and lost track of) because the range is gone or `keepGoing` said stop. */
export type OwnEditResult = 'ok' | 'halted' | 'failed';

/**
 * Whether the range is still known exactly. `superseded`: someone replaced everything around and
 * including it. `lost`: it can no longer be located with certainty (stays lost).
 */
export type RangeTracking = 'exact' | 'superseded' | 'lost';

export interface EditedRangeListener {
  /**
   * Someone else's change, after the range followed it (`contains` has made the range superseded).
   * `before`: where the range was just before it.
   */
  foreignChange(effect: ChangeEffect, change: TextChange, before: Readonly<TrackedRange>): void;
  /** An own edit is in the document (the range's text already includes it). */
  ownChange?(edit: RangeEdit): void;
  /** The range became `lost`. */
  lostTrack(): void;
  /** A change event has been taken into account. */
  eventProcessed(): void;
}

export interface EditedRangeOptions {
  wait: (ms: number) => Promise<void>;
  /** How long to wait for the change event of an edit the document reported as applied. */
  eventTimeoutMs: number;
}

interface InFlight extends RangeEdit {
  version: number;
  state: 'pending' | 'applied' | 'rejected';
  matched: boolean;
  seen: boolean;
  onSeen?: () => void;
}

export class EditedRange implements Disposable {
  private current: TrackedRange;
  private trackingValue: RangeTracking = 'exact';
  private inFlight: InFlight | undefined;
  private readonly queue: TargetChangeEvent[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  private readonly subscription: Disposable;
  private disposed = false;

  constructor(
    private readonly target: EditTarget,
    range: { start: number; end: number },
    private readonly listener: EditedRangeListener,
    private readonly options: EditedRangeOptions,
  ) {
    this.current = { start: range.start, end: range.end, text: target.getText(range.start, range.end) };
    this.subscription = target.onDidChange((event) => this.onTargetChange(event));
  }

  /** Where the range is now, and its text. */
  get range(): Readonly<TrackedRange> {
    return this.current;
  }

  get tracking(): RangeTracking {
    return this.trackingValue;
  }

  /** Own edits can still be made: the range is known exactly and the document is open. */
  get editable(): boolean {
    return this.trackingValue === 'exact' && !this.target.closed;
  }

  /** An edit replacing the whole range with `text`. */
  replaceAll(text: string): RangeEdit {
    return { from: 0, to: this.current.text.length, text };
  }

  /** An edit appending `text` at the end of the range. */
  append(text: string): RangeEdit {
    return { from: this.current.text.length, to: this.current.text.length, text };
  }

  /** Runs `operation` after every operation queued before it has settled. */
  exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.chain.then(operation, operation);
    this.chain = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /**
   * Applies one edit (`compute` is asked again for each attempt, so it follows the range). Retries
   * when someone else's edit got there first. Call it inside `exclusive`.
   */
  async apply(compute: () => RangeEdit, undo: UndoStops, keepGoing: () => boolean): Promise<OwnEditResult> {
    let refusals = 0;
    for (;;) {
      if (!this.editable || !keepGoing()) return 'halted';
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
        await this.options.wait(20);
      }
    }
  }

  /** Stops following the document (the session has ended). */
  dispose(): void {
    this.disposed = true;
    this.subscription.dispose();
  }

  private waitForEvent(flight: InFlight): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        flight.onSeen = undefined;
        resolve();
      }, this.options.eventTimeoutMs);
      flight.onSeen = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private onTargetChange(event: TargetChangeEvent): void {
    if (this.disposed) return;
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
          this.listener.ownChange?.({ from: own.from, to: own.to, text: own.text });
        } else {
          this.foreignChange(change);
        }
      }
    }
    if (own) {
      own.seen = true;
      own.onSeen?.();
    }
    this.listener.eventProcessed();
  }

  private isOwn(change: TextChange, flight: InFlight): boolean {
    return change.offset === this.current.start + flight.from && change.length === flight.to - flight.from && change.text === flight.text;
  }

  private foreignChange(change: TextChange): void {
    const before = this.current;
    const { range, effect } = trackChange(before, change);
    this.current = range;
    if (effect === 'contains' && this.trackingValue === 'exact') this.trackingValue = 'superseded';
    this.listener.foreignChange(effect, change, before);
  }

  private loseTrack(): void {
    this.trackingValue = 'lost';
    this.listener.lostTrack();
  }
}
