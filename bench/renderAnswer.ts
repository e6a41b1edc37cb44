// A synthetic model answer for bench/render.ts: prose, lists, tables and code fences in the
// proportions of a long coding answer, and the 1-3-token deltas a gateway streams it in.
import { mulberry32 } from '../test/fixtures/random';

/** The benchmark's token: about four characters of English or code. */
export const CHARS_PER_TOKEN = 4;

const WORDS = ['the', 'renderer', 'streams', 'a', 'block', 'of', 'markdown', 'into', 'webview', 'while', 'tokens', 'arrive',
  'from', 'gateway', 'and', 'each', 'frame', 'applies', 'only', 'what', 'changed', 'since', 'last', 'update', '`code`', '**bold**', '*note*'];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function sentence(random: () => number, words: number): string {
  const parts: string[] = [];
  for (let i = 0; i < words; i += 1) {
    parts.push(pick(random, WORDS));
  }
  const text = parts.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function section(random: () => number, index: number): string {
  const prose = Array.from({ length: 2 + Math.floor(random() * 3) }, () => sentence(random, 8 + Math.floor(random() * 12))).join(' ');
  const list = Array.from({ length: 3 + Math.floor(random() * 5) }, (_, item) => `${item + 1}. ${sentence(random, 5 + Math.floor(random() * 8))}`).join('\n');
  const rows = Array.from({ length: 3 + Math.floor(random() * 5) }, (_, row) => `| \`opt${row}\` | ${row * 7} | ${sentence(random, 4)} |`).join('\n');
  const lines = Array.from({ length: 8 + Math.floor(random() * 20) }, (_, line) =>
    line % 5 === 0 ? `  // ${sentence(random, 6)}` : `  const value${line} = compute(${line}, "${pick(random, WORDS)}") + ${line * 3};`);
  return [
    `## Step ${index + 1}`,
    prose,
    list,
    '| Option | Default | Meaning |\n|:--|--:|:--|\n' + rows,
    '```ts\nexport function step' + index + '(input: string): number {\n' + lines.join('\n') + '\n  return value0;\n}\n```',
    sentence(random, 14),
  ].join('\n\n');
}

/** A markdown answer of about `tokens` tokens. */
export function buildAnswer(tokens: number, seed = 42): string {
  const random = mulberry32(seed);
  const target = tokens * CHARS_PER_TOKEN;
  const sections: string[] = [];
  let length = 0;
  while (length < target) {
    const next = section(random, sections.length);
    sections.push(next);
    length += next.length + 2;
  }
  return sections.join('\n\n').slice(0, target);
}

/** Deltas of 1-3 tokens each. */
export function splitIntoDeltas(text: string, seed = 7): string[] {
  const random = mulberry32(seed);
  const deltas: string[] = [];
  for (let offset = 0; offset < text.length; ) {
    const size = CHARS_PER_TOKEN * (1 + Math.floor(random() * 3));
    deltas.push(text.slice(offset, offset + size));
    offset += size;
  }
  return deltas;
}
