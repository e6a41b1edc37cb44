// Incremental rendering of one streamed markdown answer, DOM-free so it runs (and is tested) in Node.
// Blocks that can no longer change are rendered once and handed out; only the open last block is
// re-rendered, so the work per update depends on the size of that block, not of the answer. An open
// block too large for that is shown as plain text, appended per update, and rendered once it closes.
import type { MarkdownIt } from 'markdown-it';
import { LineBreakNormaliser } from '../../text/lineBreaks';
import { topLevelBlocks } from './blockBoundaries';
import { fenceLanguage, sharedMarkdown, type RenderEnv } from './markdown';
import {
  fenceOpening,
  hasBlankLine,
  mayCloseFence,
  mayInterruptParagraph,
  PLAIN_PREVIEW_MIN_CHARS,
  stripFenceIndent,
  type FenceOpening,
} from './openBlockPreview';
import type { Sanitize } from './sanitizer';

/**
 * Top-level blocks that are final (all those one update closed): apply them once and keep them.
 * `index` counts these renders from 0.
 */
export interface RenderedBlock {
  readonly index: number;
  readonly html: string;
}

export interface RenderUpdate {
  /** Everything shown so far must be discarded first (the text was replaced, not extended). */
  readonly reset: boolean;
  /** Blocks that closed since the previous update, in order, sanitised. */
  readonly closed: readonly RenderedBlock[];
  /** Sanitised HTML of the open tail, replacing the previous one ('' when there is none or `plain` is set). */
  readonly open: string;
  /** Set instead of `open` while the open block is too large to re-render every update. */
  readonly plain?: PlainUpdate;
}

/**
 * The open block as plain text: a code block (`fence`) or a pre-wrapped paragraph (`text`) whose text
 * grows. The text is never HTML: it must be inserted as text nodes, which is why it needs no sanitizer.
 */
export interface PlainUpdate {
  /** Replace whatever shows the open block with a new, empty preview before appending. */
  readonly restart: boolean;
  /**
   * Only with `restart` of a `text` preview: sanitised HTML of the open source's complete lines, shown
   * before the preview (often a short block that only waits for the huge line after it to end).
   */
  readonly head: string;
  readonly kind: 'fence' | 'text';
  /** Fence only: the language id as `data-lang` shows it, and the code block's `data-code-index`. */
  readonly language: string;
  readonly codeIndex: number;
  /** Text to append to the preview. */
  readonly text: string;
}

/**
 * A large open block being shown as plain text. Only new text is looked at: slicing or searching the
 * whole open source would flatten V8's concatenated string and copy it every frame.
 */
interface PreviewLines {
  /** Text after the last complete line handled so far. */
  carry: string;
  /** Offset in the open source where `carry` starts. */
  completeLength: number;
}
type Preview =
  | (PreviewLines & { kind: 'fence'; opening: FenceOpening; language: string; firstLineChecked: boolean; code: string })
  | (PreviewLines & { kind: 'text'; previousLineBlank: boolean; head: string; initial: string });

/** Work counters, for tests and the benchmark. */
export interface RenderStats {
  /** Closed top-level blocks rendered. */
  closedRenders: number;
  /** Renders of closed blocks: the blocks one update closed go in one. */
  closedBatches: number;
  openRenders: number;
  boundaryScans: number;
  /** Characters handed to markdown-it, all passes counted. */
  parsedChars: number;
  /** Characters handed out as plain text of a large open block. */
  plainChars: number;
}

export interface IncrementalMarkdownOptions {
  /** Open blocks of at least this many characters are shown as plain text until they close. */
  plainPreviewMinChars?: number;
}

export class IncrementalMarkdown {
  private newlines = new LineBreakNormaliser();
  /** Sources of the closed blocks: only read by `text` and `setText`, never re-parsed. */
  private closedSources: string[] = [];
  private closedCount = 0;
  private closedCode: string[] = [];
  /** From the start of the first block that is not closed to the end of the text. */
  private openSource = '';
  private openCode: string[] = [];
  /** A newline arrived since boundaries were last looked for (only complete lines can close a block). */
  private newLines = false;
  /** Text added since the last update. */
  private pending = '';
  private dirty = false;
  private resetPending = false;
  private finished = false;
  /** What markdown-it made of the open block at the last boundary scan (`undefined`: no block yet). */
  private openBlockType: string | undefined;
  /** How much of `openSource` the last boundary scan covered. */
  private scannedLength = 0;
  private preview: Preview | undefined;
  private readonly plainPreviewMinChars: number;
  private readonly counters: RenderStats = { closedRenders: 0, closedBatches: 0, openRenders: 0, boundaryScans: 0, parsedChars: 0, plainChars: 0 };

  constructor(
    private readonly sanitize: Sanitize,
    private readonly md: MarkdownIt = sharedMarkdown(),
    options: IncrementalMarkdownOptions = {},
  ) {
    this.plainPreviewMinChars = options.plainPreviewMinChars ?? PLAIN_PREVIEW_MIN_CHARS;
  }

