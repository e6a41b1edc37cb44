// Line breaks as "\n" only: "\r\n" and a lone "\r" both become "\n" (what markdown-it does before
// parsing, and what the inline edits expect before converting to the document's line ending).
// No vscode, no DOM: the host and the webview bundle both use it.

const CARRIAGE_RETURN = /\r\n?/g;

/** The whole-text form: `text` with every "\r\n" and lone "\r" as "\n". */
export function normaliseLineBreaks(text: string): string {
  return text.includes('\r') ? text.replace(CARRIAGE_RETURN, '\n') : text;
}

/**
 * The streaming form, for text that arrives in chunks. A chunk ending in "\r" is held back by that
 * one character: the next chunk decides whether it was the start of a "\r\n" or a line break of its own.
 */
export class LineBreakNormaliser {
  private carriageReturnHeld = false;

  /** The normalised text of `chunk` that is final now. */
  push(chunk: string): string {
    let text = this.carriageReturnHeld ? `\r${chunk}` : chunk;
    this.carriageReturnHeld = text.endsWith('\r');
    if (this.carriageReturnHeld) text = text.slice(0, -1);
    return normaliseLineBreaks(text);
  }

  /** The text has ended: whatever was held back ("\n" for a final "\r", otherwise ""). */
  end(): string {
    const rest = this.carriageReturnHeld ? '\n' : '';
    this.carriageReturnHeld = false;
    return rest;
  }
}
