// What the editor shows of an inline edit's hunks (vscode-free): which lines of the new text are
// inserted, and the removed lines as annotations beside them. VS Code offers extensions no way to
// show extra lines, so removed lines go next to the inserted line they were replaced by (the rest
// of a longer run on the hunk's last line), or, for a hunk that only removes, on the line before it.

import { splitLines } from './hunks';

/** A hunk where it is now: [start, end) of its text in the edited text, and the text it replaced. */
export interface DisplayedHunk {
  start: number;
  end: number;
  original: string;
}

export interface RemovedAnnotation {
  /** The line of the edited text it goes on (0-based). */
  line: number;
  /** The removed lines as shown: one line of text. */
  text: string;
  /** The removed text in full (for the hover). */
  full: string;
}

export interface HunkDisplay {
  insertedLines: number[];
  removed: RemovedAnnotation[];
}

/** Longest annotation shown; the hover has the rest. */
export const MAX_ANNOTATION_LENGTH = 160;

const shown = (lines: readonly string[]): string => {
  const text = lines.map((line) => line.replace(/\r?\n$/, '').trim()).join('  ⏎  ');
  return text.length > MAX_ANNOTATION_LENGTH ? `${text.slice(0, MAX_ANNOTATION_LENGTH - 1)}…` : text;
};

export function displayHunks(text: string, hunks: readonly DisplayedHunk[]): HunkDisplay {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lineStarts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  };
  const insertedLines: number[] = [];
  const removed: RemovedAnnotation[] = [];
  for (const hunk of hunks) {
    const removedLines = splitLines(hunk.original);
    const first = lineOf(hunk.start);
    const count = hunk.end > hunk.start ? lineOf(hunk.end - 1) - first + 1 : 0;
    for (let line = first; line < first + count; line++) insertedLines.push(line);
    if (removedLines.length === 0) continue;
    if (count === 0) {
      // Only removed: beside the line before the gap (the line after it when there is none before).
      removed.push({ line: first > 0 ? first - 1 : first, text: shown(removedLines), full: hunk.original });
      continue;
    }
    for (let i = 0; i < count && i < removedLines.length; i++) {
      const rest = i === count - 1 ? removedLines.slice(i) : [removedLines[i]!];
      removed.push({ line: first + i, text: shown(rest), full: rest.join('') });
    }
  }
  return { insertedLines, removed };
}
