// A string-buffer document for the inline edit session, behaving like VS Code's where it matters:
// - an edit is applied a few event-loop turns after it is sent, and only if the document is still at
//   the version it was sent for (MainThreadTextEditor.applyEdits checks `versionIdCheck`);
// - its change event is delivered before the edit's promise resolves, and other edits may land
//   between the two;
// - inserted line breaks are converted to the document's line ending;
// - occasionally VS Code adds a change of its own to the same event (trimming auto-inserted
//   whitespace elsewhere), listed after ours;
// - undo groups follow undoStopBefore / undoStopAfter; user edits are groups of their own.
//
// Every character carries its provenance, so a test can check that the session never deleted or
// moved a character that was outside the edited range (the "outside" mark is decided by where a
// character came from, not by the session's own bookkeeping).

import type { Disposable, EditTarget, TargetChangeEvent, UndoStops } from '../../../src/edits/editTarget';
import type { InlineEditSessionOptions } from '../../../src/edits/inlineEditSession';
import type { TextChange } from '../../../src/edits/rangeTracker';

export interface Atom {
  ch: string;
  /** Outside the edited range: the session must never delete it. */
  outside: boolean;
  source: 'original' | 'user' | 'session' | 'system';
}

interface UndoOp {
  offset: number;
  removed: string;
  inserted: string;
}

export interface SimulatedDocumentOptions {
  random: () => number;
  /** Event-loop turns before an edit is applied, and after, before its promise resolves (0..max). */
  maxTicks?: number;
  /** Chance that an own streaming edit's event carries an extra change made by "VS Code". */
  extraChangeChance?: number;
}

export function ticks(count: number): Promise<void> {
  let promise = Promise.resolve();
  for (let i = 0; i < count; i++) promise = promise.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
  return promise;
}

/** Virtual time for a session: its batching waits cost event-loop turns, not wall-clock time. */
export function virtualClock(random: () => number): Pick<InlineEditSessionOptions, 'now' | 'wait'> {
  let clock = 0;
  return {
    now: () => clock,
    wait: async (ms) => {
      await ticks(1 + Math.floor(random() * 2));
      clock += ms;
    },
  };
}

export class SimulatedDocument implements EditTarget {
  atoms: Atom[];
  version = 1;
  closed = false;
  /** Problems seen while applying edits (e.g. the session deleted an outside character). */
  readonly violations: string[] = [];
  /** A user edit replaced everything of the range and more (the session may then give up restoring). */
  supersedeAllowed = false;
  /** The user edited inside the range (their text there may be dropped). */
  insideEdits = 0;
  /** The text the session is expected to restore (set by the test). */
  original = '';
  /** The session's last edit put exactly `original` in place of exactly the range's text. */
  lastSessionEditRestored = false;
  /** User edits since the session's last edit. */
  userEditsSinceSessionEdit = 0;
  private readonly listeners = new Set<(event: TargetChangeEvent) => void>();
  private readonly undoStack: { ops: UndoOp[]; open: boolean }[] = [];
  private readonly random: () => number;
  private readonly maxTicks: number;
  private readonly extraChangeChance: number;

  constructor(
    text: string,
    readonly eol: '\n' | '\r\n',
    selection: { start: number; end: number },
    options: SimulatedDocumentOptions,
  ) {
    this.random = options.random;
    this.maxTicks = options.maxTicks ?? 3;
    this.extraChangeChance = options.extraChangeChance ?? 0.05;
    this.atoms = Array.from(text, (ch, index) => ({
      ch,
      outside: index < selection.start || index >= selection.end,
      source: 'original' as const,
    }));
  }

  get text(): string {
    return this.atoms.map((atom) => atom.ch).join('');
  }

  /** [start, end) of the characters that are not outside, or undefined when there are none. */
  regionBlock(): { start: number; end: number } | undefined {
    const first = this.atoms.findIndex((atom) => !atom.outside);
    if (first < 0) return undefined;
    let last = first;
    for (let i = first; i < this.atoms.length; i++) if (!this.atoms[i]!.outside) last = i;
    return { start: first, end: last + 1 };
  }

  /** The characters that are not outside, in order (whether contiguous or not). */
  regionText(): string {
    return this.atoms
      .filter((atom) => !atom.outside)
      .map((atom) => atom.ch)
      .join('');
  }

  regionIsContiguous(): boolean {
    const block = this.regionBlock();
    return !block || this.atoms.slice(block.start, block.end).every((atom) => !atom.outside);
  }

  getText(start: number, end: number): string {
    return this.atoms
      .slice(start, end)
      .map((atom) => atom.ch)
      .join('');
  }

