// Where top-level markdown blocks start: the only places a stream can be cut and each side
// rendered on its own with the same result as rendering the whole text.
import type { MarkdownIt, Token } from 'markdown-it';

/** Where a top-level block starts and what markdown-it made of it (`fence`, `paragraph_open`, ...). */
export interface BlockStart {
  readonly offset: number;
  readonly type: string;
  /**
   * Last block only, when it is a fence ended by its closing marker line: the offset after that line.
   * Nothing that follows can change such a fence, so it is final before the next block starts.
   */
  readonly end?: number;
}

/**
 * Offsets into `text` at which its top-level blocks (paragraph, list, table, fence, quote, ...)
 * start, ascending. Uses markdown-it's own block parser rather than a hand-written scan, so fences
 * of any length, lists with lazy lines and tables are cut exactly where markdown-it would cut them.
 * Block-level only: inline parsing is not needed to find boundaries and is the larger cost.
 */
export function topLevelBlockStarts(md: MarkdownIt, text: string): number[] {
  return topLevelBlocks(md, text).map((block) => block.offset);
}

/** Like `topLevelBlockStarts`, with each block's opening token type. */
export function topLevelBlocks(md: MarkdownIt, text: string): BlockStart[] {
  const tokens: Token[] = [];
  md.block.parse(text, md, {}, tokens);
  const startLines: number[] = [];
  const types: string[] = [];
  let last: Token | undefined;
  for (const token of tokens) {
    if (token.level === 0 && token.nesting !== -1 && token.map !== null) {
      startLines.push(token.map[0]);
      types.push(token.type);
      last = token;
    }
  }
  // Without a final newline the last line may be partial, and the caller cuts at the text's end anyway.
  const endLine = last !== undefined && text.endsWith('\n') ? closedFenceEndLine(last) : undefined;
  const offsets = lineOffsets(text, endLine === undefined ? startLines : [...startLines, endLine]);
  const blocks: BlockStart[] = startLines.map((_, index) => ({ offset: offsets[index] ?? 0, type: types[index] ?? '' }));
  const lastBlock = blocks.at(-1);
  const end = offsets[startLines.length];
  if (lastBlock !== undefined && end !== undefined) {
    blocks[blocks.length - 1] = { ...lastBlock, end };
  }
  return blocks;
}

/**
 * The line after a fence's closing marker line, or `undefined` while the fence is unterminated. A
 * terminated fence spans its opening line, one line per content line and the closing line; an
 * unterminated one has no closing line (markdown-it's map cannot tell them apart on its own).
 */
function closedFenceEndLine(token: Token): number | undefined {
  if (token.type !== 'fence' || token.map === null) {
    return undefined;
  }
  let contentLines = 0;
  for (let index = token.content.indexOf('\n'); index !== -1; index = token.content.indexOf('\n', index + 1)) {
    contentLines += 1;
  }
  const [startLine, endLine] = token.map;
  return endLine - startLine === contentLines + 2 ? endLine : undefined;
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
