// Line endings normalised as text streams in, so block boundaries are found on the same lines
// markdown-it sees (it turns \r\n and lone \r into \n before parsing).

/**
 * Normalises `\r\n` and lone `\r` to `\n` across chunk boundaries: a chunk that ends in `\r` is
 * held back one character, because the next chunk may start with the `\n` of the same CRLF.
 */
export class NewlineNormalizer {
  private pendingCarriageReturn = false;

  /** The normalised text of `chunk` that is final now. */
  push(chunk: string): string {
    let text = this.pendingCarriageReturn ? `\r${chunk}` : chunk;
    this.pendingCarriageReturn = text.endsWith('\r');
    if (this.pendingCarriageReturn) {
      text = text.slice(0, -1);
    }
    return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
  }

  /** Whatever was held back, at the end of the text. */
  end(): string {
    const rest = this.pendingCarriageReturn ? '\n' : '';
    this.pendingCarriageReturn = false;
    return rest;
  }

  reset(): void {
    this.pendingCarriageReturn = false;
  }
}

/** The whole-text form of the same normalisation. */
export function normalizeNewlines(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}
