// "Fox Chat: Test Connection" in a real VS Code (code-server + Chromium) against a gateway that
// has no function calling and no image input: the report opens as a Markdown document with a
// verdict per row, the two missing features fail with their fix, the key is nowhere in it, and
// every request went to the configured gateway with the key it was stored for.

import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startLoopbackProxy, startTlsTerminator, type LoopbackProxy, type TlsTerminator } from '../fixtures/loopbackProxy';
import { startMockGateway, type MockGateway } from '../fixtures/mockGateway';
import { TEST_CERTIFICATE, TEST_HOST, TEST_PRIVATE_KEY } from '../fixtures/testCertificate';
import { ACTIVE_EDITOR, editorLines, runCommand, useWorkbench, waitUntil } from './harness';

interface ReportRow {
  verdict: string;
  details: string;
  fix: string;
}

/** Runs Test Connection and reads the report document, as the user would copy it, row by row. */
async function testConnection(page: Page): Promise<{ report: string; rows: Map<string, ReportRow> }> {
  await runCommand(page, 'Fox Chat: Test Connection');
  await waitUntil('the report to open', async () => (await editorLines(page)).some((line) => line.startsWith('| JSON mode |')), 90_000);
  await page.locator(`${ACTIVE_EDITOR} .view-lines`).first().click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+C');
  const report = await page.evaluate(() =>
    (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText(),
  );
  const rows = new Map(
    report
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| ---') && !line.startsWith('| Check |'))
      .map((line) => {
        const cells = line.slice(2, -2).split(' | ');
        return [cells[0] ?? '', { verdict: cells[1] ?? '', details: cells[2] ?? '', fix: cells[3] ?? '' }] as const;
      }),
  );
  return { report, rows };
}

describe('Fox Chat: Test Connection (code-server + Chromium)', function () {
  let lacking: MockGateway;
  // Filled in before useWorkbench's hook reads it (hooks run in the order they are registered).
  const settings: Record<string, unknown> = { '[markdown]': { 'editor.wordWrap': 'off' } };
  before(async () => {
    lacking = await startMockGateway({ rejectTools: true, rejectImages: true });
    settings['foxChat.baseUrl'] = lacking.baseUrl;
  });
  after(async () => {
    await (lacking as MockGateway | undefined)?.close();
  });
  const suite = useWorkbench({ setKey: true, settings });

  it('reports each check with a verdict, and a fix for tools and images', async function () {
    this.timeout(180_000);
    const { report, rows } = await testConnection(suite.page);

    assert.deepEqual(
      [...rows].map(([name, row]) => `${name}: ${row.verdict}`),
      [
        'Proxy: ✅ Passed',
        'DNS: ✅ Passed',
        'Connection and TLS: ✅ Passed',
        'API key: ✅ Passed',
        'Model list (GET /models): ✅ Passed',
        'Streamed answer: ✅ Passed',
        'Usage reported: ✅ Passed',
        'Tool calling: ❌ Failed',
        'Image input: ❌ Failed',
        'JSON mode: ✅ Passed',
      ],
      report,
    );
    assert.match(rows.get('Tool calling')?.details ?? '', /HTTP 400: This model does not support tools/);
    assert.match(rows.get('Tool calling')?.fix ?? '', /turn off foxChat\.tools\.enabled/);
    assert.match(rows.get('Image input')?.fix ?? '', /does not accept image_url parts/);
    assert.equal(rows.get('Proxy')?.details, 'Direct connection (no proxy applies)');
    assert.match(report, /2 of 10 checks failed/);
    assert.match(report, new RegExp(`\\*\\*Gateway:\\*\\* ${lacking.baseUrl.replace(/[.:/]/g, '\\$&')}`));
    assert.ok(!report.includes(lacking.apiKey), 'the key is not in the report');

    // Through the one pipeline, to the configured gateway, with the key bound to it.
    const chats = lacking.requests.filter((request) => request.path === '/v1/chat/completions');
    assert.equal(chats.length, 4, 'stream, tools, image and JSON mode: one request each, no retries');
    assert.ok(lacking.requests.every((request) => request.headers.authorization === `Bearer ${lacking.apiKey}`));
    assert.deepEqual(suite.mock.requests, [], 'nothing went to the suite\'s default mock');
  });
});

describe('Fox Chat: Test Connection through http.proxy (code-server + Chromium)', function () {
  let gateway: MockGateway;
  let front: TlsTerminator;
  let proxy: LoopbackProxy;
  const settings: Record<string, unknown> = { '[markdown]': { 'editor.wordWrap': 'off' }, 'http.proxyStrictSSL': false };
  before(async () => {
    gateway = await startMockGateway();
    // https://gateway.test:PORT exists only behind the proxy, with a certificate nobody vouches for.
    front = await startTlsTerminator(gateway.port, { cert: TEST_CERTIFICATE, key: TEST_PRIVATE_KEY });
    proxy = await startLoopbackProxy({ hosts: [TEST_HOST] });
    settings['foxChat.baseUrl'] = `https://${TEST_HOST}:${front.port}/v1`;
    settings['http.proxy'] = proxy.url;
  });
  after(async () => {
    await (proxy as LoopbackProxy | undefined)?.close();
    await (front as TlsTerminator | undefined)?.close();
    await (gateway as MockGateway | undefined)?.close();
  });
  const suite = useWorkbench({ setKey: true, settings });

  it('goes through the proxy\'s CONNECT tunnel and says so; the unverified certificate is a warning', async function () {
    this.timeout(180_000);
    const { report, rows } = await testConnection(suite.page);
    assert.equal(rows.get('Proxy')?.details, `Through ${proxy.url} (from http.proxy)`, report);
    assert.equal(rows.get('DNS')?.verdict, '➖ Skipped', report);
    assert.equal(rows.get('Connection and TLS')?.verdict, '⚠️ Warning', report);
    assert.match(rows.get('Connection and TLS')?.fix ?? '', /http\.proxyStrictSSL is off/);
    for (const name of ['API key', 'Model list (GET /models)', 'Streamed answer', 'Usage reported', 'Tool calling', 'Image input', 'JSON mode']) {
      assert.equal(rows.get(name)?.verdict, '✅ Passed', `${name}\n${report}`);
    }
    // The TLS probe, GET /models and four chat requests, all tunnelled; none sent in the clear.
    assert.ok(proxy.tunnels.length >= 6, proxy.tunnels.join(', '));
    assert.ok(proxy.tunnels.every((tunnel) => tunnel === `${TEST_HOST}:${front.port}`));
    assert.deepEqual(proxy.forwarded, []);
    assert.equal(gateway.requests.filter((request) => request.path === '/v1/chat/completions').length, 4);
  });
});
