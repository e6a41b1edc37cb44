// The API key must not appear in any error a user or a log can see, whichever way it fails.

import assert from 'node:assert/strict';
import { listModels, streamChat } from '../../../src/api/chatClient';
import type { StreamChatOptions } from '../../../src/api/chatClient';
import { GatewayError } from '../../../src/api/errors';
import { redactKey, redactSecret, redactSecrets } from '../../../src/api/redact';
import { streamWithRecovery } from '../../../src/api/resilientStream';
import { StreamOptionsSupport } from '../../../src/api/streamOptions';
import type { ChatStreamEvent } from '../../../src/api/types';
import { startMockGateway } from '../../fixtures/mockGateway';
import type { MockGateway } from '../../fixtures/mockGateway';
import { mulberry32 } from '../../fixtures/random';
import { collect } from '../../fixtures/streamEvents';

const KEY = 'sk-proj-Zx9Qw8Er7Ty6Ui5Op4As3Df2';

/** Not the key, and no 8 characters of it in a row (the masked form shows only 3 + 4). */
function assertNoKey(text: string, key: string = KEY): void {
  for (let i = 0; i + 8 <= key.length; i++) {
    assert.ok(!text.includes(key.slice(i, i + 8)), `key fragment ${JSON.stringify(key.slice(i, i + 8))} leaked: ${text}`);
  }
}

function errorText(events: ChatStreamEvent[]): string {
  const errors = events.filter((e) => e.type === 'error' || e.type === 'retrying');
  assert.ok(errors.length > 0, `expected an error, got ${JSON.stringify(events)}`);
  return JSON.stringify(errors);
}

const request = (text: string): StreamChatOptions['request'] => ({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: text }] });
const respond = (body: string, init: ResponseInit): typeof fetch => () => Promise.resolve(new Response(body, init));

describe('the key never appears in an error', () => {
  let gateway: MockGateway;
  before(async () => {
    gateway = await startMockGateway({ chunkDelayMs: 1 });
  });
  after(() => gateway.close());

  const stream = (options: Partial<StreamChatOptions>): AsyncGenerator<ChatStreamEvent> =>
    streamChat({ baseUrl: gateway.baseUrl, apiKey: KEY, request: request('Hi'), streamOptionsSupport: new StreamOptionsSupport(), ...options });

  it('401 whose body echoes the key ([echo-key])', async () => {
    const events = await collect(stream({ request: request('[echo-key]') }));
    const text = errorText(events);
    assertNoKey(text);
    assert.match(text, /Incorrect API key provided: sk-…3Df2/);
  });

  it('401 echoing a key pasted with a trailing line break (fetch sends it trimmed)', async () => {
    const pasted = `${KEY}\n`;
    const events = await collect(stream({ apiKey: pasted, request: request('[echo-key]') }));
    assertNoKey(errorText(events));
  });

  it('an HTML error page with the key right where the excerpt is cut', async () => {
    const page = `<html><body><p>${'x'.repeat(180)} bad key ${KEY} rejected</p></body></html>`;
    const events = await collect(stream({ fetchImpl: respond(page, { status: 401 }) }));
    assertNoKey(errorText(events));
  });

  it('an error event mid-stream that quotes the key ([echo-key] with a valid key)', async () => {
    const events = await collect(
      streamChat({ baseUrl: gateway.baseUrl, apiKey: gateway.apiKey, request: request('[echo-key]'), streamOptionsSupport: new StreamOptionsSupport() }),
    );
    const last = events.at(-1);
    assert.ok(last?.type === 'error' && last.error.kind === 'stream');
    assert.equal(last.error.message, `Quota exceeded for key ${'fox-mock-key'.slice(0, 3)}…${'fox-mock-key'.slice(-4)}`);
    assertNoKey(errorText(events), gateway.apiKey);
  });

  it('a malformed chunk or an odd error event that contains the key', async () => {
    const sse = (data: string): typeof fetch => respond(`data: ${data}\n\n`, { headers: { 'content-type': 'text/event-stream' } });
    for (const data of [`{"broken": "${KEY}`, `{"error": {"detail": "${KEY}"}}`, `{"error": "no quota for ${KEY}"}`]) {
      assertNoKey(errorText(await collect(stream({ fetchImpl: sse(data) }))));
    }
  });

  it('a network error whose message carries the key (an invalid header value)', async () => {
    const key = `${KEY}\u0000`;
    const events = await collect(stream({ apiKey: key, baseUrl: 'http://127.0.0.1:9/v1' }));
    const text = errorText(events);
    assert.match(text, /"kind":"network"/);
    assertNoKey(text);
  });

  it('a network error raised by fetch itself that quotes the key', async () => {
    const fetchImpl: typeof fetch = () =>
      Promise.reject(new TypeError('fetch failed', { cause: new Error(`proxy refused Authorization: Bearer ${KEY}`) }));
    assertNoKey(errorText(await collect(stream({ fetchImpl }))));
  });

  it('listModels: echoed in a 401 and in a network error', async () => {
    for (const fetchImpl of [
      respond(JSON.stringify({ error: { message: `Incorrect API key provided: ${KEY}` } }), { status: 401 }),
      (() => Promise.reject(new TypeError('fetch failed', { cause: new Error(`bad header ${KEY}`) }))) as typeof fetch,
    ]) {
      await assert.rejects(listModels({ baseUrl: gateway.baseUrl, apiKey: KEY, fetchImpl }), (error: unknown) => {
        assert.ok(error instanceof GatewayError);
        assertNoKey(`${error.message} ${JSON.stringify(error.info)}`);
        return true;
      });
    }
  });

  it('streamWithRecovery: the retrying events and the final error', async () => {
    const fetchImpl = respond(JSON.stringify({ error: { message: `Overloaded, key ${KEY}` } }), { status: 503 });
    const events = await collect(
      streamWithRecovery({
        baseUrl: gateway.baseUrl,
        apiKey: KEY,
        request: request('Hi'),
        fetchImpl,
        policy: { maxRetries: 2 },
        sleep: () => Promise.resolve(),
      }),
    );
    assert.equal(events.filter((e) => e.type === 'retrying').length, 2);
    assertNoKey(errorText(events));
  });
});

