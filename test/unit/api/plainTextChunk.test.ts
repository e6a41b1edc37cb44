import { strict as assert } from 'node:assert';
import { ChunkDecoder } from '../../../src/api/chunkDecoder';
import { plainTextChunk } from '../../../src/api/plainTextChunk';
import type { StreamEvent } from '../../../src/api/types';
import { mulberry32 } from '../../fixtures/random';

const HEAD = '{"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4o","system_fingerprint":"fp_eb9dce56a8","choices":[{"index":0,"delta":';
const TAIL = ',"logprobs":null,"finish_reason":null}]}';

function contentChunk(content: string): string {
  return `${HEAD}{"content":${JSON.stringify(content)}}${TAIL}`;
}

/** What the full decoder reads from a chunk, by JSON.parse: the reference for the fast path. */
function parsedContent(data: string): string | undefined {
  const chunk = JSON.parse(data) as { choices: Array<{ delta: { content: string } }> };
  return chunk.choices[0]?.delta.content;
}

/** The chunk carries nothing besides content that the full decoder would act on. */
function assertNothingElse(data: string): void {
  const chunk = JSON.parse(data) as Record<string, unknown>;
  assert.ok(chunk.error === undefined, data);
  assert.ok(chunk.usage === undefined || chunk.usage === null, data);
  const choices = chunk.choices as Array<Record<string, unknown>>;
  assert.equal(choices.length, 1, data);
  const choice = choices[0] ?? {};
  assert.ok(choice.finish_reason === null || choice.finish_reason === undefined, data);
  assert.equal(choice.message, undefined, data);
  assert.deepEqual(Object.keys(choice.delta as object).filter((key) => !['role', 'content', 'refusal'].includes(key)), [], data);
}

function decode(data: string): StreamEvent[] {
  const out: StreamEvent[] = [];
  new ChunkDecoder([]).push(data, out);
  return out;
}

describe('plainTextChunk (the stream fast path)', () => {
  it('hands out the content of ordinary chunks exactly as JSON.parse reads it', () => {
    const contents = ['Hello', '', ' "q"', 'a\\b', '\n\t', 'Ünï 🦊', '\u2028', '</script>', 'emoji \ud83e\udd8a', '\\u0041'];
    for (const content of contents) {
      const data = contentChunk(content);
      assert.equal(plainTextChunk(data), content, data);
      assert.equal(plainTextChunk(data), parsedContent(data));
      assertNothingElse(data);
    }
    const shapes = [
      '{"choices":[{"delta":{"content":"x"},"finish_reason":null}]}',
      '{"id":"1","choices":[{"index":0,"delta":{"role":"assistant","content":"x","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}',
      '{"choices":[{"index":0,"delta":{"content":"\\u00e9\\ud83e\\udd8a\\/"},"finish_reason":null}],"created":-1.5e+3,"x":true,"y":false,"z":null}',
    ];
    for (const data of shapes) {
      assert.equal(typeof plainTextChunk(data), 'string', data);
      assert.equal(plainTextChunk(data), parsedContent(data));
      assertNothingElse(data);
    }
  });

  it('leaves every chunk that carries anything else to the full decoder', () => {
    const others = [
      '{"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":"stop"}]}',
      '{"choices":[{"index":0,"delta":{"reasoning_content":"r","content":"x"},"finish_reason":null}]}',
      '{"choices":[{"index":0,"delta":{"content":"x","tool_calls":[]},"finish_reason":null}]}',
      '{"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}],"usage":{"prompt_tokens":1}}',
      '{"error":{"message":"boom"},"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}',
      '{"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}],"error":"boom"}',
      '{"\\u0065rror":"boom","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}',
      '{"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}],"choices":[]}',
      '{"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null},{"index":1,"delta":{"content":"y"},"finish_reason":null}]}',
      '{"choices":[{"index":1,"delta":{"content":"x"},"finish_reason":null}]}',
      '{"choices": [{"index":0,"delta":{"content":"x"},"finish_reason":null}]}',
      '{"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]} ',
      '{"choices":[{"index":0,"delta":{"content":"a\u0001b"},"finish_reason":null}]}',
      '{"choices":[{"index":0,"delta":{"content":"a\\qb"},"finish_reason":null}]}',
      '{"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}],"n":01}',
      '{"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}],}',
      '{"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}x',
      '[DONE]',
    ];
    for (const data of others) {
      assert.equal(plainTextChunk(data), undefined, data);
    }
  });

  it('accepts a mangled chunk only when JSON.parse reads the same content from it', () => {
    const random = mulberry32(11);
    const alphabet = '{}[]",:\\ 0-1.eE\u0001nulltrue' + 'choiceserrorusagedeltacontent';
    let accepted = 0;
    for (let trial = 0; trial < 20_000; trial += 1) {
      let data = contentChunk(['x', 'a"b', 'é\\', ''][trial % 4] ?? '');
      for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits -= 1) {
        const at = Math.floor(random() * data.length);
        const insert = random() < 0.5 ? '' : (alphabet[Math.floor(random() * alphabet.length)] ?? '');
        data = data.slice(0, at) + insert + data.slice(at + (random() < 0.7 ? 1 : 0));
      }
      const fast = plainTextChunk(data);
      if (fast === undefined) continue;
      accepted += 1;
      assert.doesNotThrow(() => JSON.parse(data), data);
      assert.equal(fast, parsedContent(data), data);
      assertNothingElse(data);
    }
    assert.ok(accepted > 100, `${accepted} mangled chunks were still ordinary ones`);
  });

  it('gives the decoder the same events as the full path', () => {
    assert.deepEqual(decode(contentChunk('Hi "there"')), [{ type: 'text', text: 'Hi "there"' }]);
    assert.deepEqual(decode(contentChunk('')), []);
    const slow = '{"choices": [{"index":0,"delta":{"content":"Hi \\"there\\""},"finish_reason":null}]}';
    assert.deepEqual(decode(slow), [{ type: 'text', text: 'Hi "there"' }]);
  });

  it('joins the pieces of one read into one event per run of the same kind, on both paths', () => {
    const decoder = new ChunkDecoder([]);
    const out: StreamEvent[] = [];
    const slow = (field: string, text: string): string => `{"choices": [{"index":0,"delta":{"${field}":${JSON.stringify(text)}},"finish_reason":null}]}`;
    for (const data of [contentChunk('a'), slow('content', 'b'), contentChunk('c'), slow('reasoning_content', 'r1'), slow('reasoning_content', 'r2'), contentChunk('d')]) {
      assert.equal(decoder.push(data, out), false);
    }
    assert.deepEqual(out, [
      { type: 'text', text: 'abc' },
      { type: 'reasoning', text: 'r1r2' },
      { type: 'text', text: 'd' },
    ]);
  });

  it('counts fast-path text against the answer cap', () => {
    const decoder = new ChunkDecoder([], 8);
    const out: StreamEvent[] = [];
    assert.equal(decoder.push(contentChunk('12345'), out), false);
    assert.equal(decoder.push(contentChunk('6789'), out), true);
    assert.equal(out.length, 2);
    assert.deepEqual(out[0], { type: 'text', text: '12345' }, 'the piece over the cap is not joined to the text before it');
    assert.equal(out[1]?.type, 'error');
  });
});
