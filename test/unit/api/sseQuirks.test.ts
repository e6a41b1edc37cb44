// Byte-level SSE quirks that real gateways produce, served from a raw TCP socket so nothing
// (node:http framing included) tidies the stream up before the client sees it.

import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { streamChat } from '../../../src/api/chatClient';
import type { StreamEvent } from '../../../src/api/types';
import { textOf } from '../../fixtures/streamEvents';

interface RawOptions {
  /** Frame pieces as HTTP chunks; otherwise the body runs until the socket closes. */
  chunked?: boolean;
  /** Destroy the socket after the last piece instead of ending the response properly. */
  breakOff?: boolean;
}

const PIECE_DELAY_MS = 15;

function content(text: string, extraDelta = ''): string {
  return `{"choices":[{"index":0,"delta":{"content":${JSON.stringify(text)}${extraDelta}},"finish_reason":null}]}`;
}

const FINISH = '{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}';

async function streamFrom(pieces: Array<string | Buffer>, options: RawOptions = {}): Promise<StreamEvent[]> {
  const server = createServer((socket) => void respond(socket, pieces, options));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const events: StreamEvent[] = [];
    const request = { model: 'm', messages: [{ role: 'user' as const, content: 'Hi' }] };
    for await (const event of streamChat({ baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: 'k', request })) {
      events.push(event);
    }
    return events;
  } finally {
    await closeServer(server);
  }
}

