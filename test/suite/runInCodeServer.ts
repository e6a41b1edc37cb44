// Runs the integration suite (index.ts + *.test.ts here) inside code-server's real extension host
// (code-server 4.100.3 = VS Code 1.100), the way @vscode/test-web does it: the extension and the
// tests are handed to the web workbench through its URL `payload` parameter
// (extensionDevelopmentPath / extensionTestsPath), and the workbench reports the suite's exit code
// through window.codeAutomationExit. Mocha's output arrives as browser console messages and is
// printed here. See docs/real-vscode-tests.md, "Mocha suites inside the extension host".
//
//   npm run build && npx tsc -p . --outDir out && node out/test/suite/runInCodeServer.js
//
// Options (environment):
//   FOX_SUITE_GREP=text        run only the tests whose title contains text
//   FOX_SUITE_NO_UI_BRIDGE=1   do not answer input boxes through the UI (the suite then replaces
//                              window.showInputBox, as it does in desktop VS Code)
//   FOX_SUITE_TIMEOUT_MS=n     overall limit (default 300000)
//   FOX_CHAT_CHROMIUM=path     browser (default /usr/bin/chromium)
// Exit code: the suite's (0 passed, 1 failed); 1 on any setup failure or the overall timeout.
// A screenshot of the workbench is saved to test-results/suite-code-server-failure.png on failure.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as util from 'node:util';
import { chromium } from 'playwright-core';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { parseInputBoxRequest, UI_BRIDGE_ENV, UI_BRIDGE_PLAYWRIGHT, type InputBoxAnswer } from './bridge';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const SUITE_DIR = __dirname; // out/test/suite (holds index.js)
const CODE_SERVER_BIN = path.join(REPO_ROOT, '.vscode-test', 'code-server', 'node_modules', '.bin', 'code-server');
const CHROMIUM_PATH = process.env.FOX_CHAT_CHROMIUM ?? '/usr/bin/chromium';
const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');
const OVERALL_TIMEOUT_MS = Number(process.env.FOX_SUITE_TIMEOUT_MS ?? 300_000);
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
// Keep the workbench quiet: nothing opens or pops up that the suite did not ask for.
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'chat.commandCenter.enabled': false,
  // The web workbench auto-saves after a delay by default; a save stops a streaming refactor (the
  // original is kept), so the suites decide when to save, as the Playwright suites do.
  'files.autoSave': 'off',
};

function log(message: string): void {
  process.stdout.write(`[runInCodeServer] ${message}\n`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function httpStatus(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const request = http.get(url, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.setTimeout(2_000, () => request.destroy());
    request.on('error', () => resolve(undefined));
  });
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/**
 * A browser console message as plain text. Extension-host output reaches the browser through the
 * workbench's logger as `console.log('%c INFO', 'color: #33f', format, ...args)`: drop the
 * styling and the INFO level, then apply the original printf-style format (mocha's "%s (%dms)").
 */
async function consoleText(message: ConsoleMessage): Promise<string> {
  const values: unknown[] = await Promise.all(
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- Playwright's JSHandle.toString() returns its preview; the typings do not declare it
    message.args().map((handle) => handle.jsonValue().catch(() => handle.toString())),
  );
  if (values.length === 0) {
    return message.text();
  }
  if (typeof values[0] === 'string' && values[0].includes('%c')) {
    const styles = values[0].split('%c').length - 1;
    values[0] = values[0].replace(/%c/g, '');
    values.splice(1, styles);
  }
  let prefix = '';
  if (typeof values[0] === 'string' && /^\s*(TRACE|DEBUG|INFO|WARN|ERR)\s*$/.test(values[0])) {
    const level = values.shift() as string;
    prefix = /INFO|TRACE|DEBUG/.test(level) ? '' : `[${level.trim()}] `;
  }
  return prefix + util.format(...values);
}

interface Session {
  child: ChildProcess;
  exited: Promise<void>;
  isExited(): boolean;
  output(): string;
}

function startCodeServer(port: number, scratch: string, workspace: string, bridge: boolean): Session {
  const userDataDir = path.join(scratch, 'data');
  const extensionsDir = path.join(scratch, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(QUIET_SETTINGS, null, 2));

  const args = [
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    workspace,
  ];
  const env: NodeJS.ProcessEnv = { ...process.env, VSCODE_PROXY_URI: '', PASSWORD: '' };
  // The extension host inherits code-server's environment: tells the suite a UI driver is listening.
  if (bridge) env[UI_BRIDGE_ENV] = UI_BRIDGE_PLAYWRIGHT;
  else delete env[UI_BRIDGE_ENV];

  let output = '';
  let exited = false;
  const child = spawn(CODE_SERVER_BIN, args, {
    cwd: workspace,
    detached: true, // own process group: code-server, its extension host and watchers end together
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
    child.once('error', (error) => {
      output += `\nspawn error: ${error.message}`;
      exited = true;
      resolve();
    });
  });
  return { child, exited: exitedPromise, isExited: () => exited, output: () => output };
}

async function stopCodeServer(session: Session): Promise<void> {
  const pid = session.child.pid;
  if (!pid) return;
  if (!session.isExited()) {
    killGroup(pid, 'SIGTERM');
    const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), 5_000);
    await session.exited;
    clearTimeout(timer);
  }
  // The extension host can outlive code-server's main process by a moment.
  killGroup(pid, 'SIGKILL');
}

