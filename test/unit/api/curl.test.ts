import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { streamChat } from '../../../src/api/chatClient';
import { shellQuote, toCurl } from '../../../src/api/curl';
import { StreamOptionsSupport } from '../../../src/api/streamOptions';
import type { ChatRequest } from '../../../src/api/types';
import { startMockGateway } from '../../fixtures/mockGateway';

const KEY = 'sk-live-0123456789abcdefABCD';

/** Runs the command in /bin/sh with `curl` replaced by a function that prints its arguments. */
function curlArgs(command: string): string[] {
  const script = `curl() { for a in "$@"; do printf '%s\\0' "$a"; done; }\n${command}\n`;
  return execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8' }).split('\0').slice(0, -1);
}

function assertNoKey(text: string, key: string): void {
  // Not the key, and no 8 characters of it in a row either (the masked form shows 3 + 4).
  for (let i = 0; i + 8 <= key.length; i++) {
    assert.ok(!text.includes(key.slice(i, i + 8)), `found ${JSON.stringify(key.slice(i, i + 8))} in ${text}`);
  }
}

describe('shellQuote', () => {
  const table: Array<[string, string]> = [
    ['plain', `'plain'`],
    ['', `''`],
    [`it's`, `'it'\\''s'`],
    [`''`, `''\\'''\\'''`],
    ['$HOME `id` \\n !x "q"', `'$HOME \`id\` \\n !x "q"'`],
  ];
  for (const [value, expected] of table) {
    it(`${JSON.stringify(value)} → ${expected}`, () => {
      assert.equal(shellQuote(value), expected);
      assert.deepEqual(curlArgs(`curl ${expected}`), [value]);
    });
  }
});

