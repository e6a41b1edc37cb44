// Strips the Markdown code fences (and the prose around them) that models add to "code only"
// answers, incrementally: text goes in as it streams, and what is certainly code comes out at once.
// vscode-free. Line breaks come out as "\n" only (CRLF and lone CR are normalised, see
// src/text/lineBreaks.ts), so the caller converts them to the document's line ending.
//
// Rules:
// - An opening fence line (```lang or ~~~) at the start is dropped as soon as the line is complete;
//   a few lines of prose before it ("Here is the simplified code:") are dropped with it.
// - Inside a fenced answer, the closing fence line ends the code: it, and everything after it
//   (usually an explanation), is dropped.
// - An answer without an opening fence is code as it stands, except that a bare closing fence at its
//   very end is dropped when the answer finishes.
// - The line break just before a closing fence belongs to the fence, not to the code.
// Whatever the chunking, the concatenated output is the same (unit-tested).

import { LineBreakNormaliser } from '../text/lineBreaks';

/** Lines of prose held back at the start while waiting to see whether a fence follows. */
const MAX_PREAMBLE_LINES = 3;
const MAX_PREAMBLE_CHARS = 600;

type Mode = 'start' | 'fenced' | 'raw' | 'after';

interface Fence {
  char: '`' | '~';
  length: number;
}

const OPEN_FENCE = /^[ \t]*(?:(`{3,})[^`]*|(~{3,}).*)$/;
const BARE_FENCE = /^[ \t]*(`{3,}|~{3,})[ \t]*$/;

function openFence(line: string): Fence | undefined {
  const match = OPEN_FENCE.exec(line);
  if (!match) return undefined;
  const run = match[1] ?? match[2] ?? '';
  return { char: run[0] === '~' ? '~' : '`', length: run.length };
}

function closesFence(line: string, fence: Fence): boolean {
  const match = BARE_FENCE.exec(line);
  return !!match && match[1]![0] === fence.char && match[1]!.length >= fence.length;
}

/** True when more characters could still turn `partial` into a fence line (opening or bare). */
function couldBecomeFence(partial: string, fence?: Fence): boolean {
  if (fence) return new RegExp(`^[ \\t]*(${fence.char === '`' ? '`' : '~'}*)[ \\t]*$`).test(partial) && !/\S[ \t]+\S/.test(partial);
  return /^[ \t]*(`*|~*)$/.test(partial) || OPEN_FENCE.test(partial);
}

/** Prose such as "Here is the refactored code:" rather than code (a heuristic for the first lines). */
function looksLikeProse(line: string, complete: boolean): boolean {
  const text = line.trim();
  if (text === '') return true;
  if (!/^[A-Z]/.test(line) || /[;{}=<>`$]/.test(text)) return false;
  if (!complete) return true;
  return /\s/.test(text) || /[.:!]$/.test(text);
}

export class FenceStripper {
  private mode: Mode = 'start';
  /** The current line, not yet ended by a line break. */
  private line = '';
  /** How much of `line` has been output already (fenced and raw modes). */
  private emitted = 0;
  /** A line break before `line` that has not been output yet: it may belong to a closing fence. */
  private newlinePending = false;
  /** Start mode: complete lines held back while they may be prose before an opening fence. */
  private held: string[] = [];
  /** Raw mode: a bare fence line (and blank lines after it), with the line break before it, held back. */
  private heldTail = '';
  private fence: Fence | undefined;
  private readonly lineBreaks = new LineBreakNormaliser();

