// Test Connection's checks against the mock gateway, through the one request pipeline
// (GatewayStream) and the proxy-aware fetch: a gateway without tools and images, a complete one,
// a wrong key, nothing listening, and an https gateway behind a proxy.

import assert from 'node:assert/strict';
import { listModels } from '../../../src/api/chatClient';
import { runConnectionChecks, type CheckRow, type ConnectionCheckOptions } from '../../../src/api/connectionCheck';
import { createNodeFetch } from '../../../src/api/nodeFetch';
import { chooseProxy, type ProxySettings } from '../../../src/api/proxyRoute';
import type { GatewayRoute } from '../../../src/chat/request';
import { GatewayStream } from '../../../src/services/gatewayStream';
import { startLoopbackProxy, startTlsTerminator } from '../../fixtures/loopbackProxy';
import { startMockGateway, type MockGateway } from '../../fixtures/mockGateway';
import { MemoryMemento } from '../../fixtures/memoryMemento';
import { TEST_CERTIFICATE, TEST_HOST, TEST_PRIVATE_KEY } from '../../fixtures/testCertificate';


const DIRECT: ProxySettings = { proxy: '', noProxy: [], strictSSL: true };

function check(baseUrl: string, apiKey: string, settings: ProxySettings = DIRECT, extraCa: string[] = []): Promise<CheckRow[]> {
  const fetchImpl = createNodeFetch({ proxyFor: (target) => chooseProxy(target, settings, {})?.proxy, extraCa, rejectUnauthorized: settings.strictSSL });
  const gateway = new GatewayStream(new MemoryMemento(), undefined, fetchImpl);
  const route: GatewayRoute = { baseUrl, apiKey, headers: {}, policy: { maxRetries: 2, idleTimeoutMs: 10_000 }, fallbackModels: ['gpt-4o-mini'] };
  const options: ConnectionCheckOptions = {
    route,
    model: 'openai/gpt-4o',
    parameters: { temperature: 0.2 },
    requiresKey: true,
    stream: gateway.stream,
    listModels: (signal) => listModels({ ...route, signal, fetchImpl }),
    proxy: chooseProxy(new URL(baseUrl), settings, {}),
    ca: extraCa.length > 0 ? extraCa : undefined,
    rejectUnauthorized: settings.strictSSL,
    signal: new AbortController().signal,
  };
  return runConnectionChecks(options);
}

/** "id=verdict/reason" per row, the shape the report is made from. */
const summary = (rows: readonly CheckRow[]): string[] => rows.map((row) => `${row.id}=${row.verdict}/${row.reason}`);

describe('runConnectionChecks', () => {
  let lacking: MockGateway;
  let complete: MockGateway;

  before(async () => {
    lacking = await startMockGateway({ chunkDelayMs: 1, rejectTools: true, rejectImages: true });
    complete = await startMockGateway({ chunkDelayMs: 1 });
  });
  after(async () => {
    await lacking.close();
    await complete.close();
  });

  it('a gateway without tools and images: those two rows fail with the gateway\'s reason, the rest pass', async () => {
    const rows = await check(lacking.baseUrl, lacking.apiKey);
    assert.deepEqual(summary(rows), [
      'proxy=pass/direct',
      'dns=pass/resolved',
      'connection=pass/plainHttp',
      'key=pass/accepted',
      'models=pass/listed',
      'stream=pass/streamed',
      'usage=pass/reported',
      'tools=fail/rejected',
      'images=fail/rejected',
      'jsonMode=pass/valid',
    ]);
    const tools = rows.find((row) => row.id === 'tools');
    assert.ok(tools && 'error' in tools);
    assert.equal(tools.error.status, 400);
    assert.match(tools.error.message, /does not support tools/);

    // Every chat request went through once: no retry and no fallback model hid a failure.
    const chats = lacking.requests.filter((r) => r.path === '/v1/chat/completions');
    assert.equal(chats.length, 4);
    assert.ok(chats.every((r) => (r.body as { model: string }).model === 'openai/gpt-4o'));
    assert.ok(chats.every((r) => (r.body as { temperature?: number }).temperature === 0.2), 'the settings\' request fields go along');
  });

  it('a complete gateway passes every row; the model called the forced tool', async () => {
    const rows = await check(complete.baseUrl, complete.apiKey);
    assert.deepEqual(
      rows.filter((row) => row.verdict !== 'pass'),
      [],
    );
    assert.ok(rows.some((row) => row.id === 'tools' && row.reason === 'called'));
  });

  it('a wrong key fails the key row and skips what needs it; the key is not in any row', async () => {
    const wrongKey = 'sk-wrong-key-0123456789';
    const rows = await check(complete.baseUrl, wrongKey);
    assert.deepEqual(summary(rows).slice(3), [
      'key=fail/rejected',
      'models=skip/notTried',
      'stream=skip/notTried',
      'usage=skip/notTried',
      'tools=skip/notTried',
      'images=skip/notTried',
      'jsonMode=skip/notTried',
    ]);
    assert.ok(!JSON.stringify(rows).includes(wrongKey));
  });

  it('nothing listening: the connection row fails and nothing else is tried', async () => {
    const closed = await startMockGateway();
    const { baseUrl } = closed;
    await closed.close();
    const rows = await check(baseUrl, 'k');
    assert.deepEqual(summary(rows).slice(0, 4), ['proxy=pass/direct', 'dns=pass/resolved', 'connection=fail/unreachable', 'key=skip/notTried']);
    assert.ok(rows.slice(3).every((row) => row.verdict === 'skip'));
  });

  it('an https gateway behind a proxy: the proxy row names it, DNS is the proxy\'s, TLS is verified with the extra certificate', async () => {
    const proxy = await startLoopbackProxy({ hosts: [TEST_HOST] });
    const front = await startTlsTerminator(complete.port, { cert: TEST_CERTIFICATE, key: TEST_PRIVATE_KEY });
    try {
      const settings: ProxySettings = { proxy: proxy.url, noProxy: [], strictSSL: true };
      const baseUrl = `https://${TEST_HOST}:${front.port}/v1`;
      const rows = await check(baseUrl, complete.apiKey, settings, [TEST_CERTIFICATE]);
      assert.deepEqual(summary(rows).slice(0, 4), ['proxy=pass/viaProxy', 'dns=skip/byProxy', 'connection=pass/verified', 'key=pass/accepted']);
      assert.deepEqual(
        rows.filter((row) => row.verdict !== 'pass' && row.verdict !== 'skip'),
        [],
      );
      const connection = rows.find((row) => row.id === 'connection');
      assert.ok(connection?.reason === 'verified');
      assert.match(connection.issuer, /Fox Chat tests/);
      // The TLS probe and every request went through the tunnel: 1 probe + models + 4 chats.
      assert.equal(proxy.tunnels.length, 6);

      const untrusted = await check(baseUrl, complete.apiKey, settings);
      assert.deepEqual(summary(untrusted).slice(0, 3), ['proxy=pass/viaProxy', 'dns=skip/byProxy', 'connection=fail/certificate']);
    } finally {
      await proxy.close();
      await front.close();
    }
  });
});