describe('toCurl', () => {
  const messages: ChatRequest['messages'] = [{ role: 'user', content: 'Hi' }];

  const table: Array<{ name: string; options: Parameters<typeof toCurl>[0]; expected: string }> = [
    {
      name: 'a plain request: POST, stream headers, masked key, the body as sent',
      options: { baseUrl: 'https://api.ofox.ai/v1/', apiKey: KEY, request: { model: 'openai/gpt-4o', messages, temperature: 0.2 } },
      expected: [
        `curl -N -X POST 'https://api.ofox.ai/v1/chat/completions' \\`,
        `  -H 'Accept: text/event-stream' \\`,
        `  -H 'Content-Type: application/json' \\`,
        `  -H 'Authorization: Bearer sk-…ABCD' \\`,
        `  --data-raw '{"model":"openai/gpt-4o","messages":[{"role":"user","content":"Hi"}],"temperature":0.2,"stream":true,"stream_options":{"include_usage":true}}'`,
      ].join('\n'),
    },
    {
      name: 'no key: no Authorization header; includeUsage false: no stream_options',
      options: { baseUrl: 'http://localhost:11434/v1', apiKey: undefined, request: { model: 'llama3', messages }, includeUsage: false },
      expected: [
        `curl -N -X POST 'http://localhost:11434/v1/chat/completions' \\`,
        `  -H 'Accept: text/event-stream' \\`,
        `  -H 'Content-Type: application/json' \\`,
        `  --data-raw '{"model":"llama3","messages":[{"role":"user","content":"Hi"}],"stream":true}'`,
      ].join('\n'),
    },
    {
      name: 'profile headers follow ours, replace ours by name, and credentials among them are masked',
      options: {
        baseUrl: 'https://gw.example/v1',
        apiKey: KEY,
        request: { model: 'm', messages },
        headers: { 'HTTP-Referer': 'https://foxchat.dev', 'x-api-key': 'other-secret-98765', authorization: `Token ${KEY}` },
      },
      expected: [
        `curl -N -X POST 'https://gw.example/v1/chat/completions' \\`,
        `  -H 'Accept: text/event-stream' \\`,
        `  -H 'Content-Type: application/json' \\`,
        `  -H 'authorization: Token sk-…ABCD' \\`,
        `  -H 'HTTP-Referer: https://foxchat.dev' \\`,
        `  -H 'x-api-key: oth…8765' \\`,
        `  --data-raw '{"model":"m","messages":[{"role":"user","content":"Hi"}],"stream":true,"stream_options":{"include_usage":true}}'`,
      ].join('\n'),
    },
    {
      name: 'quotes in the conversation are escaped for the shell',
      options: { baseUrl: 'https://gw.example/v1', apiKey: KEY, request: { model: 'm', messages: [{ role: 'user', content: `What's 'this'?` }] }, includeUsage: false },
      expected: [
        `curl -N -X POST 'https://gw.example/v1/chat/completions' \\`,
        `  -H 'Accept: text/event-stream' \\`,
        `  -H 'Content-Type: application/json' \\`,
        `  -H 'Authorization: Bearer sk-…ABCD' \\`,
        `  --data-raw '{"model":"m","messages":[{"role":"user","content":"What'\\''s '\\''this'\\''?"}],"stream":true}'`,
      ].join('\n'),
    },
  ];
  for (const { name, options, expected } of table) {
    it(name, () => assert.equal(toCurl(options), expected));
  }

  it('leaves out stream_options for a gateway known to reject them, as streamChat does', () => {
    const support = new StreamOptionsSupport();
    support.markRejected('https://gw.example/v1');
    const command = toCurl({ baseUrl: 'https://gw.example/v1', apiKey: KEY, request: { model: 'm', messages }, streamOptionsSupport: support });
    assert.ok(!command.includes('stream_options'));
  });

  it('the shell sees exactly the body streamChat sends, byte for byte, whatever the text holds', async () => {
    const gateway = await startMockGateway({ chunkDelayMs: 1 });
    try {
      const request: ChatRequest = {
        model: 'openai/gpt-4o',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: `It's a "test" with $HOME, \`backticks\`, \\ backslash, !bang, émoji 🦊,\nnewline and '' quotes` },
        ],
        max_tokens: 100,
        provider: { order: ['a', 'b'] },
      };
      const support = new StreamOptionsSupport();
      for await (const event of streamChat({ baseUrl: gateway.baseUrl, apiKey: gateway.apiKey, request, streamOptionsSupport: support })) void event;
      const sent = gateway.requests[0]?.rawBody;
      const args = curlArgs(toCurl({ baseUrl: gateway.baseUrl, apiKey: KEY, request, streamOptionsSupport: support }));
      assert.deepEqual(args.slice(0, 4), ['-N', '-X', 'POST', `${gateway.baseUrl}/chat/completions`]);
      assert.equal(args.at(-2), '--data-raw');
      assert.equal(args.at(-1), sent);
      assert.ok(args.includes('Authorization: Bearer sk-…ABCD'));
    } finally {
      await gateway.close();
    }
  });

  it('never contains the key, wherever the key turns up', () => {
    const command = toCurl({
      baseUrl: `https://gw.example/v1?key=${KEY}`,
      apiKey: KEY,
      request: { model: 'm', messages: [{ role: 'user', content: `my key is ${KEY}` }] },
      headers: { 'X-Custom': KEY, 'api-key': KEY },
    });
    assertNoKey(command, KEY);
    assert.ok(command.includes('sk-…ABCD'));
  });

  it('secret headers: sent after the profile headers, values masked whatever the name, and nowhere else in the command', () => {
    const secret = 'plain-named-secret-4711';
    const command = toCurl({
      baseUrl: 'https://gw.example/v1',
      apiKey: KEY,
      request: { model: 'm', messages: [{ role: 'user', content: `echo ${secret}` }] },
      headers: { 'X-Tenant': 'public', 'X-Plain': 'replaced' },
      secretHeaders: { 'x-plain': secret, 'X-Api-Token': 'Bearer short' },
      includeUsage: false,
    });
    assert.equal(
      command,
      [
        `curl -N -X POST 'https://gw.example/v1/chat/completions' \\`,
        `  -H 'Accept: text/event-stream' \\`,
        `  -H 'Content-Type: application/json' \\`,
        `  -H 'Authorization: Bearer sk-…ABCD' \\`,
        `  -H 'X-Tenant: public' \\`,
        `  -H 'x-plain: pla…4711' \\`,
        `  -H 'X-Api-Token: Bearer …' \\`,
        `  --data-raw '{"model":"m","messages":[{"role":"user","content":"echo pla…4711"}],"stream":true}'`,
      ].join('\n'),
    );
    assertNoKey(command, secret);
  });
});
