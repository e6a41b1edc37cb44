// Every recorded response in test/fixtures/wire, replayed through the client whole and in random
// pieces (seeded, with cuts inside UTF-8 sequences), must give what the manifest expects.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../../fixtures/random';
import { cutAt, randomCuts, replay } from './wireReplay';
import type { ReplayedAnswer } from './wireReplay';

const WIRE = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'wire');

interface Expected {
  text?: string;
  textLength?: number;
  textSha256?: string;
  textStart?: string;
  reasoning?: string;
  reasoningLength?: number;
  reasoningSha256?: string;
  reasoningStart?: string;
  toolCalls?: { name: string; arguments: string }[];
  finishReason?: string;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  error?: { status?: number; message: string };
}

interface Entry {
  file: string;
  provider: string;
  /** sse: the body as sent; chunks: one data payload per line; body: a whole JSON body. */
  format: 'sse' | 'chunks' | 'body';
  status: number;
  contentType: string;
  source: { repository: string; path: string; commit: string; licence: string; extraction: string };
  shows: string;
  expected: Expected;
}

const manifest = JSON.parse(readFileSync(join(WIRE, 'manifest.json'), 'utf8')) as { entries: Entry[] };

/** The bytes the gateway sent; a chunks file is framed as the SSE events its lines were. */
function bodyOf(entry: Entry): Uint8Array {
  const bytes = readFileSync(join(WIRE, entry.file));
  if (entry.format !== 'chunks') return bytes;
  const lines = bytes.toString('utf8').split('\n').filter((line) => line.trim() !== '');
  return Buffer.from(lines.map((line) => `data: ${line}\n\n`).join(''), 'utf8');
}

function checkLong(actual: string, expected: Expected, field: 'text' | 'reasoning'): void {
  const whole = expected[field];
  const length = expected[`${field}Length`];
  if (length !== undefined) {
    // In code points, as the manifest counts them.
    assert.equal([...actual].length, length, `${field} length`);
    assert.ok(actual.startsWith(expected[`${field}Start`] ?? ''), `${field} start`);
    assert.equal(createHash('sha256').update(actual).digest('hex'), expected[`${field}Sha256`], `${field} sha256`);
  } else {
    assert.equal(actual, whole ?? '', field);
  }
}

function check(answer: ReplayedAnswer, expected: Expected): void {
  checkLong(answer.text, expected, 'text');
  checkLong(answer.reasoning, expected, 'reasoning');
  assert.deepEqual(
    answer.toolCalls?.map(({ name, arguments: args }) => ({ name, arguments: args })),
    expected.toolCalls,
    'tool calls',
  );
  // Every call carries an id of its own, whatever the gateway sent (Gemini sends "").
  const ids = answer.toolCalls?.map((call) => call.id) ?? [];
  assert.ok(ids.every((id) => id !== ''), 'tool call ids');
  assert.equal(new Set(ids).size, ids.length, 'distinct tool call ids');
  assert.equal(answer.finishReason, expected.finishReason, 'finish reason');
  // The manifest records the three counts; reasoning and cached tokens and cost (read from the
  // *_details objects and usage.cost) are checked by the decoder's own tests.
  const counted = answer.usage && {
    prompt_tokens: answer.usage.prompt_tokens,
    completion_tokens: answer.usage.completion_tokens,
    total_tokens: answer.usage.total_tokens,
  };
  assert.deepEqual(counted, expected.usage, 'usage');
  if (expected.error) {
    assert.ok(answer.error, 'an error event');
    assert.equal(answer.error.message, expected.error.message, 'error message');
    if (expected.error.status !== undefined) assert.equal(answer.error.status, expected.error.status, 'error status');
    else assert.equal(answer.error.kind, 'stream', 'error kind');
    // Nothing may follow the error.
    assert.equal(answer.events.at(-1)?.type, 'error');
  } else {
    assert.equal(answer.error, undefined, `no error, got ${JSON.stringify(answer.error)}`);
  }
}

describe('wire corpus: recorded gateway responses', () => {
  it('holds at least 25 recordings from at least 8 providers, each with its source and licence', () => {
    assert.ok(manifest.entries.length >= 25, `${manifest.entries.length} recordings`);
    assert.ok(new Set(manifest.entries.map((entry) => entry.provider)).size >= 8);
    for (const entry of manifest.entries) {
      assert.match(entry.source.commit, /^[0-9a-f]{40}$/, entry.file);
      assert.ok(['MIT', 'Apache-2.0', 'BSD-2-Clause', 'BSD-3-Clause'].includes(entry.source.licence), entry.file);
      assert.ok(readFileSync(join(WIRE, entry.file)).length > 0, entry.file);
    }
  });

  for (const entry of manifest.entries) {
    describe(`${entry.file} (${entry.provider})`, () => {
      const body = bodyOf(entry);
      const response = (pieces: Uint8Array[]): Parameters<typeof replay>[0] => ({ status: entry.status, contentType: entry.contentType, pieces });

      it('whole', async () => {
        check(await replay(response([body])), entry.expected);
      });

      for (const seed of [1, 2, 3]) {
        it(`split at random byte boundaries (seed ${seed})`, async () => {
          const random = mulberry32(seed * 7919 + body.length);
          const cuts = randomCuts(body, 1 + Math.floor(random() * 60), random);
          check(await replay(response(cutAt(body, cuts))), entry.expected);
        });
      }

      if (body.length <= 8 * 1024) {
        it('one byte per read', async () => {
          const cuts = Array.from({ length: body.length - 1 }, (_, i) => i + 1);
          check(await replay(response(cutAt(body, cuts))), entry.expected);
        });
      }
    });
  }
});