/** Types `answer.value` into the open quick input (a password box with the expected title) and accepts it. */
async function answerInputBox(page: Page, answer: InputBoxAnswer): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  await widget.waitFor({ state: 'visible', timeout: 15_000 });
  const title = widget.locator('.quick-input-title');
  await title.filter({ hasText: answer.title }).waitFor({ state: 'visible', timeout: 15_000 });
  const input = widget.locator(answer.password ? '.quick-input-box input[type="password"]' : '.quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(answer.value);
  await input.press('Enter');
  await widget.waitFor({ state: 'hidden', timeout: 15_000 });
}

async function main(): Promise<number> {
  const started = Date.now();
  for (const [file, hint] of [
    [path.join(REPO_ROOT, 'dist', 'extension.js'), 'run `npm run build` first'],
    [path.join(SUITE_DIR, 'index.js'), 'run `npx tsc -p . --outDir out` first'],
    [CODE_SERVER_BIN, 'install code-server 4.100.3 under .vscode-test/code-server (bash .ci/provision.sh)'],
    [CHROMIUM_PATH, 'install Debian chromium or set FOX_CHAT_CHROMIUM'],
  ] as const) {
    if (!fs.existsSync(file)) {
      log(`missing ${file}: ${hint}`);
      return 1;
    }
  }

  const bridge = process.env.FOX_SUITE_NO_UI_BRIDGE !== '1';
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'fox-chat-suite-'));
  const workspace = path.join(scratch, 'workspace');
  fs.mkdirSync(workspace);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const session = startCodeServer(port, scratch, workspace, bridge);
  let browser: Browser | undefined;
  let page: Page | undefined;
  let overallTimer: NodeJS.Timeout | undefined;

  const cleanUp = async (): Promise<void> => {
    clearTimeout(overallTimer);
    await browser?.close().catch(() => undefined);
    await stopCodeServer(session);
    fs.rmSync(scratch, { recursive: true, force: true });
  };

  try {
    const result = await new Promise<number>((resolve, reject) => {
      overallTimer = setTimeout(
        () => reject(new Error(`TIMEOUT: the suite did not finish within ${OVERALL_TIMEOUT_MS / 1000} s`)),
        OVERALL_TIMEOUT_MS,
      );

      void (async () => {
        // 1. code-server answers
        const deadline = Date.now() + 60_000;
        while ((await httpStatus(`${base}/healthz`)) !== 200) {
          if (session.isExited()) throw new Error('code-server exited before it answered');
          if (Date.now() > deadline) throw new Error(`code-server did not answer on ${base} within 60 s`);
          await new Promise((r) => setTimeout(r, 200));
        }
        log(`code-server 127.0.0.1:${port} up after ${((Date.now() - started) / 1000).toFixed(1)} s; UI bridge ${bridge ? 'on' : 'off'}`);

        // 2. the workbench, with the extension and the suite in its payload
        browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
        const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
        page = await context.newPage();
        const current = page;
        // Console lines are formatted asynchronously; print them in order, all before the exit code.
        let printing = Promise.resolve();
        await current.exposeFunction('codeAutomationExit', (code: unknown) => {
          void printing.then(() => resolve(typeof code === 'number' ? code : 1));
        });
        current.on('console', (message) => {
          printing = printing.then(async () => {
            const text = await consoleText(message).catch(() => message.text());
            process.stdout.write(`${text}\n`);
            const answer = bridge ? parseInputBoxRequest(text) : undefined;
            if (answer) {
              answerInputBox(current, answer).then(
                () => log(`answered the "${answer.title}" input box`),
                (error: unknown) => {
                  log(`could not answer the "${answer.title}" input box: ${error instanceof Error ? error.message : String(error)}`);
                  void current.keyboard.press('Escape').catch(() => undefined); // let the command finish
                },
              );
            }
          });
        });
        current.on('pageerror', (error) => log(`page error: ${error.message}`));

        const remote = (absolute: string): string => `vscode-remote://127.0.0.1:${port}${absolute}`;
        const payload = [
          ['extensionDevelopmentPath', remote(REPO_ROOT)],
          ['extensionTestsPath', remote(SUITE_DIR)],
        ];
        const url = `${base}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
        await current.goto(url, { timeout: 120_000 });
        await current.waitForSelector('.monaco-workbench', { timeout: 60_000 });
        log(`workbench loaded after ${((Date.now() - started) / 1000).toFixed(1)} s (title: ${await current.title()})`);
      })().catch(reject);
    });

    log(`suite finished with exit code ${result} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (result !== 0) await screenshot(page);
    return result;
  } catch (error) {
    log(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
    await screenshot(page);
    const output = session.output().trim();
    if (output) log(`--- code-server output (last 4000 chars) ---\n${output.slice(-4_000)}`);
    return 1;
  } finally {
    await cleanUp();
  }
}

async function screenshot(page: Page | undefined): Promise<void> {
  if (!page) return;
  try {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, 'suite-code-server-failure.png');
    await page.screenshot({ path: file, timeout: 10_000 });
    log(`screenshot: ${path.relative(REPO_ROOT, file)}`);
  } catch {
    // the page may be gone
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`FAILED: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    process.exit(1);
  },
);
