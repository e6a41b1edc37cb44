// Streaming throughput: the same large SSE answer from one local server, read by bare
// eventsource-parser (the floor for any correct client), the official `openai` SDK, and ours.
// Run: npm run bench:stream   (options: --chunks N --rounds N, at least 9 rounds)
// Exits non-zero when a target is missed, so a regression fails the run instead of hiding in a table.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createParser } from 'eventsource-parser';
import { OpenAI } from 'openai';
import { streamChat } from '../src/api/chatClient';
import { streamWithRecovery } from '../src/api/resilientStream';
import type { ChatRequest } from '../src/api/types';
import { summarize } from './summary';

const CHUNKS = numberArg('--chunks', 50_000);
// Odd, so the median is one measured round; 9+ so one disturbed round moves neither median.
const ROUNDS = Math.max(9, numberArg('--rounds', 9));
const WARMUP_ROUNDS = 2;
const TARGET_SDK_OVER_OURS = 4;
const TARGET_RECOVERY_OVER_BARE = 1.15;
const API_KEY = 'sk-bench-0000000000000000';
const MODEL = 'gpt-4o-2024-08-06';

interface Payload {
  bytes: Buffer;
  /** The body's length in UTF-16 code units once decoded (what the transport-only reader counts). */
  bodyChars: number;
  text: string;
}

/** OpenAI's own chunk shape, a few characters of content each, built once. */
function buildPayload(chunks: number): Payload {
  const words = ['The', ' quick', ' brown', ' fox', ' jumps', ' over', ' the', ' lazy', ' dog', '.', ' Ünï', ' 🦊', '\n', ' "q"'];
  const head =
    '{"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion.chunk","created":1741569952,' +
    `"model":"${MODEL}","service_tier":"default","system_fingerprint":"fp_eb9dce56a8","choices":[{"index":0,"delta":`;
  const tail = ',"logprobs":null,"finish_reason":null}]}';
  const parts: string[] = [`data: ${head}{"role":"assistant","content":"","refusal":null}${tail}\n\n`];
  let text = '';
  for (let i = 0; i < chunks; i++) {
    const word = words[i % words.length] as string;
    text += word;
    parts.push(`data: ${head}{"content":${JSON.stringify(word)}}${tail}\n\n`);
  }
  parts.push(`data: ${head}{}${tail.replace('"finish_reason":null', '"finish_reason":"stop"')}\n\n`);
  parts.push('data: [DONE]\n\n');
  const body = parts.join('');
  return { bytes: Buffer.from(body, 'utf8'), bodyChars: body.length, text };
}

type Client = (baseUrl: string) => Promise<string>;

const request: ChatRequest = { model: MODEL, messages: [{ role: 'user', content: 'Tell me a long story.' }] };

/** The minimum any correct client does: decode, parse SSE, JSON.parse each event, read delta.content. */
const bare: Client = async (baseUrl) => {
  const response = await fetch(`${baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...request, stream: true }),
  });
  let text = '';
  // Widened: the parser callback sets it, which narrowing from the initialiser cannot see.
  let done = false as boolean;
  const parser = createParser({
    onEvent(message) {
      if (message.data === '[DONE]') {
        done = true;
        return;
      }
      const chunk = JSON.parse(message.data) as { choices: Array<{ delta: { content?: string } }> };
      const content = chunk.choices[0]?.delta.content;
      if (content) text += content;
    },
  });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  while (!done) {
    const { done: end, value } = await reader.read();
    if (end) break;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  return text;
};

const sdk: Client = async (baseUrl) => {
  const client = new OpenAI({ baseURL: baseUrl, apiKey: API_KEY, maxRetries: 0 });
  const stream = await client.chat.completions.create({
    model: MODEL,
    messages: [{ role: 'user', content: 'Tell me a long story.' }],
    stream: true,
  });
  let text = '';
  for await (const chunk of stream) {
    const content = chunk.choices[0]?.delta.content;
    if (content) text += content;
  }
  return text;
};

const ours: Client = async (baseUrl) => {
  let text = '';
  for await (const event of streamChat({ baseUrl, apiKey: API_KEY, request })) {
    if (event.type === 'text') text += event.text;
    else if (event.type === 'error') throw new Error(event.error.message);
  }
  return text;
};

const oursWithRecovery: Client = async (baseUrl) => {
  let text = '';
  for await (const event of streamWithRecovery({ baseUrl, apiKey: API_KEY, request, policy: {} })) {
    if (event.type === 'text') text += event.text;
    else if (event.type === 'error') throw new Error(event.error.message);
  }
  return text;
};

/**
 * Not a client: fetch and decode the body, parse nothing. No client that reads the stream over fetch
 * can be faster, so SDK / this is the most any client can be ahead of the SDK here.
 */
const transportOnly: Client = async (baseUrl) => {
  const response = await fetch(`${baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...request, stream: true }),
  });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let chars = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chars += decoder.decode(value, { stream: true }).length;
  }
  return String(chars);
};
const TRANSPORT = 'fetch + decode only (floor)';

