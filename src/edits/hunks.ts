// Per-hunk review of an inline edit (vscode-free): the streamed text compared with the original as
// whole lines, cut into hunks (runs of removed and inserted lines) that the user accepts or rejects
// one by one. The review follows every later change of the edited text, so rejecting a hunk puts
// back exactly its original text wherever the hunk is by then.
//
// The edited text is kept as a list of segments whose current texts, joined, are the edited text,
// and whose original texts, joined, are the original. A segment is either unchanged text (`same`)
// or a hunk. Offsets are relative to the start of the edited range.

import { diffArrays } from 'diff';

/** Insertions plus deletions beyond which the middle is not diffed (one hunk instead): bounds each call to a few ms. */
export const MAX_HUNK_EDIT_LENGTH = 200;

/** A run of changed lines: `original` text [originalStart, originalEnd) became proposed text [proposedStart, proposedEnd). */
export interface Hunk {
  originalStart: number;
  originalEnd: number;
  proposedStart: number;
  proposedEnd: number;
}

/** The text's lines, each with its line break (the last one may have none). Joined, they are the text. */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

const lengthOf = (lines: readonly string[], from: number, to: number): number => {
  let length = 0;
  for (let i = from; i < to; i++) length += lines[i]!.length;
  return length;
};

/**
 * The hunks turning `original` into `proposed`, in order. Lines are compared exactly (line breaks
 * included), so each hunk's texts are byte for byte what they replace.
 */
export function computeHunks(original: string, proposed: string): Hunk[] {
  const before = splitLines(original);
  const after = splitLines(proposed);
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  if (head === before.length && head === after.length) return [];

  const hunks: Hunk[] = [];
  let originalLine = head;
  let proposedLine = head;
  let originalOffset = lengthOf(before, 0, head);
  let proposedOffset = originalOffset;
  let open: Hunk | undefined;
  const take = (removed: number, added: number): void => {
    const removedLength = lengthOf(before, originalLine, originalLine + removed);
    const addedLength = lengthOf(after, proposedLine, proposedLine + added);
    if (!open) {
      open = { originalStart: originalOffset, originalEnd: originalOffset, proposedStart: proposedOffset, proposedEnd: proposedOffset };
      hunks.push(open);
    }
    open.originalEnd += removedLength;
    open.proposedEnd += addedLength;
    originalLine += removed;
    proposedLine += added;
    originalOffset += removedLength;
    proposedOffset += addedLength;
  };
  const middle = diffArrays(before.slice(head, before.length - tail), after.slice(head, after.length - tail), { maxEditLength: MAX_HUNK_EDIT_LENGTH });
  if (!middle) {
    take(before.length - tail - head, after.length - tail - head);
    return hunks;
  }
  for (const part of middle) {
    if (part.removed) take(part.count, 0);
    else if (part.added) take(0, part.count);
    else {
      open = undefined;
      const length = lengthOf(before, originalLine, originalLine + part.count);
      originalLine += part.count;
      proposedLine += part.count;
      originalOffset += length;
      proposedOffset += length;
    }
  }
  return hunks;
}

export type HunkStatus = 'pending' | 'accepted' | 'rejected';

interface Segment {
  id: number;
  /** Unchanged text, or a hunk (which the user decides on). */
  hunk: boolean;
  status: HunkStatus;
  original: string;
  current: string;
  /** 1-based position among the hunks found when the review started (a merged hunk takes its first). */
  ordinal: number;
}

/** A hunk still to decide on, where it is now. */
export interface ReviewHunk {
  id: number;
  /** 1-based position among the hunks found when the review started. */
  ordinal: number;
  /** [start, end) of its current text in the edited text. */
  start: number;
  end: number;
  original: string;
  current: string;
}

/** An edit of the edited text: [from, to) becomes `text`. */
export interface ReviewEdit {
  from: number;
  to: number;
  text: string;
}

export class HunkReview {
  private segments: Segment[] = [];
  private nextId = 1;
  /** How many hunks there were when the review started. */
  readonly total: number;

  constructor(original: string, proposed: string) {
    let originalAt = 0;
    let ordinal = 0;
    const same = (text: string): void => {
      if (text !== '') this.segments.push({ id: this.nextId++, hunk: false, status: 'accepted', original: text, current: text, ordinal: 0 });
    };
    for (const hunk of computeHunks(original, proposed)) {
      same(original.slice(originalAt, hunk.originalStart));
      this.segments.push({
        id: this.nextId++,
        hunk: true,
        status: 'pending',
        original: original.slice(hunk.originalStart, hunk.originalEnd),
        current: proposed.slice(hunk.proposedStart, hunk.proposedEnd),
        ordinal: ++ordinal,
      });
      originalAt = hunk.originalEnd;
    }
    same(original.slice(originalAt));
    this.total = ordinal;
  }

  /** The edited text as the review knows it (the document's text of the range). */
  get text(): string {
    return this.segments.map((segment) => segment.current).join('');
  }

  /** The original text (joined originals of every segment). */
  get original(): string {
    return this.segments.map((segment) => segment.original).join('');
  }

