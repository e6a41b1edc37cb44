// Incremental rendering of one streamed markdown answer, DOM-free so it runs (and is tested) in Node.
// Blocks that can no longer change are rendered once and handed out; only the open last block is
// re-rendered, so the work per update depends on the size of that block, not of the answer.
import type { MarkdownIt } from 'markdown-it';
import { LineBreakNormaliser } from '../../text/lineBreaks';
import { topLevelBlockStarts } from './blockBoundaries';
import { sharedMarkdown, type RenderEnv } from './markdown';
import type { Sanitize } from './sanitizer';

/** A top-level block that is final: apply it once and keep it. `index` counts closed blocks from 0. */
export interface RenderedBlock {
  readonly index: number;
  readonly html: string;
}

export interface RenderUpdate {
  /** Everything shown so far must be discarded first (the text was replaced, not extended). */
  readonly reset: boolean;
  /** Blocks that closed since the previous update, in order, sanitised. */
  readonly closed: readonly RenderedBlock[];
  /** Sanitised HTML of the open tail, replacing the previous one ('' when there is none). */
  readonly open: string;
}

/** Work counters, for tests and the benchmark. */
export interface RenderStats {
  closedRenders: number;
  openRenders: number;
  boundaryScans: number;
  /** Characters handed to markdown-it, all passes counted. */
  parsedChars: number;
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
  private dirty = false;
  private resetPending = false;
  private finished = false;
  private readonly counters: RenderStats = { closedRenders: 0, openRenders: 0, boundaryScans: 0, parsedChars: 0 };

  constructor(
    private readonly sanitize: Sanitize,
    private readonly md: MarkdownIt = sharedMarkdown(),
  ) {}

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
    const closed = this.newLines || this.finished ? this.closeFinishedBlocks() : [];
    this.newLines = false;
    const open = this.renderOpen();
    const reset = this.resetPending;
    this.resetPending = false;
    return { reset, closed, open };
  }

  /** Raw text of code block `index` (as numbered by `data-code-index`), without its final newline. */
  codeText(index: number): string | undefined {
    return index < this.closedCode.length ? this.closedCode[index] : this.openCode[index - this.closedCode.length];
  }

  get codeBlockCount(): number {
    return this.closedCode.length + this.openCode.length;
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
    const starts = topLevelBlockStarts(this.md, this.openSource.slice(0, complete));
    this.counters.boundaryScans += 1;
    this.counters.parsedChars += complete;
    const ends = starts.slice(1);
    if (this.finished && starts.length > 0) {
      ends.push(this.openSource.length);
    }
    const closed: RenderedBlock[] = [];
    let cut = 0;
    for (const end of ends) {
      closed.push(this.renderClosed(this.openSource.slice(cut, end)));
      cut = end;
    }
    if (this.finished && cut < this.openSource.length) {
      this.closedSources.push(this.openSource.slice(cut)); // blank lines only: nothing to render
      cut = this.openSource.length;
    }
    this.openSource = this.openSource.slice(cut);
    return closed;
  }

  private renderClosed(source: string): RenderedBlock {
    const env: RenderEnv = { codeIndexBase: this.closedCode.length, codeBlocks: [] };
    const html = this.sanitize(this.md.render(source, env));
    this.counters.closedRenders += 1;
    this.counters.parsedChars += source.length;
    this.closedCode.push(...env.codeBlocks);
    this.closedSources.push(source);
    this.closedCount += 1;
    return { index: this.closedCount - 1, html };
  }

  private renderOpen(): string {
    this.openCode = [];
    if (!/\S/.test(this.openSource)) {
      return '';
    }
    const env: RenderEnv = { codeIndexBase: this.closedCode.length, codeBlocks: [] };
    const html = this.sanitize(this.md.render(this.openSource, env));
    this.counters.openRenders += 1;
    this.counters.parsedChars += this.openSource.length;
    this.openCode = env.codeBlocks;
    return html;
  }
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