const CLIENTS: Array<[string, Client]> = [
  ['bare eventsource-parser', bare],
  ['openai SDK', sdk],
  ['streamChat (ours)', ours],
  ['streamWithRecovery (ours)', oursWithRecovery],
  [TRANSPORT, transportOnly],
];

async function main(): Promise<void> {
  const payload = buildPayload(CHUNKS);
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Content-Length': payload.bytes.length });
      // One write of the prebuilt buffer: the kernel, not the server, sets the pace.
      res.end(payload.bytes);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;

  const times = new Map<string, number[]>(CLIENTS.map(([name]) => [name, []]));
  try {
    for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
      // Rotate the order so no client always runs first (or right after the garbage of another).
      for (let i = 0; i < CLIENTS.length; i++) {
        const [name, client] = CLIENTS[(round + i) % CLIENTS.length] as [string, Client];
        const started = performance.now();
        const text = await client(baseUrl);
        const elapsed = performance.now() - started;
        if (name === TRANSPORT ? text !== String(payload.bodyChars) : text.length !== payload.text.length || text !== payload.text) {
          throw new Error(`${name} returned ${text.length} chars, expected ${payload.text.length}`);
        }
        if (round >= WARMUP_ROUNDS) times.get(name)?.push(elapsed);
      }
    }
  } finally {
    server.closeAllConnections();
    server.close();
  }

  const stats = new Map(CLIENTS.map(([name]) => [name, summarize(times.get(name) ?? [])]));
  const medianOf = (name: string): number => stats.get(name)?.median ?? Number.NaN;
  const [bareMs, sdkMs, oursMs, recoveryMs, transportMs] = CLIENTS.map(([name]) => medianOf(name)) as [number, number, number, number, number];

  const mib = (payload.bytes.length / 1024 / 1024).toFixed(1);
  console.log(
    `Streaming ${CHUNKS.toLocaleString('en-US')} chunks (${mib} MiB, ${payload.text.length.toLocaleString('en-US')} chars), ` +
      `${ROUNDS} interleaved rounds after ${WARMUP_ROUNDS} warm-up, Node ${process.version}`,
  );
  console.log('');
  console.log(`  ${'client'.padEnd(28)} ${'min'.padStart(8)} ${'median'.padStart(8)} ${'max'.padStart(8)}   spread  median chunks/s`);
  for (const [name] of CLIENTS) {
    const s = stats.get(name);
    if (s === undefined) continue;
    const spread = `${((100 * (s.max - s.min)) / s.median).toFixed(0)}%`;
    console.log(
      `  ${name.padEnd(28)} ${s.min.toFixed(1).padStart(8)} ${s.median.toFixed(1).padStart(8)} ${s.max.toFixed(1).padStart(8)} ms ${spread.padStart(6)} ` +
        `${((CHUNKS / s.median) * 1000).toFixed(0).padStart(9)}`,
    );
  }
  console.log('  (spread = (max - min) / median; ratios below are of medians)');
  console.log('');
  let missed = 0;
  const row = (label: string, value: number, target?: { text: string; pass: boolean }): void => {
    if (target !== undefined && !target.pass) missed += 1;
    const verdict = target === undefined ? '(no target)' : `target ${target.text.padEnd(7)} ${target.pass ? 'PASS' : 'MISS'}`;
    console.log(`  ${label.padEnd(36)} ${value.toFixed(2).padStart(6)}x  ${verdict}`);
  };
  const atLeast = (value: number, target: number) => ({ text: `>= ${target}x`, pass: value >= target });
  const atMost = (value: number, target: number) => ({ text: `<= ${target}x`, pass: value <= target });
  row('streamWithRecovery / bare', recoveryMs / bareMs, atMost(recoveryMs / bareMs, TARGET_RECOVERY_OVER_BARE));
  row('openai SDK / streamWithRecovery', sdkMs / recoveryMs, atLeast(sdkMs / recoveryMs, TARGET_SDK_OVER_OURS));
  row('streamChat / bare', oursMs / bareMs);
  row('openai SDK / streamChat', sdkMs / oursMs, atLeast(sdkMs / oursMs, TARGET_SDK_OVER_OURS));
  row('openai SDK / fetch + decode only', sdkMs / transportMs);
  row('bare / fetch + decode only', bareMs / transportMs);
  if (sdkMs / transportMs < TARGET_SDK_OVER_OURS) {
    console.log(`  (SDK / ours >= ${TARGET_SDK_OVER_OURS}x would need ours faster than reading the bytes without parsing them in this run)`);
  }
  console.log('');
  if (missed > 0) {
    console.log(`${missed} target(s) missed`);
    process.exitCode = 1;
  } else {
    console.log('all targets met');
  }
}


function numberArg(flag: string, fallback: number): number {
  const index = process.argv.indexOf(flag);
  const value = index >= 0 ? Number(process.argv[index + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