  /** O(delta): text is only buffered; the work happens in `takeUpdate`, once per frame. */
  append(delta: string): void {
    if (this.finished) {
      return; // a finished answer takes no more text; `setText` starts it again
    }
    this.add(this.newlines.push(delta));
  }

  /** The text ends here: every block is final, including the last. */
  finish(): void {
    if (this.finished) {
      return;
    }
    this.add(this.newlines.end());
    this.finished = true;
    this.dirty = true;
  }

  /**
   * Show exactly `full` (a state re-send). When it extends what is shown, only the new part is
   * appended; otherwise everything restarts and the next update has `reset` set.
   */
  setText(full: string): void {
    const shown = this.text;
    this.newlines = new LineBreakNormaliser();
    const incoming = this.newlines.push(full);
    if (!this.finished && incoming.startsWith(shown)) {
      this.add(incoming.slice(shown.length));
      return;
    }
    this.closedSources = [];
    this.closedCount = 0;
    this.closedCode = [];
    this.openCode = [];
    this.openSource = '';
    this.pending = '';
    this.openBlockType = undefined;
    this.scannedLength = 0;
    this.preview = undefined;
    this.finished = false;
    this.resetPending = true;
    this.dirty = true;
    this.add(incoming);
  }

  /** The pending changes as one update, or `undefined` when nothing changed since the last one. */
  takeUpdate(): RenderUpdate | undefined {
    if (!this.dirty) {
      return undefined;
    }
    this.dirty = false;
    const pending = this.pending;
    this.pending = '';
    const lines = this.preview === undefined ? '' : takeCompleteLines(this.preview, pending);
    const closed = this.boundaryScanDue(lines) ? this.closeFinishedBlocks() : [];
    this.newLines = false;
    const reset = this.resetPending;
    this.resetPending = false;
    if (this.preview === undefined && this.openSource.length < this.plainPreviewMinChars) {
      return { reset, closed, open: this.renderOpen() };
    }
    return { reset, closed, open: '', plain: this.advancePreview(lines, pending) };
  }

  /** Raw text of code block `index` (as numbered by `data-code-index`), without its final newline. */
  codeText(index: number): string | undefined {
    if (this.preview?.kind === 'fence') {
      const code = this.preview.code;
      return index === this.closedCode.length ? (code.endsWith('\n') ? code.slice(0, -1) : code) : this.closedCode[index];
    }
    return index < this.closedCode.length ? this.closedCode[index] : this.openCode[index - this.closedCode.length];
  }

  get codeBlockCount(): number {
    return this.closedCode.length + (this.preview?.kind === 'fence' ? 1 : this.openCode.length);
  }

  /** The normalised text received so far. O(answer): not for the streaming path. */
  get text(): string {
    return this.closedSources.join('') + this.openSource;
  }

  get stats(): Readonly<RenderStats> {
    return { ...this.counters };
  }

  private add(text: string): void {
    if (text.length === 0) {
      return;
    }
    this.openSource += text;
    this.pending += text;
    this.newLines ||= text.includes('\n');
    this.dirty = true;
  }

  /**
   * Closes every block followed by the start of another block. Boundaries are taken from complete
   * lines only: a partial last line can look like a block start it will not be ("#x", "|-" of a
   * table delimiter that becomes "|-x"), and the block before it must not be frozen on that guess.
   */
  private closeFinishedBlocks(): RenderedBlock[] {
    const complete = this.finished ? this.openSource.length : this.openSource.lastIndexOf('\n') + 1;
    if (complete === 0) {
      return [];
    }
    const blocks = topLevelBlocks(this.md, this.openSource.slice(0, complete));
    const starts = blocks.map((block) => block.offset);
    const fenceEnd = blocks.at(-1)?.end;
    this.openBlockType = fenceEnd === undefined ? blocks.at(-1)?.type : undefined;
    this.counters.boundaryScans += 1;
    this.counters.parsedChars += complete;
    const ends = starts.slice(1);
    if (this.finished && starts.length > 0) {
      ends.push(this.openSource.length);
    } else if (fenceEnd !== undefined) {
      ends.push(fenceEnd);
    }
    const closed: RenderedBlock[] = [];
    let cut = 0;
    const lastEnd = ends.at(-1);
    if (lastEnd !== undefined) {
      // The blocks closed by this update in one render: they were cut where a whole render starts a
      // new top-level block, so together they render as they would one by one, in one markdown-it and
      // one sanitiser pass instead of one per block (a finished answer shown at once has dozens).
      closed.push(this.renderClosed(this.openSource.slice(0, lastEnd), ends.length));
      cut = lastEnd;
    }
    if (this.finished && cut < this.openSource.length) {
      this.closedSources.push(this.openSource.slice(cut)); // blank lines only: nothing to render
      cut = this.openSource.length;
    }
    this.openSource = this.openSource.slice(cut);
    this.scannedLength = complete - cut;
    if (cut > 0 || (this.preview?.kind === 'fence' && this.openBlockType !== 'fence')) {
      this.preview = undefined;
    }
    return closed;
  }

