// Cheap line checks for an open block that is too large to re-render every frame. While such a block
// streams it is shown as plain text, and the exact (markdown-it) boundary scan only runs when a new
// line could end it. The checks may say "maybe" too often (that costs one scan); never too rarely.

/** From this size on, the open block is shown as appended plain text instead of re-rendered per frame. */
export const PLAIN_PREVIEW_MIN_CHARS = 8 * 1024;

export interface FenceOpening {
  /** Offset of the fence's first content line in the open source. */
  readonly contentStart: number;
  /** Spaces before the opening marker: markdown-it removes up to that many from each content line. */
  readonly indent: number;
  /** The info string after the marker, unparsed. */
  readonly info: string;
}

/** Blank lines, then an opening code fence line (up to 3 spaces, 3+ backticks or tildes, info). */
const FENCE_OPENING = /^(?:[ \t]*\n)*( {0,3})(?:`{3,}|~{3,})([^\n]*)\n/;

/** The opening line of the fence that `source` starts with, once that line is complete. */
export function fenceOpening(source: string): FenceOpening | undefined {
  const match = FENCE_OPENING.exec(source);
  if (match === null) {
    return undefined;
  }
  return { contentStart: match[0].length, indent: match[1]?.length ?? 0, info: match[2] ?? '' };
}

/**
 * Whether complete lines `lines` (starting at a line start) could close a top-level fence. At the top
 * level markdown-it ends a fence only at a line of 3+ of its marker characters indented less than 4
 * columns; any line starting with 3 backticks or tildes after whitespace is a "maybe".
 */
export function mayCloseFence(lines: string): boolean {
  return /(?:^|\n)[ \t]*(?:`{3}|~{3})/.test(lines);
}

/** Whether complete lines `lines` (starting at a line start) include a blank one: it ends any paragraph. */
export function hasBlankLine(lines: string): boolean {
  return /(?:^|\n)[ \t]*\n/.test(lines);
}

/**
 * Whether complete lines `lines` (starting at a line start) could end or change a top-level paragraph
 * without a blank line: a line starting with a character that opens a heading, fence, quote, list,
 * rule, HTML block, setext underline or table. A line starting with a letter only continues it.
 */
export function mayInterruptParagraph(lines: string): boolean {
  return /(?:^|\n)[ \t]*(?:[#`~>*+_<=|:-]|\d)/.test(lines);
}

/** Fence content as markdown-it takes it: up to `indent` leading spaces removed from each line. */
export function stripFenceIndent(lines: string, indent: number): string {
  if (indent === 0) {
    return lines;
  }
  return lines.replace(new RegExp(`(^|\\n) {1,${indent}}`, 'g'), '$1');
}
