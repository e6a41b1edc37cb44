// Where top-level markdown blocks start: the only places a stream can be cut and each side
// rendered on its own with the same result as rendering the whole text.
import type { MarkdownIt, Token } from 'markdown-it';

/**
 * Offsets into `text` at which its top-level blocks (paragraph, list, table, fence, quote, ...)
 * start, ascending. Uses markdown-it's own block parser rather than a hand-written scan, so fences
 * of any length, lists with lazy lines and tables are cut exactly where markdown-it would cut them.
 * Block-level only: inline parsing is not needed to find boundaries and is the larger cost.
 */
export function topLevelBlockStarts(md: MarkdownIt, text: string): number[] {
  const tokens: Token[] = [];
  md.block.parse(text, md, {}, tokens);
  const startLines: number[] = [];
  for (const token of tokens) {
    if (token.level === 0 && token.nesting !== -1 && token.map !== null) {
      startLines.push(token.map[0]);
    }
  }
  return lineOffsets(text, startLines);
}

/** Converts ascending line numbers to character offsets with one pass over the text. */
function lineOffsets(text: string, lines: readonly number[]): number[] {
  const offsets: number[] = [];
  let line = 0;
  let offset = 0;
  for (const target of lines) {
    while (line < target) {
      const newline = text.indexOf('\n', offset);
      if (newline === -1) {
        throw new RangeError(`line ${target} is past the end of the text`);
      }
      offset = newline + 1;
      line += 1;
    }
    offsets.push(offset);
  }
  return offsets;
}
