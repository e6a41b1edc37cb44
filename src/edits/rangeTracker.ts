// Keeps a range of a document (offsets, plus a mirror of its text) in step with edits made by
// someone else. vscode-free: the offsets are those of `TextDocumentContentChangeEvent`
// (`rangeOffset`, `rangeLength`, `text`), applied one change at a time in the order given.

/** One replacement: `length` characters at `offset` (in the document as it was) became `text`. */
export interface TextChange {
  offset: number;
  length: number;
  text: string;
}

/** A tracked range: [start, end) in document offsets, and the document's text there. */
export interface TrackedRange {
  start: number;
  end: number;
  text: string;
}

/**
 * Where a change fell relative to the range:
 * - `before`: entirely before it (or touching its start): the range moves by the change's size.
 * - `after`: entirely after it (or touching its end): nothing moves.
 * - `inside`: within it: the range grows or shrinks around the change.
 * - `overlap`: across one of its ends: the range becomes the union of both.
 * - `contains`: over all of it and beyond: the range's text is gone; it collapses onto the new text.
 */
export type ChangeEffect = 'before' | 'after' | 'inside' | 'overlap' | 'contains';

export function classifyChange(range: Pick<TrackedRange, 'start' | 'end'>, change: TextChange): ChangeEffect {
  const changeEnd = change.offset + change.length;
  if (changeEnd <= range.start) return 'before';
  if (change.offset >= range.end) return 'after';
  if (change.offset >= range.start && changeEnd <= range.end) return 'inside';
  if (change.offset <= range.start && changeEnd >= range.end) return 'contains';
  return 'overlap';
}

/** The range after `change`, and where the change fell. Pure. */
export function trackChange(range: TrackedRange, change: TextChange): { range: TrackedRange; effect: ChangeEffect } {
  const effect = classifyChange(range, change);
  const delta = change.text.length - change.length;
  switch (effect) {
    case 'before':
      return { range: { start: range.start + delta, end: range.end + delta, text: range.text }, effect };
    case 'after':
      return { range, effect };
    case 'contains': {
      const start = change.offset;
      return { range: { start, end: start + change.text.length, text: change.text }, effect };
    }
    case 'inside':
    case 'overlap': {
      const changeEnd = change.offset + change.length;
      const keptBefore = range.text.slice(0, Math.max(0, change.offset - range.start));
      const keptAfter = range.text.slice(Math.min(range.text.length, Math.max(0, changeEnd - range.start)));
      const start = Math.min(range.start, change.offset);
      const text = keptBefore + change.text + keptAfter;
      return { range: { start, end: start + text.length, text }, effect };
    }
  }
}