  /** Hunks still to decide on, in order. */
  pending(): ReviewHunk[] {
    const result: ReviewHunk[] = [];
    let at = 0;
    for (const segment of this.segments) {
      const end = at + segment.current.length;
      if (segment.hunk && segment.status === 'pending') {
        result.push({ id: segment.id, ordinal: segment.ordinal, start: at, end, original: segment.original, current: segment.current });
      }
      at = end;
    }
    return result;
  }

  /** Some hunk has been accepted or rejected one by one. */
  get decidedAny(): boolean {
    return this.segments.some((segment) => segment.hunk && segment.status !== 'pending');
  }

  isPending(id: number): boolean {
    return this.segments.some((segment) => segment.id === id && segment.hunk && segment.status === 'pending');
  }

  /** The edit that puts hunk `id`'s original text back, or undefined when it is not pending. */
  rejectEdit(id: number): ReviewEdit | undefined {
    const hunk = this.pending().find((candidate) => candidate.id === id);
    return hunk ? { from: hunk.start, to: hunk.end, text: hunk.original } : undefined;
  }

  /** The edit rejecting hunk `id` is in the document: its text is the original again. */
  rejected(id: number): void {
    const segment = this.segments.find((candidate) => candidate.id === id);
    if (!segment?.hunk || segment.status !== 'pending') return;
    segment.current = segment.original;
    segment.status = 'rejected';
  }

  /** Keeps hunk `id` as it is. */
  accepted(id: number): void {
    const segment = this.segments.find((candidate) => candidate.id === id);
    if (segment?.hunk && segment.status === 'pending') segment.status = 'accepted';
  }

  /** The edited text with every pending hunk rejected (what "reject the rest" leaves). */
  textWithPendingRejected(): string {
    return this.textWith(() => true);
  }

  /** The edited text with the pending hunks `rejected` says so rejected, the others kept. */
  textWith(rejected: (id: number) => boolean): string {
    return this.segments.map((segment) => (segment.hunk && segment.status === 'pending' && rejected(segment.id) ? segment.original : segment.current)).join('');
  }

  /**
   * Someone changed the edited text: [from, to) became `text`. A change within one segment changes
   * that segment; one across several merges them into one segment (a hunk to review if any of them
   * was still pending). An insertion between two segments goes to the unchanged or decided one, so
   * that rejecting a hunk never drops text typed next to it.
   */
  applyChange(from: number, to: number, text: string): void {
    if (this.segments.length === 0) {
      if (text !== '') this.segments.push({ id: this.nextId++, hunk: false, status: 'accepted', original: '', current: text, ordinal: 0 });
      return;
    }
    const starts: number[] = [];
    let at = 0;
    for (const segment of this.segments) {
      starts.push(at);
      at += segment.current.length;
    }
    let first: number;
    let last: number;
    if (from === to) {
      const candidates = this.segments.flatMap((segment, index) => {
        const start = starts[index]!;
        return start <= from && from <= start + segment.current.length ? [index] : [];
      });
      const inside = candidates.find((index) => starts[index]! < from && from < starts[index]! + this.segments[index]!.current.length);
      const settled = candidates.filter((index) => !(this.segments[index]!.hunk && this.segments[index]!.status === 'pending'));
      // Hunks are whole lines: text typed at a line start belongs to the line that starts there.
      const startingHere = settled.find((index) => starts[index] === from);
      const chosen = inside ?? startingHere ?? settled[0];
      if (chosen === undefined) {
        // Only pending hunks meet here (e.g. typing at the end of a hunk that ends the text): the
        // typed text belongs to none of them.
        const after = candidates.find((index) => starts[index] === from) ?? this.segments.length;
        if (text !== '') this.segments.splice(after, 0, { id: this.nextId++, hunk: false, status: 'accepted', original: '', current: text, ordinal: 0 });
        return;
      }
      first = last = chosen;
    } else {
      const touched = this.segments.flatMap((segment, index) => {
        const start = starts[index]!;
        const end = start + segment.current.length;
        // Empty segments (a deleted hunk) count only when the change is around them, not beside them.
        return (segment.current.length === 0 ? from < start && start < to : start < to && from < end) ? [index] : [];
      });
      first = touched[0] ?? this.segments.length - 1;
      last = touched[touched.length - 1] ?? first;
    }
    const group = this.segments.slice(first, last + 1);
    const groupStart = starts[first]!;
    const joinedCurrent = group.map((segment) => segment.current).join('');
    const current = joinedCurrent.slice(0, Math.max(0, from - groupStart)) + text + joinedCurrent.slice(Math.max(0, to - groupStart));
    if (group.length === 1) {
      group[0]!.current = current;
      return;
    }
    const pendingHunks = group.filter((segment) => segment.hunk && segment.status === 'pending');
    const merged: Segment = {
      id: this.nextId++,
      hunk: pendingHunks.length > 0,
      status: pendingHunks.length > 0 ? 'pending' : 'accepted',
      original: group.map((segment) => segment.original).join(''),
      current,
      ordinal: pendingHunks[0]?.ordinal ?? 0,
    };
    this.segments.splice(first, group.length, merged);
  }
}
