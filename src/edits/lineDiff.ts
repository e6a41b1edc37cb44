// Which lines of a rewritten block are new or changed compared to the original (vscode-free).
// The diff is the `diff` package's Myers diff: fast when the texts are mostly alike, whatever their
// size, but quadratic in the number of differing lines, and the decorations ask again on every
// streamed edit. So lines kept at the start and end are matched first, and a middle that differs in
// more than MAX_EDIT_LENGTH lines is marked as changed as a whole instead of being diffed.

import { diffArrays } from 'diff';

/** Insertions plus deletions beyond which the middle is not diffed: bounds the cost per call to a few ms. */
export const MAX_EDIT_LENGTH = 100;

function comparableLines(text: string): string[] {
  return text.split(/\r\n|\n/).map((line) => line.trimEnd());
}

/**
 * For each line of `current`, whether it is inserted or changed compared to `original` (that is: not
 * kept by a shortest line diff). Lines are compared ignoring trailing whitespace and line endings.
 */
export function changedLines(original: string, current: string): boolean[] {
  const before = comparableLines(original);
  const after = comparableLines(current);
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;

  const changed = after.map((_, index) => index >= head && index < after.length - tail);
  const middle = diffArrays(before.slice(head, before.length - tail), after.slice(head, after.length - tail), { maxEditLength: MAX_EDIT_LENGTH });
  if (!middle) return changed;
  let line = head;
  for (const part of middle) {
    if (part.removed) continue;
    if (!part.added) changed.fill(false, line, line + part.count);
    line += part.count;
  }
  return changed;
}