describe('redactSecrets: the masking corpus', () => {
  const LONG = 'sk-live-7fQ2pL9xZr4Kd8WmVb3N';
  const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
  const b64url = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

  /** The base64 characters that encode only the secret's own bytes, at each of the three alignments. */
  function alignedCores(secret: string): string[] {
    const bytes = Buffer.from(secret, 'utf8');
    const cores: string[] = [];
    for (let skip = 0; skip < 3; skip++) {
      const whole = Math.floor((bytes.length - skip) / 3) * 3;
      const core = bytes.subarray(skip, skip + whole).toString('base64');
      cores.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
    }
    return cores;
  }

  function assertHidden(masked: string, secret: string): void {
    const trimmed = secret.trim();
    for (const form of [trimmed, encodeURIComponent(trimmed), encodeURIComponent(trimmed).replace(/%20/g, '+'), ...alignedCores(trimmed)]) {
      assert.ok(!masked.includes(form), `${JSON.stringify(form)} (a form of ${JSON.stringify(secret)}) is in ${JSON.stringify(masked)}`);
    }
  }

  it('keeps the one-secret form and the mask shapes', () => {
    assert.equal(redactSecret(`bad key ${LONG}`, LONG), 'bad key sk-…Vb3N');
    assert.equal(redactSecrets(`bad key ${LONG}`, [LONG]), 'bad key sk-…Vb3N');
    assert.equal(redactSecrets('bad key ollama', ['ollama']), 'bad key …');
    assert.equal(redactSecrets('nothing to hide', [undefined, '', '   ']), 'nothing to hide');
    assert.equal(redactKey(LONG), 'sk-…Vb3N');
  });

  it('masks the secret pasted with blanks, as is and trimmed', () => {
    const pasted = `  ${LONG}\n`;
    assert.equal(redactSecrets(`got ${LONG}!`, [pasted]), 'got sk-…Vb3N!');
    assert.equal(redactSecrets(`got [${pasted}]`, [pasted]), 'got [sk-…Vb3N]');
  });

  it('masks base64 of the secret at each of the three byte alignments inside a longer base64 string', () => {
    for (let before = 0; before < 6; before++) {
      for (let after = 0; after < 4; after++) {
        const blob = Buffer.concat([Buffer.alloc(before, 0xa5), Buffer.from(LONG), Buffer.alloc(after, 0x5a)]);
        for (const encoded of [blob.toString('base64'), blob.toString('base64url')]) {
          const masked = redactSecrets(`token=${encoded};`, [LONG]);
          assertHidden(masked, LONG);
          assert.ok(masked.includes('sk-…Vb3N'), masked);
        }
      }
    }
  });

  it('masks the secret base64-encoded whole, padded or not, and in Basic credentials', () => {
    for (const text of [b64(LONG), b64(LONG).replace(/=+$/, ''), b64url(LONG), `Basic ${b64(`:${LONG}`)}`, `Basic ${b64(`alice:${LONG}`)}`]) {
      assertHidden(redactSecrets(`Authorization: ${text}`, [LONG]), LONG);
    }
  });

  it('masks URL-encoded forms: encodeURIComponent, lowercase escapes, + for spaces', () => {
    const spaced = 'my secret/with+special&chars=1';
    for (const text of [
      encodeURIComponent(spaced),
      encodeURIComponent(spaced).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
      encodeURIComponent(spaced).replace(/%20/g, '+'),
      new URLSearchParams({ key: spaced }).toString().slice(4),
    ]) {
      const masked = redactSecrets(`https://gw.example/v1?key=${text}&x=1`, [spaced]);
      assertHidden(masked, spaced);
      assert.ok(masked.includes(`?key=${redactKey(spaced)}&x=1`), masked);
    }
  });

  it('masks partial echoes: the first six or more characters, a mask, the last four', () => {
    const table: Array<[string, string]> = [
      ['Incorrect API key provided: sk-liv***************Vb3N.', 'Incorrect API key provided: sk-…Vb3N.'],
      ['Incorrect API key provided: sk-live-7f**********************Vb3N', 'Incorrect API key provided: sk-…Vb3N'],
      ['key sk-live...Vb3N rejected', 'key sk-…Vb3N rejected'],
      ['key sk-live-7…Vb3N rejected', 'key sk-…Vb3N rejected'],
      ['key "sk-livexxxxxxVb3N"', 'key "sk-…Vb3N"'],
      ['key sk-live••••Vb3N', 'key sk-…Vb3N'],
    ];
    for (const [text, expected] of table) assert.equal(redactSecrets(text, [LONG]), expected);
    // Another key that merely shares a prefix, or an unrelated text, stays as it is.
    for (const text of ['key sk-live***Zz9Q rejected', 'sk-live-other-key-0000', 'Vb3N alone']) {
      assert.equal(redactSecrets(text, [LONG]), text);
    }
  });

  it('a short secret is masked only as a whole token, never inside a word, identifier, path or host', () => {
    const table: Array<[string, string]> = [
      ['Invalid key ollama.', 'Invalid key ….'],
      ["key 'ollama' rejected", "key '…' rejected"],
      ['Authorization: Bearer ollama', 'Authorization: Bearer …'],
      ['?key=ollama&x=1', '?key=…&x=1'],
      ['ollama: unauthorized', '…: unauthorized'],
      ['model ollama/llama3 not found', 'model ollama/llama3 not found'],
      ['ollamas and my-ollama and ollama_2 and v1.ollama', 'ollamas and my-ollama and ollama_2 and v1.ollama'],
      ['http://ollama.local:11434 and ollama:latest', 'http://ollama.local:11434 and ollama:latest'],
      [`Basic ${b64(':ollama')}`, 'Basic …'],
    ];
    for (const [text, expected] of table) assert.equal(redactSecrets(text, ['ollama']), expected, text);
  });

  it('keys full of regular-expression syntax are matched literally', () => {
    const key = 'a.b*c+d?e(f)g[h]i{j}k|l^m$n\\o/p';
    assert.equal(redactSecrets(`x ${key} y`, [key]), 'x a.b…\\o/p y');
    assert.equal(redactSecrets('aXbYcZdQeRfSgThUiVkWlAmBnCoDp', [key]), 'aXbYcZdQeRfSgThUiVkWlAmBnCoDp');
    const dollars = 'sk-$&$1x-abcdef$$9';
    assert.equal(redactSecrets(`echo sk-$&$1***f$$9 and ${dollars}`, [dollars]), 'echo sk-…f$$9 and sk-…f$$9');
    const short = '$1.*';
    assert.equal(redactSecrets('key $1.* bad', [short]), 'key … bad');
    assert.equal(redactSecrets('key $1x bad', [short]), 'key $1x bad');
  });

  it('masks several secrets at once, a secret that contains another one whole', () => {
    const header = `Token ${LONG}-extra`;
    const text = `a ${LONG} b ${header} c ollama d ${b64('second-secret-value')}`;
    const masked = redactSecrets(text, [LONG, header, 'ollama', 'second-secret-value']);
    assert.equal(masked, `a sk-…Vb3N b ${redactKey(header)} c … d ${redactKey('second-secret-value')}`);
  });

  it('property: masked text never holds a random secret or its base64 and URL forms (seeded)', () => {
    const random = mulberry32(20261201);
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~+/=:*?$^()[]{}|\\ "\'&<>%éß🦊';
    const chars = [...alphabet];
    const pick = (n: number): string => Array.from({ length: n }, () => chars[Math.floor(random() * chars.length)] as string).join('');
    for (let round = 0; round < 300; round++) {
      const secret = `${pick(2)}${pick(8 + Math.floor(random() * 50))}`.trim().padEnd(8, 'k');
      const bytes = Buffer.from(secret, 'utf8');
      const prefix = Buffer.from(pick(Math.floor(random() * 7)), 'utf8');
      const blob = Buffer.concat([prefix, bytes, Buffer.from(pick(Math.floor(random() * 4)), 'utf8')]);
      const text = [
        `raw ${secret} end`,
        `json ${JSON.stringify({ error: `bad ${secret}` })}`,
        `b64 ${blob.toString('base64')} url ${blob.toString('base64url')}`,
        `uri ?k=${encodeURIComponent(secret)}&form=${new URLSearchParams({ k: secret }).toString().slice(2)}`,
        `echo ${secret.slice(0, 6 + Math.floor(random() * 4))}${'*'.repeat(1 + Math.floor(random() * 30))}${secret.slice(-4)}.`,
      ].join('\n');
      const masked = redactSecrets(text, ['ollama', secret, undefined]);
      assertHidden(masked, secret);
      assert.ok(!masked.includes(`${secret.slice(0, 6)}*`), `the echo survived in ${masked}`);
    }
  });
});

