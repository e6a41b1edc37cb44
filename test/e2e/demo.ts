// Try Fox Chat in a real VS Code without an account: starts the local mock gateway and code-server
// (VS Code 1.100 in the browser) with the packaged extension installed and pointed at the mock.
//
//   npm run package && npm run compile-tests && bash .ci/provision.sh && node out/test/e2e/demo.js
//
// PORT=9000 picks another port (default 8080). FOX_CHAT_DEMO_SMOKE=1 exits 0 as soon as the
// workbench answers HTTP 200 (for CI smoke tests).

import * as fs from 'node:fs';
import { startMockGateway } from '../fixtures/mockGateway';
import type { MockGateway } from '../fixtures/mockGateway';
import { DEFAULT_VSIX, EXAMPLE_FILE, httpStatus, isPortFree, makeWorkspace, startCodeServer, waitUntil } from './harness';
import type { CodeServer } from './harness';

async function main(): Promise<number> {
  const smoke = process.env.FOX_CHAT_DEMO_SMOKE === '1';
  const port = Number(process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    console.error(`PORT must be a TCP port number, got ${JSON.stringify(process.env.PORT)}`);
    return 2;
  }
  if (!fs.existsSync(DEFAULT_VSIX)) {
    console.error(`${DEFAULT_VSIX} is missing: run \`npm run package\` first.`);
    return 2;
  }
  if (!(await isPortFree(port))) {
    console.error(`Port ${port} on 127.0.0.1 is in use: stop what uses it or set PORT, e.g. PORT=9000 node out/test/e2e/demo.js`);
    return 2;
  }

  let mock: MockGateway | undefined;
  let server: CodeServer | undefined;
  let workspace: string | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = (): Promise<void> =>
    (cleaning ??= (async () => {
      await server?.stop().catch(() => undefined);
      await mock?.close().catch(() => undefined);
      if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
    })());

  try {
    mock = await startMockGateway({ acceptAnyKey: true, demo: true });
    workspace = makeWorkspace();
    console.log(`Starting code-server with Fox Chat on 127.0.0.1:${port} (mock gateway at ${mock.baseUrl}) ...`);
    server = await startCodeServer({
      workspace,
      port,
      vsixPath: DEFAULT_VSIX,
      settings: { 'foxChat.baseUrl': mock.baseUrl },
    });
    const workbenchUrl = `${server.url}/?folder=${encodeURIComponent(workspace)}`;
    await waitUntil(`the workbench at ${workbenchUrl} to answer 200`, async () => (await httpStatus(workbenchUrl)) === 200, 60_000, 200);

    if (smoke) {
      console.log(`Smoke test: the workbench answered 200 at ${workbenchUrl}`);
      await cleanup();
      return 0;
    }

    console.log(
      [
        '',
        '  Fox Chat demo is running.',
        '',
        `  Open:      ${workbenchUrl}`,
        '',
        `  Gateway:   a local mock at ${mock.baseUrl} (already set as foxChat.baseUrl).`,
        '             It accepts any API key: run "Fox Chat: Set API Key" (F1) and type anything.',
        `  Try:       click the fox in the activity bar and ask something, or open ${EXAMPLE_FILE},`,
        '             select some lines and run "Fox Chat: Explain Selection".',
        '             Ask with "think" to see reasoning, "read example.ts" or "search fox" for a tool call;',
        '             put [slow] in a question to watch a long stream you can stop.',
        '',
        '  Stop:      press Ctrl+C here.',
        '',
      ].join('\n'),
    );

    const stopSignal = new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    const outcome = await Promise.race([stopSignal, server.exited.then((code) => `code-server exited (${String(code)})`)]);
    if (outcome.startsWith('code-server')) {
      console.error(`${outcome}; its output:\n${server.output()}`);
      await cleanup();
      return 1;
    }
    console.log('\nStopping Fox Chat demo ...');
    await cleanup();
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    await cleanup();
    return 1;
  }
}

void main().then((code) => process.exit(code));
