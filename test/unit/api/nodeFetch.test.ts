// Requests through a proxy on loopback: a chat stream and GET /models go through it (forwarded
// for plain http, tunnelled with CONNECT for https), http.noProxy bypasses it, and the gateway's
// certificate is checked against Node's roots plus the extra (system) ones unless strictSSL is off.

import assert from 'node:assert/strict';
import { listModels, streamChat, type StreamChatOptions } from '../../../src/api/chatClient';
import { GatewayError } from '../../../src/api/errors';
import { createNodeFetch } from '../../../src/api/nodeFetch';
import { chooseProxy, type ProxySettings } from '../../../src/api/proxyRoute';
import type { StreamEvent } from '../../../src/api/types';
import { startLoopbackProxy, startTlsTerminator, type LoopbackProxy, type TlsTerminator } from '../../fixtures/loopbackProxy';
import { MOCK_ANSWER, MOCK_MODELS, startMockGateway, type MockGateway } from '../../fixtures/mockGateway';
import { TEST_CERTIFICATE, TEST_HOST, TEST_PRIVATE_KEY } from '../../fixtures/testCertificate';

async function answer(options: StreamChatOptions): Promise<{ text: string; errors: string[] }> {
  const events: StreamEvent[] = [];
  for await (const event of streamChat(options)) events.push(event);
  return {
    text: events.map((event) => (event.type === 'text' ? event.text : '')).join(''),
    errors: events.flatMap((event) => (event.type === 'error' ? [event.error.message] : [])),
  };
}