  onDidChange(listener: (event: TargetChangeEvent) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private rand(max: number): number {
    return Math.floor(this.random() * (max + 1));
  }

  async replace(version: number, offset: number, length: number, text: string, undo: UndoStops): Promise<boolean> {
    await ticks(this.rand(this.maxTicks));
    if (this.closed || this.version !== version) {
      await ticks(this.rand(this.maxTicks));
      return false;
    }
    const normalized = text.replace(/\r\n|\r|\n/g, this.eol);
    const removed = this.atoms.slice(offset, offset + length);
    if (offset < 0 || offset + length > this.atoms.length) this.violations.push(`edit out of bounds: ${offset}+${length}`);
    if (removed.some((atom) => atom.outside)) {
      this.violations.push(`the session deleted outside text ${JSON.stringify(removed.filter((a) => a.outside).map((a) => a.ch).join(''))}`);
    }
    const neighbours = [this.atoms[offset - 1], this.atoms[offset + length]];
    if (this.regionBlock() && removed.length === 0 && neighbours.every((atom) => !atom || atom.outside) && this.regionText() !== '') {
      this.violations.push(`the session inserted text away from the range at ${offset}`);
    }
    const insideBefore = this.atoms.filter((atom) => !atom.outside).length;
    this.lastSessionEditRestored = normalized === this.original && removed.filter((atom) => !atom.outside).length === insideBefore;
    this.userEditsSinceSessionEdit = 0;
    this.atoms.splice(offset, length, ...Array.from(normalized, (ch) => ({ ch, outside: false, source: 'session' as const })));
    const changes: TextChange[] = [{ offset, length, text: normalized }];
    const ops: UndoOp[] = [{ offset, removed: removed.map((atom) => atom.ch).join(''), inserted: normalized }];
    if (!undo.after && this.random() < this.extraChangeChance) {
      // Listed after ours, at the very start of the document (where it can only move the range).
      const extra = { ch: '~', outside: true, source: 'system' as const };
      this.atoms.splice(0, 0, extra);
      changes.push({ offset: 0, length: 0, text: '~' });
      ops.push({ offset: 0, removed: '', inserted: '~' });
    }
    if (undo.before) this.closeUndoGroup();
    const last = this.undoStack[this.undoStack.length - 1];
    if (last && last.open) last.ops.push(...ops);
    else this.undoStack.push({ ops, open: true });
    if (undo.after) this.closeUndoGroup();
    this.fire(changes);
    await ticks(this.rand(this.maxTicks));
    return true;
  }

  /** A user edit, applied at once. Its inserted characters count as outside unless they land inside the range. */
  userEdit(offset: number, length: number, text: string): void {
    if (this.closed) return;
    const normalized = text.replace(/\r\n|\r|\n/g, this.eol);
    const removed = this.atoms.slice(offset, offset + length);
    const removedInside = removed.filter((atom) => !atom.outside).length;
    const insideTotal = this.atoms.filter((atom) => !atom.outside).length;
    let outside: boolean;
    if (removedInside > 0) {
      // Across or over the range: the session may drop this text when it restores.
      outside = false;
      if (removedInside === insideTotal && removed.length > removedInside) this.supersedeAllowed = true;
      this.insideEdits++;
    } else {
      const before = this.atoms[offset - 1];
      const after = this.atoms[offset + length];
      outside = !(before && after && !before.outside && !after.outside);
      if (!outside) this.insideEdits++;
      if (insideTotal === 0 && length > 0) this.supersedeAllowed = true;
    }
    this.userEditsSinceSessionEdit++;
    this.atoms.splice(offset, length, ...Array.from(normalized, (ch) => ({ ch, outside, source: 'user' as const })));
    this.closeUndoGroup();
    this.undoStack.push({ ops: [{ offset, removed: removed.map((atom) => atom.ch).join(''), inserted: normalized }], open: false });
    this.fire([{ offset, length, text: normalized }]);
  }

  /** Undoes the last undo group (as Ctrl+Z would). */
  undo(): void {
    const group = this.undoStack.pop();
    if (!group) return;
    const changes: TextChange[] = [];
    for (const op of [...group.ops].reverse()) {
      this.atoms.splice(op.offset, op.inserted.length, ...Array.from(op.removed, (ch) => ({ ch, outside: true, source: 'user' as const })));
      changes.push({ offset: op.offset, length: op.inserted.length, text: op.removed });
    }
    this.fire(changes);
  }

  close(): void {
    this.closed = true;
  }

  private closeUndoGroup(): void {
    const last = this.undoStack[this.undoStack.length - 1];
    if (last) last.open = false;
  }

  private fire(changes: TextChange[]): void {
    this.version++;
    const event: TargetChangeEvent = { version: this.version, changes };
    for (const listener of [...this.listeners]) listener(event);
  }
}
