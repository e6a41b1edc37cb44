// Deterministic chunkings of a text, as a gateway might deliver it.
import { mulberry32 } from '../../fixtures/random';

/** Splits `text` into chunks of 1..maxSize characters. */
export function randomChunks(text: string, seed: number, maxSize: number): string[] {
  const random = mulberry32(seed);
  const chunks: string[] = [];
  for (let offset = 0; offset < text.length; ) {
    const size = 1 + Math.floor(random() * maxSize);
    chunks.push(text.slice(offset, offset + size));
    offset += size;
  }
  return chunks;
}

/** Splits so that every fence marker and every CRLF is cut in the middle at least once. */
export function adversarialChunks(text: string): string[] {
  const cuts = new Set<number>();
  for (const match of text.matchAll(/`{3,}|~{3,}|\r\n|\|-|-\|/g)) {
    cuts.add(match.index + 1);
  }
  const chunks: string[] = [];
  let previous = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    chunks.push(text.slice(previous, cut));
    previous = cut;
  }
  chunks.push(text.slice(previous));
  return chunks.filter((chunk) => chunk.length > 0);
}