describe('nodeFetch through a loopback proxy', function () {
  let mock: MockGateway;
  let proxy: LoopbackProxy;
  let tlsFront: TlsTerminator;

  before(async () => {
    mock = await startMockGateway({ chunkDelayMs: 1 });
    proxy = await startLoopbackProxy({ hosts: [TEST_HOST] });
    tlsFront = await startTlsTerminator(mock.port, { cert: TEST_CERTIFICATE, key: TEST_PRIVATE_KEY });
  });
  after(async () => {
    await proxy.close();
    await tlsFront.close();
    await mock.close();
  });

  const fetchWith = (settings: ProxySettings, extraCa: string[] = []): typeof fetch =>
    createNodeFetch({ proxyFor: (target) => chooseProxy(target, settings, {})?.proxy, extraCa, rejectUnauthorized: settings.strictSSL });
  const request = { model: 'openai/gpt-4o', messages: [{ role: 'user' as const, content: 'hello' }] };

  it('sends a plain-http chat request and GET /models through http.proxy', async () => {
    const fetchImpl = fetchWith({ proxy: proxy.url, noProxy: [], strictSSL: true });
    // gateway.test resolves nowhere: the answer can only come through the proxy.
    const baseUrl = `http://${TEST_HOST}:${mock.port}/v1`;
    const before = proxy.forwarded.length;

    const { text, errors } = await answer({ baseUrl, apiKey: mock.apiKey, request, fetchImpl });
    assert.deepEqual(errors, []);
    assert.equal(text, MOCK_ANSWER);
    assert.deepEqual(await listModels({ baseUrl, apiKey: mock.apiKey, fetchImpl }), [...MOCK_MODELS].sort());

    assert.deepEqual(proxy.forwarded.slice(before), [`POST ${baseUrl}/chat/completions`, `GET ${baseUrl}/models`]);
    const last = mock.requests.at(-1);
    assert.equal(last?.headers.authorization, `Bearer ${mock.apiKey}`, 'the key reaches the gateway');
  });

  it('tunnels https with CONNECT and verifies the gateway against the extra certificates', async () => {
    const fetchImpl = fetchWith({ proxy: proxy.url, noProxy: [], strictSSL: true }, [TEST_CERTIFICATE]);
    const baseUrl = `https://${TEST_HOST}:${tlsFront.port}/v1`;
    const before = proxy.tunnels.length;

    const { text, errors } = await answer({ baseUrl, apiKey: mock.apiKey, request, fetchImpl });
    assert.deepEqual(errors, []);
    assert.equal(text, MOCK_ANSWER);
    assert.deepEqual(await listModels({ baseUrl, apiKey: mock.apiKey, fetchImpl }), [...MOCK_MODELS].sort());

    assert.deepEqual(proxy.tunnels.slice(before), [`${TEST_HOST}:${tlsFront.port}`, `${TEST_HOST}:${tlsFront.port}`]);
    assert.deepEqual(proxy.forwarded.filter((line) => line.includes(String(tlsFront.port))), [], 'nothing of the https exchange was readable to the proxy');
  });

  it('rejects a certificate nobody vouches for, and accepts it when http.proxyStrictSSL is off', async () => {
    const baseUrl = `https://${TEST_HOST}:${tlsFront.port}/v1`;
    const strict = fetchWith({ proxy: proxy.url, noProxy: [], strictSSL: true });
    await assert.rejects(listModels({ baseUrl, apiKey: mock.apiKey, fetchImpl: strict }), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.info.kind, 'network');
      assert.match(error.info.message, /self[- ]signed certificate/i);
      return true;
    });
    const lax = fetchWith({ proxy: proxy.url, noProxy: [], strictSSL: false });
    assert.deepEqual(await listModels({ baseUrl, apiKey: mock.apiKey, fetchImpl: lax }), [...MOCK_MODELS].sort());
  });

  it('goes direct for a host in http.noProxy: the proxy sees nothing', async () => {
    const fetchImpl = fetchWith({ proxy: proxy.url, noProxy: [TEST_HOST], strictSSL: true });
    const counts = [proxy.forwarded.length, proxy.tunnels.length];
    // Direct, gateway.test has no address: a DNS failure proves the proxy was not asked.
    const { errors } = await answer({ baseUrl: `http://${TEST_HOST}:${mock.port}/v1`, apiKey: mock.apiKey, request, fetchImpl });
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /ENOTFOUND|EAI_AGAIN/);
    assert.deepEqual([proxy.forwarded.length, proxy.tunnels.length], counts);

    // And the loopback gateway itself is reached directly, with the proxy still set.
    const direct = await answer({ baseUrl: mock.baseUrl, apiKey: mock.apiKey, request, fetchImpl });
    assert.equal(direct.text, MOCK_ANSWER);
    assert.deepEqual([proxy.forwarded.length, proxy.tunnels.length], counts);
  });

  it('hands requests that need no proxy to the direct fetch it was given (VS Code\'s own, in the extension)', async () => {
    const directCalls: string[] = [];
    const direct: typeof fetch = (input, init) => {
      directCalls.push(input instanceof Request ? input.url : input.toString());
      return fetch(input, init);
    };
    const fetchImpl = createNodeFetch({ proxyFor: (target) => chooseProxy(target, { proxy: proxy.url, noProxy: [], strictSSL: true }, {})?.proxy, rejectUnauthorized: true, direct });
    const counts = [proxy.forwarded.length, proxy.tunnels.length];
    assert.deepEqual(await listModels({ baseUrl: mock.baseUrl, apiKey: mock.apiKey, fetchImpl }), [...MOCK_MODELS].sort());
    assert.deepEqual(directCalls, [`${mock.baseUrl}/models`]);
    const { text } = await answer({ baseUrl: `http://${TEST_HOST}:${mock.port}/v1`, apiKey: mock.apiKey, request, fetchImpl });
    assert.equal(text, MOCK_ANSWER);
    assert.equal(directCalls.length, 1, 'a proxied request does not use the direct fetch');
    assert.deepEqual([proxy.forwarded.length, proxy.tunnels.length], [counts[0]! + 1, counts[1]]);
  });

  it('sends the proxy credentials from http.proxy and reports a 407 when they are wrong', async () => {
    const guarded = await startLoopbackProxy({ hosts: [TEST_HOST], credentials: { user: 'fox', password: 's3cret' } });
    try {
      const baseUrl = `https://${TEST_HOST}:${tlsFront.port}/v1`;
      const good = fetchWith({ proxy: guarded.url.replace('http://', 'http://fox:s3cret@'), noProxy: [], strictSSL: true }, [TEST_CERTIFICATE]);
      assert.deepEqual(await listModels({ baseUrl, apiKey: mock.apiKey, fetchImpl: good }), [...MOCK_MODELS].sort());
      const bad = fetchWith({ proxy: guarded.url, noProxy: [], strictSSL: true }, [TEST_CERTIFICATE]);
      await assert.rejects(listModels({ baseUrl, apiKey: mock.apiKey, fetchImpl: bad }), /407/);
    } finally {
      await guarded.close();
    }
  });

  it('stops a streaming answer when the caller aborts', async () => {
    const fetchImpl = fetchWith({ proxy: proxy.url, noProxy: [], strictSSL: true });
    const controller = new AbortController();
    const events: StreamEvent[] = [];
    const slow = { ...request, messages: [{ role: 'user' as const, content: '[slow]' }] };
    for await (const event of streamChat({ baseUrl: `http://${TEST_HOST}:${mock.port}/v1`, apiKey: mock.apiKey, request: slow, fetchImpl, signal: controller.signal })) {
      events.push(event);
      if (event.type === 'text') controller.abort();
    }
    assert.deepEqual(
      events.filter((event) => event.type === 'error'),
      [],
    );
    await mock.waitForRequest((r) => r.rawBody.includes('[slow]') && r.aborted === true);
  });
});