  /** Feeds a piece of the answer; returns the text that is certainly code, to append. */
  push(chunk: string): string {
    const text = this.lineBreaks.push(chunk);

    let out = '';
    let from = 0;
    for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', from)) {
      this.line += text.slice(from, newline);
      out += this.endLine();
      from = newline + 1;
    }
    this.line += text.slice(from);
    return out + this.partial();
  }

  /** The answer is complete: returns the rest of the code (a closing fence at the end dropped). */
  finish(): string {
    let out = '';
    // A "\r" held back at the very end was a line break of its own.
    if (this.lineBreaks.end() !== '') out += this.endLine();
    if (this.mode === 'start') {
      if (openFence(this.line) && this.held.every((line) => looksLikeProse(line, true))) {
        // Prose and an opening fence with nothing after it: there is no code.
        this.reset('after');
        return out;
      }
      out += this.release();
    }
    if (this.mode === 'fenced') {
      const rest = this.line.slice(this.emitted);
      if (this.emitted === 0 && (closesFence(this.line, this.fence!) || this.line.trim() === '')) {
        // The closing fence (or nothing) ends the answer: drop it with the line break before it.
      } else {
        out += this.emit(rest);
      }
    } else if (this.mode === 'raw') {
      if (this.emitted === 0 && (BARE_FENCE.test(this.line) || (this.heldTail !== '' && this.line.trim() === ''))) {
        // A closing fence at the very end (held, or the unfinished last line): dropped, with the
        // line break before it and any blank lines after it.
      } else if (this.emitted === 0 && this.line === '') {
        out += this.emit('');
      } else {
        out += this.releaseTail() + (this.emitted === 0 ? this.emit(this.line) : this.line.slice(this.emitted));
      }
    }
    this.reset('after');
    return out;
  }

  private reset(mode: Mode): void {
    this.mode = mode;
    this.line = '';
    this.emitted = 0;
    this.newlinePending = false;
    this.held = [];
    this.heldTail = '';
  }

  /** Outputs `text` as part of the current line, preceded by a pending line break. */
  private emit(text: string): string {
    if (text === '' && !this.newlinePending) return '';
    const out = (this.newlinePending ? '\n' : '') + text;
    this.newlinePending = false;
    return out;
  }

  /** The current line ended with a line break. */
  private endLine(): string {
    const line = this.line;
    this.line = '';
    const emitted = this.emitted;
    this.emitted = 0;
    switch (this.mode) {
      case 'start': {
        const fence = openFence(line);
        if (fence && this.held.every((held) => looksLikeProse(held, true))) {
          this.fence = fence;
          this.held = [];
          this.mode = 'fenced';
          return '';
        }
        this.held.push(line);
        const nonBlank = this.held.filter((held) => held.trim() !== '').length;
        const chars = this.held.reduce((sum, held) => sum + held.length + 1, 0);
        if (!looksLikeProse(line, true) || nonBlank > MAX_PREAMBLE_LINES || chars > MAX_PREAMBLE_CHARS) {
          return this.release();
        }
        return '';
      }
      case 'fenced': {
        if (emitted === 0 && closesFence(line, this.fence!)) {
          this.reset('after');
          return '';
        }
        const out = emitted === 0 ? this.emit(line) : line.slice(emitted);
        this.newlinePending = true;
        return out;
      }
      case 'raw': {
        if (emitted === 0 && (BARE_FENCE.test(line) || (this.heldTail !== '' && line.trim() === ''))) {
          // Maybe the closing fence at the end of the answer (and blank lines after it): hold.
          this.heldTail += (this.newlinePending ? '\n' : '') + line;
          this.newlinePending = true;
          return '';
        }
        let out = this.releaseTail();
        out += emitted === 0 ? this.emit(line) : line.slice(emitted);
        this.newlinePending = true;
        return out;
      }
      case 'after':
        return '';
    }
  }

  /** Output for the unfinished current line: as soon as it cannot be a fence line, it is code. */
  private partial(): string {
    const line = this.line;
    switch (this.mode) {
      case 'start':
        if (couldBecomeFence(line) || looksLikeProse(line, false)) return '';
        return this.release() + this.partial();
      case 'fenced':
      case 'raw': {
        if (this.emitted === 0 && couldBecomeFence(line, this.mode === 'fenced' ? this.fence : undefined)) return '';
        if (this.emitted === line.length) return '';
        let out = this.mode === 'raw' ? this.releaseTail() : '';
        out += this.emitted === 0 ? this.emit(line) : line.slice(this.emitted);
        this.emitted = line.length;
        return out;
      }
      case 'after':
        this.line = '';
        return '';
    }
  }

  /** Start mode found no fence: the held lines are code after all. */
  private release(): string {
    this.mode = 'raw';
    let out = '';
    for (const line of this.held) {
      out += this.emit(line);
      this.newlinePending = true;
    }
    this.held = [];
    return out;
  }

  /** Raw mode: a held fence line turned out not to be the end. */
  private releaseTail(): string {
    if (this.heldTail === '') return '';
    const out = this.heldTail;
    this.heldTail = '';
    return out;
  }
}

/** The code in a complete answer: `FenceStripper` in one go. */
export function stripCodeFences(text: string): string {
  const stripper = new FenceStripper();
  return stripper.push(text) + stripper.finish();
}
