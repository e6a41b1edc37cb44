// Redirects are followed only within the configured origin: the key, the profile's headers and
// the conversation never go to an address the user did not configure.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listModels, streamChat } from '../../../src/api/chatClient';
import { GatewayError } from '../../../src/api/errors';
import { MAX_REDIRECTS } from '../../../src/api/redirects';
import { StreamOptionsSupport } from '../../../src/api/streamOptions';
import type { ChatRequest, StreamEvent } from '../../../src/api/types';

const KEY = 'sk-redirect-test-0123456789abcd';

interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

interface TestServer {
  origin: string;
  seen: Seen[];
  close(): Promise<void>;
}

/** A server that records every request and lets `route` answer it. */
async function startServer(route: (seen: Seen, res: ServerResponse) => void): Promise<TestServer> {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const entry = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      seen.push(entry);
      route(entry, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const SSE_ANSWER =
  'data: {"choices":[{"index":0,"delta":{"content":"moved answer"},"finish_reason":null}]}\n\n' +
  'data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n';

function redirect(res: ServerResponse, status: number, location: string): void {
  res.writeHead(status, { Location: location, 'Content-Type': 'text/plain' });
  res.end('moved');
}

const request: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'Hi there' }] };

async function collect(baseUrl: string, extra: { headers?: Record<string, string>; secretHeaders?: Record<string, string> } = {}): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  const options = { baseUrl, apiKey: KEY, request, includeUsage: false, streamOptionsSupport: new StreamOptionsSupport(), ...extra };
  for await (const event of streamChat(options)) events.push(event);
  return events;
}

function onlyError(events: StreamEvent[]): Extract<StreamEvent, { type: 'error' }>['error'] {
  assert.equal(events.length, 1, JSON.stringify(events));
  const [event] = events;
  assert.ok(event?.type === 'error', JSON.stringify(event));
  return event.error;
}

describe('redirects', () => {
  const servers: TestServer[] = [];
  const start = async (route: (seen: Seen, res: ServerResponse) => void): Promise<TestServer> => {
    const server = await startServer(route);
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  for (const status of [301, 302, 303, 307, 308]) {
    it(`${status} to the same origin is followed with the same method, headers and body`, async () => {
      const gateway = await start((seen, res) => {
        if (seen.path === '/old/chat/completions') redirect(res, status, '/new/chat/completions');
        else {
          res.writeHead(200, { 'Content-Type': 'text/event-stream' });
          res.end(SSE_ANSWER);
        }
      });
      const events = await collect(`${gateway.origin}/old`, { headers: { 'X-Team': 'fox' }, secretHeaders: { 'X-Secret': 'hidden-value-123' } });
      assert.deepEqual(events, [
        { type: 'text', text: 'moved answer' },
        { type: 'finish', reason: 'stop' },
      ]);
      assert.deepEqual(
        gateway.seen.map((s) => `${s.method} ${s.path}`),
        ['POST /old/chat/completions', 'POST /new/chat/completions'],
      );
      const [first, second] = gateway.seen as [Seen, Seen];
      assert.equal(second.body, first.body);
      assert.deepEqual(JSON.parse(second.body), { ...request, stream: true });
      for (const name of ['authorization', 'x-team', 'x-secret', 'content-type', 'accept']) {
        assert.equal(second.headers[name], first.headers[name], name);
      }
      assert.equal(second.headers.authorization, `Bearer ${KEY}`);
    });
  }

  it('a redirect to another port gets nothing, and the error names the address and why', async () => {
    const other = await start((_seen, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.end(SSE_ANSWER);
    });
    const gateway = await start((_seen, res) => redirect(res, 307, `${other.origin}/v1/chat/completions?token=abc`));
    const error = onlyError(await collect(`${gateway.origin}/v1`, { secretHeaders: { 'X-Secret': 'hidden-value-123' } }));
    assert.equal(other.seen.length, 0, 'the other origin must receive nothing');
    assert.equal(gateway.seen.length, 1);
    assert.equal(error.kind, 'badRequest');
    assert.equal(error.status, 307);
    assert.equal(
      error.message,
      `The gateway redirected to ${other.origin}/v1/chat/completions. Fox Chat does not follow redirects to another address, ` +
        `because the API key would go along; set foxChat.baseUrl to ${other.origin}/v1 if you trust it.`,
    );
  });

  it('http to https on the same host and port is another origin too', async () => {
    let secureTarget = '';
    const gateway = await start((_seen, res) => redirect(res, 301, secureTarget));
    secureTarget = `${gateway.origin.replace('http:', 'https:')}/v1/chat/completions`;
    const error = onlyError(await collect(`${gateway.origin}/v1`));
    assert.equal(error.kind, 'badRequest');
    assert.ok(error.message.startsWith(`The gateway redirected to ${secureTarget}. `), error.message);
    assert.equal(gateway.seen.length, 1);
  });

  it('a redirect loop stops after five redirects', async () => {
    const gateway = await start((seen, res) => redirect(res, 302, seen.path === '/a/chat/completions' ? '/b/chat/completions' : '/a/chat/completions'));
    const error = onlyError(await collect(`${gateway.origin}/a`));
    assert.equal(error.kind, 'badRequest');
    assert.match(error.message, /redirected more than 5 times/);
    assert.equal(gateway.seen.length, MAX_REDIRECTS + 1);
  });

  it('a 3xx without Location is an ordinary failed response', async () => {
    const gateway = await start((_seen, res) => {
      res.writeHead(302, { 'Content-Type': 'application/json' });
      res.end('{"error":{"message":"nowhere to go"}}');
    });
    const error = onlyError(await collect(`${gateway.origin}/v1`));
    assert.equal(error.status, 302);
    assert.equal(error.message, 'nowhere to go');
  });

  it('listModels follows a same-origin redirect and refuses another origin', async () => {
    const other = await start((_seen, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"data":[{"id":"stolen"}]}');
    });
    const gateway = await start((seen, res) => {
      if (seen.path === '/old/models') redirect(res, 308, '/v1/models');
      else if (seen.path === '/away/models') redirect(res, 302, `${other.origin}/v1/models`);
      else {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"data":[{"id":"b"},{"id":"a"}]}');
      }
    });
    assert.deepEqual(await listModels({ baseUrl: `${gateway.origin}/old`, apiKey: KEY }), ['a', 'b']);
    assert.equal(gateway.seen[1]?.headers.authorization, `Bearer ${KEY}`);
    await assert.rejects(listModels({ baseUrl: `${gateway.origin}/away`, apiKey: KEY }), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.info.kind, 'badRequest');
      assert.match(error.message, new RegExp(`redirected to ${other.origin}/v1/models\\..*set foxChat\\.baseUrl to ${other.origin}/v1 `));
      return true;
    });
    assert.equal(other.seen.length, 0);
  });
});