async function respond(socket: Socket, pieces: Array<string | Buffer>, options: RawOptions): Promise<void> {
  socket.setNoDelay(true);
  await readRequest(socket);
  const framing = options.chunked ? 'Transfer-Encoding: chunked' : 'Connection: close';
  socket.write(`HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n${framing}\r\n\r\n`);
  for (const piece of pieces) {
    const bytes = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
    socket.write(options.chunked ? Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n')]) : bytes);
    await new Promise((resolve) => setTimeout(resolve, PIECE_DELAY_MS));
  }
  if (options.breakOff) {
    socket.destroy();
  } else if (options.chunked) {
    socket.end('0\r\n\r\n');
  } else {
    socket.end();
  }
}

/** Resolves once the request head and its Content-Length body have arrived. */
function readRequest(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    const onData = (data: Buffer): void => {
      received = Buffer.concat([received, data]);
      const headEnd = received.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const length = /content-length:\s*(\d+)/i.exec(received.subarray(0, headEnd).toString('latin1'));
      if (received.length - headEnd - 4 >= Number(length?.[1] ?? 0)) {
        socket.off('data', onData);
        resolve();
      }
    };
    socket.on('data', onData);
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('streamChat SSE quirks (raw socket)', () => {
  it('handles data: without a space, CRLF line ends and comment keep-alives', async () => {
    const events = await streamFrom([
      ': keep-alive\r\n\r\n',
      `data:${content('Hello')}\r\n\r\n`,
      ':ping\n\n',
      `data: ${content(', world')}\r\n\r\n`,
      `data:${FINISH}\r\n\r\ndata:[DONE]\r\n\r\n`,
    ]);
    assert.deepEqual(events, [
      { type: 'text', text: 'Hello' },
      { type: 'text', text: ', world' },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('joins one event written over several data: lines', async () => {
    const events = await streamFrom([
      'data: {"choices":[{"index":0,\ndata: "delta":{"content":"multi-line"},\ndata: "finish_reason":null}]}\n\n',
      'data: [DONE]\n\n',
    ]);
    assert.deepEqual(events, [{ type: 'text', text: 'multi-line' }]);
  });

  it('reassembles lines and UTF-8 characters split across reads', async () => {
    const line = Buffer.from(`data: ${content('Grüße 🦊')}\n\n`, 'utf8');
    const umlaut = line.indexOf(Buffer.from('ü')) + 1;
    const fox = line.indexOf(Buffer.from('🦊')) + 2;
    const events = await streamFrom(
      [line.subarray(0, 3), line.subarray(3, umlaut), line.subarray(umlaut, fox), line.subarray(fox), 'data: [DONE]\n\n'],
      { chunked: true },
    );
    assert.deepEqual(events, [{ type: 'text', text: 'Grüße 🦊' }]);
  });

  it('reasoning_content and reasoning become reasoning events, never text; null and empty deltas yield nothing', async () => {
    const events = await streamFrom([
      `data: {"choices":[{"index":0,"delta":{"role":"assistant","reasoning_content":"thinking"},"finish_reason":null}]}\n\n`,
      `data: {"choices":[{"index":0,"delta":{"content":null,"reasoning":" more"},"finish_reason":null}]}\n\n`,
      `data: {"choices":[{"index":0,"delta":{"content":"","reasoning_content":""},"finish_reason":null}]}\n\n`,
      `data: ${content('answer', ',"reasoning_content":null')}\n\n`,
      `data: {"choices":[],"usage":{"prompt_tokens":4,"completion_tokens":1,"total_tokens":5}}\n\n`,
      'data: [DONE]\n\n',
    ]);
    assert.deepEqual(events, [
      { type: 'reasoning', text: 'thinking' },
      { type: 'reasoning', text: ' more' },
      { type: 'text', text: 'answer' },
      { type: 'usage', usage: { prompt_tokens: 4, completion_tokens: 1, total_tokens: 5 } },
    ]);
  });

  it('delivers a last event that the server left without its blank line', async () => {
    const events = await streamFrom([`data: ${content('A')}\n\n`, `data: ${content('Z')}`]);
    assert.equal(textOf(events), 'AZ');
  });

  it('stops at [DONE] even if the server keeps talking', async () => {
    const events = await streamFrom([`data: ${content('before')}\n\ndata: [DONE]\n\ndata: ${content('after')}\n\n`]);
    assert.deepEqual(events, [{ type: 'text', text: 'before' }]);
  });

  it('malformed JSON becomes one stream error after the text so far', async () => {
    const events = await streamFrom([`data: ${content('ok')}\n\n`, 'data: {"choices":[{"delta":\n\n', `data: ${content('never')}\n\n`]);
    assert.equal(events.length, 2);
    assert.deepEqual(events[0], { type: 'text', text: 'ok' });
    const last = events[1];
    assert.ok(last?.type === 'error');
    assert.equal(last.error.kind, 'stream');
    assert.match(last.error.message, /^Malformed stream data/);
  });

  const toolPiece = (index: number, args: string, head?: { id: string; name: string }): string =>
    `data: ${JSON.stringify({
      choices: [
        {
          index: 0,
          delta: {
            tool_calls: [{ index, ...(head ? { id: head.id, type: 'function' } : {}), function: { ...(head ? { name: head.name } : {}), arguments: args } }],
          },
          finish_reason: null,
        },
      ],
    })}\n\n`;

  it('tool calls still open when the connection closes without [DONE] are complete at the end', async () => {
    const events = await streamFrom([toolPiece(0, '', { id: 'call_1', name: 'f' }), toolPiece(0, '{"a":'), toolPiece(0, '1}')]);
    assert.deepEqual(events.at(-1), {
      type: 'toolCalls',
      calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
    });
    assert.equal(events.filter((e) => e.type === 'toolCalls').length, 1);
  });

  it('tool calls at [DONE] without a finish_reason are emitted once, before the stream ends', async () => {
    const events = await streamFrom([toolPiece(0, '{}', { id: 'call_1', name: 'f' }), 'data: [DONE]\n\n']);
    assert.deepEqual(
      events.map((e) => e.type),
      ['toolCallDelta', 'toolCalls'],
    );
  });

  it('tool calls cut off by a broken connection or an error event are never reported as complete', async () => {
    const broken = await streamFrom([toolPiece(0, '{"a":', { id: 'call_1', name: 'f' }), 'data: {"cho'], { chunked: true, breakOff: true });
    assert.deepEqual(
      broken.map((e) => e.type),
      ['toolCallDelta', 'error'],
    );
    const failed = await streamFrom([toolPiece(0, '{"a":', { id: 'call_1', name: 'f' }), 'data: {"error":{"message":"boom"}}\n\n']);
    assert.deepEqual(
      failed.map((e) => e.type),
      ['toolCallDelta', 'error'],
    );
  });

  it('a connection that breaks mid-stream yields the text, then a network error', async () => {
    const events = await streamFrom([`data: ${content('partial')}\n\n`, 'data: {"cho'], { chunked: true, breakOff: true });
    assert.deepEqual(events[0], { type: 'text', text: 'partial' });
    assert.equal(events.length, 2);
    assert.ok(events[1]?.type === 'error');
    assert.equal(events[1].error.kind, 'network');
  });
});