describe('secret headers: sent like headers, masked like the key', () => {
  const SECRET = 'hdr-secret-Qm7Vx2Lp9Rt4';
  const TOKEN = 'tok-Zy8Wq3Hn6Jd1Ks5';

  it('are sent after the profile headers and win on a name clash', async () => {
    const gateway = await startMockGateway({ chunkDelayMs: 1 });
    try {
      await collect(
        streamChat({
          baseUrl: gateway.baseUrl,
          apiKey: gateway.apiKey,
          request: request('Hi'),
          headers: { 'X-Org': 'public-org', 'X-Gateway-Key': 'overridden' },
          secretHeaders: { 'x-gateway-key': SECRET },
        }),
      );
      const [sent] = gateway.requests;
      assert.equal(sent?.headers['x-gateway-key'], SECRET);
      assert.equal(sent.headers['x-org'], 'public-org');
      assert.equal(sent.headers.authorization, `Bearer ${gateway.apiKey}`);
    } finally {
      await gateway.close();
    }
  });

  it('their values are masked in error bodies, error events and network errors, whatever the header is called', async () => {
    const secretHeaders = { 'X-Custom-Thing': SECRET, 'X-Auth': `Token ${TOKEN}` };
    const echo = `rejected ${SECRET} and ${TOKEN} and ${Buffer.from(`u:${SECRET}`).toString('base64')}`;
    const fetchImpls: Array<typeof fetch> = [
      respond(JSON.stringify({ error: { message: echo } }), { status: 403 }),
      respond(`data: {"error":{"message":"${echo}"}}\n\n`, { headers: { 'content-type': 'text/event-stream' } }),
      respond(`data: {"broken": "${echo}\n\n`, { headers: { 'content-type': 'text/event-stream' } }),
      () => Promise.reject(new TypeError('fetch failed', { cause: new Error(echo) })),
    ];
    for (const fetchImpl of fetchImpls) {
      const text = errorText(
        await collect(streamChat({ baseUrl: 'http://gateway.invalid/v1', apiKey: KEY, request: request('Hi'), secretHeaders, fetchImpl })),
      );
      assertNoKey(text, SECRET);
      assertNoKey(text, TOKEN);
    }
    await assert.rejects(
      listModels({ baseUrl: 'http://gateway.invalid/v1', apiKey: KEY, secretHeaders, fetchImpl: fetchImpls[0] }),
      (error: unknown) => {
        assert.ok(error instanceof GatewayError);
        assertNoKey(JSON.stringify(error.info), SECRET);
        assertNoKey(error.message, TOKEN);
        return true;
      },
    );
  });
});