  /**
   * Whether to look for block boundaries now. A large open block is scanned only when a new line
   * could end it (fence, paragraph) or, for other blocks (lists, quotes, tables), when it has grown by
   * half since the last scan: either way the scans of one block add up to a few times its size.
   */
  private boundaryScanDue(lines: string): boolean {
    if (this.finished) {
      return true;
    }
    if (!this.newLines) {
      return false;
    }
    const preview = this.preview;
    if (preview === undefined) {
      return true;
    }
    if (lines.length === 0) {
      return false;
    }
    if (preview.kind === 'fence') {
      // The first content line can still turn the opening line into a table header ("```a|b" + "-|-").
      const first = !preview.firstLineChecked;
      preview.firstLineChecked = true;
      return first || mayCloseFence(lines);
    }
    const grown = preview.completeLength - this.scannedLength;
    // After a blank line, whatever comes next starts a new block.
    const blank = preview.previousLineBlank || hasBlankLine(lines);
    preview.previousLineBlank = endsWithBlankLine(lines);
    if (this.openBlockType === 'paragraph_open') {
      // A line that may interrupt but did not (a list-like "1." in prose) must not cost a scan every frame.
      if (blank || (mayInterruptParagraph(lines) && grown >= this.scannedLength / 16)) {
        return true;
      }
    }
    return grown >= Math.max(this.plainPreviewMinChars, this.scannedLength / 2);
  }

  /** Renders `blocks` closed top-level blocks, the whole of `source`. */
  private renderClosed(source: string, blocks: number): RenderedBlock {
    const env: RenderEnv = { codeIndexBase: this.closedCode.length, codeBlocks: [] };
    const html = this.sanitize(this.md.render(source, env));
    this.counters.closedRenders += blocks;
    this.counters.closedBatches += 1;
    this.counters.parsedChars += source.length;
    this.closedCode.push(...env.codeBlocks);
    this.closedSources.push(source);
    this.closedCount += 1;
    return { index: this.closedCount - 1, html };
  }

  private renderOpen(source = this.openSource): string {
    this.openCode = [];
    if (!/\S/.test(source)) {
      return '';
    }
    const env: RenderEnv = { codeIndexBase: this.closedCode.length, codeBlocks: [] };
    const html = this.sanitize(this.md.render(source, env));
    this.counters.openRenders += 1;
    this.counters.parsedChars += source.length;
    this.openCode = env.codeBlocks;
    return html;
  }

  /**
   * The new text of the large open block: complete lines of a fence, anything else as it arrives.
   * `lines` and `pending` are this update's new complete lines and new text.
   */
  private advancePreview(lines: string, pending: string): PlainUpdate {
    const restart = this.preview === undefined;
    const preview = (this.preview ??= this.startPreview());
    const codeIndex = this.closedCode.length;
    if (preview.kind === 'text') {
      const text = restart ? preview.initial : pending;
      preview.initial = '';
      this.counters.plainChars += text.length;
      return { restart, head: restart ? preview.head : '', kind: 'text', language: '', codeIndex, text };
    }
    const text = restart ? preview.code : stripFenceIndent(lines, preview.opening.indent);
    if (!restart) {
      preview.code += text;
    }
    this.counters.plainChars += text.length;
    return { restart, head: '', kind: 'fence', language: preview.language, codeIndex, text };
  }

  /** The one O(open block) step of a preview: where it starts, and what it shows first. */
  private startPreview(): Preview {
    this.openCode = [];
    const complete = this.openSource.lastIndexOf('\n') + 1;
    const carry = this.openSource.slice(complete);
    const opening = this.openBlockType === 'fence' ? fenceOpening(this.openSource) : undefined;
    if (opening === undefined) {
      const headSource = this.openSource.slice(0, complete);
      const head = this.renderOpen(headSource);
      const previousLineBlank = endsWithBlankLine(headSource);
      return { kind: 'text', carry, completeLength: complete, previousLineBlank, head, initial: carry };
    }
    const language = fenceLanguage(this.md, opening.info);
    const code = stripFenceIndent(this.openSource.slice(opening.contentStart, complete), opening.indent);
    const firstLineChecked = this.scannedLength > opening.contentStart;
    return { kind: 'fence', carry, completeLength: complete, opening, language, firstLineChecked, code };
  }
}

/** Moves this update's complete lines out of `preview.carry` + `pending`; only new text is searched. */
function takeCompleteLines(preview: PreviewLines, pending: string): string {
  if (!pending.includes('\n')) {
    preview.carry += pending;
    return '';
  }
  const incoming = preview.carry + pending;
  const end = incoming.lastIndexOf('\n') + 1;
  preview.carry = incoming.slice(end);
  preview.completeLength += end;
  return incoming.slice(0, end);
}

function endsWithBlankLine(lines: string): boolean {
  return /(?:^|\n)[ \t]*\n$/.test(lines);
}

/** Renders a whole text at once: the reference the incremental result must equal, and the naive approach. */
export function renderMarkdown(
  text: string,
  sanitize: Sanitize,
  md: MarkdownIt = sharedMarkdown(),
): { html: string; codeBlocks: string[] } {
  const env: RenderEnv = { codeIndexBase: 0, codeBlocks: [] };
  return { html: sanitize(md.render(text, env)), codeBlocks: env.codeBlocks };
}
