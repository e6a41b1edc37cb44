// Reusable pieces for end-to-end tests that drive the real VS Code workbench (code-server 4.100.3 =
// VS Code 1.100) in Debian's Chromium through playwright-core. See docs/real-vscode-tests.md.
//
// Everything waits on conditions (selectors, DOM state, HTTP answers, request-log entries); nothing
// sleeps for a fixed time.

import { spawn, execFile } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Frame, Locator, Page } from 'playwright-core';
import { startMockGateway } from '../fixtures/mockGateway';
import type { MockGateway, RecordedRequest } from '../fixtures/mockGateway';
import { wordFrequenciesLines } from '../fixtures/sampleCode';
import { isRecord } from '../../src/isRecord';
import { packExtensionFolder, registerLanguagePacks } from './languagePacks';

const execFileAsync = promisify(execFile);

// The callbacks given to page.evaluate/waitForFunction run in the browser. The root tsconfig has no
// DOM lib (and must not get one from here), so the little of the DOM they use is declared locally.
interface DomElement {
  readonly textContent: string | null;
  readonly innerText?: string;
  readonly value?: string;
  readonly placeholder?: string;
  readonly offsetParent: DomElement | null;
  readonly style: { display: string; top: string };
  readonly classList: { contains(name: string): boolean };
  getAttribute(name: string): string | null;
  closest(selector: string): DomElement | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement> & Iterable<DomElement>;
}
declare const document: {
  readonly activeElement: DomElement | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement> & Iterable<DomElement>;
};

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const CODE_SERVER_BIN = path.join(REPO_ROOT, '.vscode-test', 'code-server', 'node_modules', '.bin', 'code-server');
/** The packaged extension under test; FOX_CHAT_VSIX overrides it (e.g. to try another build). */
export const DEFAULT_VSIX = process.env.FOX_CHAT_VSIX ?? path.join(REPO_ROOT, 'fox-chat.vsix');
export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');
/**
 * Where a README picture taken by a test goes: media/ (tracked, what the README shows) only with
 * UPDATE_SCREENSHOTS=1, else out/screenshots/, so an ordinary test run leaves the work tree clean.
 */
export function readmeScreenshotPath(name: string): string {
  const dir = process.env.UPDATE_SCREENSHOTS === '1' ? path.join(REPO_ROOT, 'media') : path.join(REPO_ROOT, 'out', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}
export const CHROMIUM_PATH = process.env.FOX_CHAT_CHROMIUM ?? '/usr/bin/chromium';
export const EXTENSION_ID = 'foxchat.fox-chat';
/** The active editor group's editor. */
export const ACTIVE_EDITOR = '.editor-group-container.active .monaco-editor';

/** The sample file the tests and the demo put into their workspace (lines numbered for the tests). */
export const EXAMPLE_FILE = 'example.ts';
export const EXAMPLE_TS = [
  '// A small function for Fox Chat to explain.',
  '',
  ...wordFrequenciesLines(),
  '',
  "console.log(wordFrequencies('the quick brown fox jumps over the lazy dog'));",
  '',
].join('\n');

/** Settings that keep the workbench quiet and deterministic; the caller's settings are merged over them. */
export const QUIET_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'typescript.disableAutomaticTypeAcquisition': true,
  'typescript.tsserver.experimental.enableProjectDiagnostics': false,
  'editor.minimap.enabled': false,
  'editor.accessibilitySupport': 'off',
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
  // Tests decide when to save (hunkReview.test.ts runs with auto-save on).
  'files.autoSave': 'off',
};

// ---------------------------------------------------------------------------------------------
// Small utilities

/** Polls `check` until it returns a truthy value; throws with `what` and the last error on timeout. */
export async function waitUntil<T>(
  what: string,
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
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

/** True when nothing listens on 127.0.0.1:`port` (we could bind it). */
export async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** GET `url` once; resolves with the status code, or undefined when nothing answers. */
export function httpStatus(url: string, timeoutMs = 2_000): Promise<number | undefined> {
  return new Promise((resolve) => {
    const request = http.get(url, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.setTimeout(timeoutMs, () => request.destroy());
    request.on('error', () => resolve(undefined));
  });
}

/** A fresh temporary directory under the OS temp dir. */
export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A workspace folder holding example.ts (and any extra files given). */
export function makeWorkspace(files: Record<string, string> = {}): string {
  const dir = makeTempDir('fox-chat-ws-');
  const all = { [EXAMPLE_FILE]: EXAMPLE_TS, ...files };
  for (const [name, content] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** Lines `start`..`end` (1-based, inclusive) of `text`. */
export function linesOf(text: string, start: number, end: number): string {
  return text.split('\n').slice(start - 1, end).join('\n');
}

// ---------------------------------------------------------------------------------------------
// code-server

export interface CodeServerOptions {
  /** Folder opened as the workspace. */
  workspace: string;
  /** Written into the profile's User/settings.json (over QUIET_SETTINGS). */
  settings?: Record<string, unknown>;
  /** Packaged extension to install; omit to start the bare workbench. */
  vsixPath?: string;
  /** UI/extension locale, e.g. 'de' (code-server's --locale); needs a language pack for it (see `extensions`). */
  locale?: string;
  /**
   * More extensions to install after `vsixPath`: .vsix files, or folders (packed with vsce first).
   * Language packs among them are registered in the profile so that `locale` resolves to them.
   */
  extensions?: string[];
  /** Port to bind on 127.0.0.1; a free one when omitted. */
  port?: number;
  /** Keep the temp profile after stop() (for debugging). */
  keepProfile?: boolean;
  /** Echo code-server's output to this process's stdout. */
  echoOutput?: boolean;
}

export interface CodeServer {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  workspace: string;
  userDataDir: string;
  extensionsDir: string;
  /** code-server's own stdout/stderr so far. */
  output(): string;
  /** Resolves with the exit code (or signal) when the code-server process ends. */
  exited: Promise<number | string | null>;
  /** Tails of the extension host logs and the extension's own log channel(s). */
  logs(maxCharsPerFile?: number): string;
  stop(): Promise<void>;
}

export async function installVsix(vsixPath: string, extensionsDir: string, userDataDir: string): Promise<string> {
  if (!fs.existsSync(vsixPath)) {
    throw new Error(`${vsixPath} does not exist: run \`npm run package\` first`);
  }
  const { stdout, stderr } = await execFileAsync(
    CODE_SERVER_BIN,
    ['--install-extension', vsixPath, '--force', '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir],
    { timeout: 120_000 },
  );
  const text = `${stdout}${stderr}`;
  if (!/successfully installed/i.test(text)) {
    throw new Error(`Installing ${vsixPath} did not report success:\n${text}`);
  }
  return text;
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  if (!fs.existsSync(CODE_SERVER_BIN)) {
    throw new Error(`${CODE_SERVER_BIN} is missing: run \`bash .ci/provision.sh\` first`);
  }
  const root = makeTempDir('fox-chat-cs-');
  const userDataDir = path.join(root, 'data');
  const extensionsDir = path.join(root, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...QUIET_SETTINGS, ...(options.settings ?? {}) }, null, 2),
  );

  if (options.vsixPath) {
    await installVsix(options.vsixPath, extensionsDir, userDataDir);
  }
  for (const [index, extension] of (options.extensions ?? []).entries()) {
    const vsix = fs.statSync(extension).isDirectory()
      ? await packExtensionFolder(extension, path.join(root, `extension-${index}.vsix`))
      : extension;
    await installVsix(vsix, extensionsDir, userDataDir);
  }
  if (options.extensions?.length) registerLanguagePacks(extensionsDir, userDataDir);

  const port = options.port ?? (await freePort());
  const args = [
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
  ];
  if (options.locale) args.push('--locale', options.locale);
  args.push(options.workspace);

  let output = '';
  const child: ChildProcess = spawn(CODE_SERVER_BIN, args, {
    cwd: options.workspace,
    detached: true, // own process group, so stop() can end code-server and its extension host together
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, VSCODE_PROXY_URI: '', PASSWORD: '' },
  });
  const onData = (chunk: Buffer): void => {
    const text = chunk.toString();
    output += text;
    if (output.length > 200_000) output = output.slice(-100_000);
    if (options.echoOutput) process.stdout.write(text);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  // Widened: the exit listener sets it, which narrowing from the initialiser cannot see.
  let exited = false as boolean;
  const exitPromise = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      resolve(code ?? signal);
    }),
  );

  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntil(
      `code-server to answer on ${url}`,
      async () => {
        if (exited) throw new Error(`code-server exited early:\n${output}`);
        return (await httpStatus(`${url}/healthz`)) === 200;
      },
      60_000,
      200,
    );
  } catch (error) {
    if (!exited && child.pid) killGroup(child.pid, 'SIGKILL');
    throw error instanceof Error ? new Error(`${error.message}\n--- code-server output ---\n${output}`) : error;
  }

  const stop = async (): Promise<void> => {
    if (!exited && child.pid) {
      killGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => { if (!exited && child.pid) killGroup(child.pid, 'SIGKILL'); }, 5_000);
      await exitPromise;
      clearTimeout(timer);
      // The extension host may outlive the main process by a moment; make sure the group is gone.
      killGroup(child.pid, 'SIGKILL');
    }
    if (!options.keepProfile) fs.rmSync(root, { recursive: true, force: true });
  };

  return {
    url,
    port,
    workspace: options.workspace,
    userDataDir,
    extensionsDir,
    output: () => output,
    exited: exitPromise,
    logs: (maxChars = 6_000) => collectLogs(userDataDir, maxChars),
    stop,
  };
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else out.push(full);
  }
  return out;
}

/** Tails of the logs that help when a test fails: the extension host and the Fox Chat log channel. */
export function collectLogs(userDataDir: string, maxCharsPerFile = 6_000): string {
  const files = listFiles(path.join(userDataDir, 'logs')).filter((file) =>
    /(exthost\.log|remoteexthost\.log|remoteagent\.log|fox[ -]?chat[^/]*\.log)$/i.test(file),
  );
  return files
    .map((file) => {
      const text = fs.readFileSync(file, 'utf8');
      const interesting = /remoteagent/.test(file)
        ? text.split('\n').filter((line) => /\[(error|warning)\]/i.test(line)).join('\n')
        : text;
      const tail = interesting.length > maxCharsPerFile ? `…${interesting.slice(-maxCharsPerFile)}` : interesting;
      return `--- ${path.relative(userDataDir, file)} ---\n${tail.trim() || '(empty)'}`;
    })
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// Browser and workbench

export interface Workbench {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Browser console errors/warnings and page errors seen so far. */
  consoleLines: string[];
  close(): Promise<void>;
}

export async function openWorkbench(url: string, folder: string): Promise<Workbench> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const consoleLines: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      consoleLines.push(`[console.${message.type()}] ${message.text()}`);
      if (consoleLines.length > 500) consoleLines.splice(0, consoleLines.length - 500);
    }
  });
  page.on('pageerror', (error) => consoleLines.push(`[pageerror] ${error.message}`));

  // A busy machine can take longer than Playwright's 30 s default to serve the workbench's first page.
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`, { timeout: 120_000 });
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  // The activity bar and status bar are the last parts to appear; wait for both.
  await page.locator('.activitybar').first().waitFor({ state: 'visible', timeout: 60_000 });
  await page.locator('.statusbar').first().waitFor({ state: 'visible', timeout: 60_000 });

  return {
    browser,
    context,
    page,
    consoleLines,
    close: async () => {
      await browser.close();
    },
  };
}

/** Waits until the extension is listed as installed and its activity-bar entry exists. */
export async function waitForExtension(page: Page, containerTitle = 'Fox Chat', timeoutMs = 60_000): Promise<void> {
  await activityBarItem(page, containerTitle).waitFor({ state: 'visible', timeout: timeoutMs });
}

// ---------------------------------------------------------------------------------------------
// Quick input (command palette, input boxes, quick open)

export const QUICK_INPUT = '.quick-input-widget';

function normaliseLabel(text: string): string {
  return text.replace(/\.\.\./g, '…').replace(/\s+/g, ' ').trim();
}

export async function quickInputValue(page: Page): Promise<string | undefined> {
  return page.evaluate((selector) => {
    const widget = document.querySelector(selector);
    if (!widget || widget.style.display === 'none' || widget.offsetParent === null) return undefined;
    const input = widget.querySelector('.quick-input-box input');
    return input ? input.value : undefined;
  }, QUICK_INPUT);
}

/** The label of the focused quick-pick row, or undefined. */
export async function focusedRowLabel(page: Page): Promise<string | undefined> {
  return page.evaluate((selector) => {
    const row = document.querySelector(`${selector} .quick-input-list .monaco-list-row.focused`);
    if (!row) return undefined;
    const label = row.querySelector('.label-name') ?? row.querySelector('.monaco-icon-label') ?? row;
    return label.textContent ?? '';
  }, QUICK_INPUT);
}

export async function visibleRowLabels(page: Page): Promise<string[]> {
  return page.evaluate((selector) => {
    return Array.from(document.querySelectorAll(`${selector} .quick-input-list .monaco-list-row`)).map((row) => {
      const label = row.querySelector('.label-name') ?? row.querySelector('.monaco-icon-label') ?? row;
      return label.textContent ?? '';
    });
  }, QUICK_INPUT);
}

export async function waitForQuickInputHidden(page: Page, timeoutMs = 10_000): Promise<void> {
  await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: timeoutMs });
}

/**
 * Opens a quick pick with `openKey` (retrying once if the key went to an element that swallowed it),
 * types `query`, waits until the focused row's label is exactly `label` (moving down the list if an
 * exact row exists below the focused one), and accepts it with Enter.
 */
async function pickFromQuickInput(page: Page, openKey: string, query: string, label: string, what: string): Promise<void> {
  const wanted = normaliseLabel(label);
  const attempts = 3;
  for (let attempt = 1; ; attempt++) {
    await openQuickInput(page, openKey);
    const input = page.locator(`${QUICK_INPUT} .quick-input-box input`);
    await input.pressSequentially(query.replace(/^>/, ''), { delay: 0 });
    try {
      await waitUntil(
        `${what} "${label}" to be the highlighted entry`,
        async () => {
          const focused = await focusedRowLabel(page);
          if (focused !== undefined && normaliseLabel(focused) === wanted) return true;
          const rows = (await visibleRowLabels(page)).map(normaliseLabel);
          const index = rows.indexOf(wanted);
          if (index > 0 && focused !== undefined) {
            const focusedIndex = rows.indexOf(normaliseLabel(focused));
            if (focusedIndex >= 0 && focusedIndex < index) await page.keyboard.press('ArrowDown');
          }
          return false;
        },
        attempt < attempts ? 5_000 : 10_000,
      );
      break;
    } catch (error) {
      const rows = await visibleRowLabels(page).catch(() => [] as string[]);
      const value = await quickInputValue(page);
      if (attempt >= attempts) {
        throw new Error(`${(error as Error).message} after ${attempts} attempts\nvalue: ${JSON.stringify(value)}\nrows: ${JSON.stringify(rows)}`);
      }
      // The palette computes its list when it opens: one opened before the extension registered its
      // commands never shows them. Close it and try again.
      await page.keyboard.press('Escape');
      await waitForQuickInputHidden(page);
    }
  }
  await page.keyboard.press('Enter');
}

async function openQuickInput(page: Page, key: string): Promise<void> {
  const widget = page.locator(QUICK_INPUT);
  if (await widget.isVisible()) {
    await page.keyboard.press('Escape');
    await waitForQuickInputHidden(page);
  }
  for (let attempt = 0; ; attempt++) {
    await page.keyboard.press(key);
    try {
      await widget.waitFor({ state: 'visible', timeout: 5_000 });
      break;
    } catch (error) {
      if (attempt >= 2) throw error;
      // Focus may be somewhere that ate the key (e.g. a webview still loading): focus the workbench.
      await page.locator('.monaco-workbench .part.statusbar').first().click({ position: { x: 2, y: 2 } }).catch(() => undefined);
    }
  }
  // Clear whatever the widget starts with (F1 pre-fills '>', Ctrl+G ':'), keep the prefix ourselves.
  const prefix = key === 'F1' ? '>' : key === 'Control+g' ? ':' : '';
  await waitUntil(`quick input to be ready for typing`, async () => {
    const value = await quickInputValue(page);
    return value !== undefined && value.startsWith(prefix);
  }, 5_000);
  const input = page.locator(`${QUICK_INPUT} .quick-input-box input`);
  await input.fill(prefix);
}

/** Runs a command by its palette title, e.g. "Fox Chat: Ask…": F1, type, check the highlighted row, Enter. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await pickFromQuickInput(page, 'F1', title, title, 'command');
}

export interface InputBoxOptions {
  /** Expect a password box (input type=password). */
  password?: boolean;
  /** Expect the input box's prompt/placeholder/title to match. */
  prompt?: RegExp;
  timeoutMs?: number;
}

/** Answers an input box opened by an extension (showInputBox): waits for it, fills `text`, Enter. */
export async function answerInputBox(page: Page, text: string, options: InputBoxOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  // The palette's own input (value '>...') may still be closing: wait for an input box that is not it.
  await waitUntil(
    'an extension input box to open',
    async () => {
      const value = await quickInputValue(page);
      return value !== undefined && !value.startsWith('>');
    },
    timeoutMs,
  );
  const input = page.locator(`${QUICK_INPUT} .quick-input-box input`);
  if (options.password) {
    const type = await input.getAttribute('type');
    if (type !== 'password') throw new Error(`expected a password input box, got type=${JSON.stringify(type)}`);
  }
  if (options.prompt) {
    const describe = await page.evaluate((selector) => {
      const widget = document.querySelector(selector);
      const input = widget?.querySelector('.quick-input-box input');
      return [
        widget?.querySelector('.quick-input-title')?.textContent ?? '',
        widget?.querySelector('.quick-input-message')?.textContent ?? '',
        input?.placeholder ?? '',
        input?.getAttribute('aria-label') ?? '',
      ].join(' | ');
    }, QUICK_INPUT);
    if (!options.prompt.test(describe)) {
      throw new Error(`input box text ${JSON.stringify(describe)} does not match ${options.prompt}`);
    }
  }
  await input.fill(text);
  await page.keyboard.press('Enter');
  await waitForQuickInputHidden(page, timeoutMs);
}

// ---------------------------------------------------------------------------------------------
// Views, webview, editor

export function activityBarItem(page: Page, title: string) {
  return page.locator(`.activitybar [aria-label^="${title}"]`).first();
}

/** True when the view container `title` is the active one in the activity bar. */
export async function isContainerOpen(page: Page, title: string): Promise<boolean> {
  return page.evaluate((t) => {
    const item = document.querySelector(`.activitybar [aria-label^="${t}"]`);
    const li = item?.closest('li.action-item') ?? item;
    return !!li && (li.classList.contains('checked') || li.getAttribute('aria-pressed') === 'true' || li.getAttribute('aria-selected') === 'true');
  }, title);
}

/** Opens the Fox Chat view container (does nothing when it is already showing). */
export async function openChatPanel(page: Page, title = 'Fox Chat'): Promise<Frame> {
  await waitForExtension(page, title);
  if (!(await isContainerOpen(page, title))) {
    await activityBarItem(page, title).click();
    await waitUntil(`the "${title}" container to be open`, () => isContainerOpen(page, title), 10_000);
  }
  return chatFrame(page);
}

/** The frame holding the chat webview's DOM (the nested iframe with #transcript). */
export async function chatFrame(page: Page, timeoutMs = 30_000): Promise<Frame> {
  return waitUntil(
    'the chat webview frame (#transcript)',
    async () => {
      for (const frame of page.frames()) {
        if (frame.isDetached() || frame === page.mainFrame()) continue;
        try {
          if (await frame.$('#transcript')) return frame;
        } catch {
          // frame navigating or detached: try the next one
        }
      }
      return undefined;
    },
    timeoutMs,
    150,
  );
}

/** Opens a workspace file with quick open (Ctrl+P) and waits until its editor is active. */
export async function openFile(page: Page, relPath: string): Promise<void> {
  const base = path.basename(relPath);
  await pickFromQuickInput(page, 'Control+p', relPath, base, 'file');
  await waitForQuickInputHidden(page);
  await page.locator(`.tabs-container .tab.active[aria-label^="${base}"]`).waitFor({ state: 'visible', timeout: 15_000 });
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor({ state: 'visible' });
  await waitUntil(
    `the editor of ${base} to have focus`,
    () => page.evaluate(() => !!document.activeElement?.closest('.monaco-editor')),
    10_000,
  );
}

/** Status bar text of the editor selection item, e.g. "Ln 7, Col 14 (132 selected)". */
export async function selectionStatus(page: Page): Promise<string> {
  return (await page.locator('#status\\.editor\\.selection').first().textContent({ timeout: 5_000 })) ?? '';
}

/**
 * Selects whole lines `start`..`end` (1-based, inclusive) in the active editor: Ctrl+G to `start`
 * (cursor at column 1), Shift+Down to `end`, Shift+End. Waits for the status bar to show the selection.
 */
export async function selectLines(page: Page, start: number, end: number): Promise<void> {
  await openQuickInput(page, 'Control+g');
  await page.locator(`${QUICK_INPUT} .quick-input-box input`).pressSequentially(String(start));
  await page.keyboard.press('Enter');
  await waitForQuickInputHidden(page);
  await waitUntil(`the cursor on line ${start}`, async () => /^Ln (\d+), Col 1\b/.exec(await selectionStatus(page))?.[1] === String(start), 10_000);
  for (let line = start; line < end; line++) await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+End');
  await waitUntil(
    `a selection ending on line ${end}`,
    async () => {
      const status = await selectionStatus(page);
      const match = /^Ln (\d+), Col \d+ \((\d+) selected\)/.exec(status);
      return match !== null && match[1] === String(end);
    },
    10_000,
  );
}

/** Right-clicks the current selection in the active editor and returns its (open) context menu. */
export async function openSelectionContextMenu(page: Page): Promise<Locator> {
  const selected = page.locator('.editor-group-container.active .monaco-editor .view-overlays .selected-text').first();
  // The selection highlight sits under the text layer: right-click at its position, as a user does.
  // Monaco redraws its overlays as the editor settles, so the element found a moment ago may be gone:
  // ask again until one is on screen.
  const box = await waitUntil('the editor selection on screen', async () => (await selected.boundingBox()) ?? undefined, 10_000);
  await page.mouse.click(box.x + Math.min(20, box.width / 2), box.y + box.height / 2, { button: 'right' });
  const menu = page.locator('.context-view .monaco-menu').first();
  await menu.waitFor({ state: 'visible', timeout: 10_000 });
  return menu;
}

/**
 * Right-clicks the current selection in the active editor and returns the labels of the editor
 * context menu (closing it again with Escape; the selection is kept).
 */
export async function editorContextMenuLabels(page: Page): Promise<string[]> {
  const menu = await openSelectionContextMenu(page);
  const labels = (await menu.locator('.action-item .action-label').allInnerTexts()).map((text) => text.trim()).filter(Boolean);
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'hidden', timeout: 10_000 });
  return labels;
}

// ---------------------------------------------------------------------------------------------
// Chat webview queries

export interface MessageSnapshot {
  role: string | null;
  state: string | null;
  text: string;
  error: string;
  chips: string[];
  actions: string[];
}

/** Every `.message` in the transcript, in order. */
export async function transcript(frame: Frame): Promise<MessageSnapshot[]> {
  return frame.evaluate(() =>
    Array.from(document.querySelectorAll('#transcript .message')).map((element) => {
      const body = element.querySelector('.message-body');
      const error = element.querySelector('.message-error');
      return {
        role: element.getAttribute('data-role'),
        state: element.getAttribute('data-state'),
        // innerText is empty for Markdown groups the browser has not laid out yet (markdown.css gives
        // them content-visibility: auto), e.g. right after the panel re-rendered: textContent then.
        text: (body?.innerText || body?.textContent || '').trim(),
        error: (error?.innerText ?? error?.textContent ?? '').trim(),
        chips: Array.from(element.querySelectorAll('.context-chip')).map((chip) => (chip.textContent ?? '').trim()),
        actions: Array.from(element.querySelectorAll('button[data-action]')).map((button) => button.getAttribute('data-action') ?? ''),
      };
    }),
  );
}

/** Waits until the transcript has at least `count` messages and returns them. */
export async function waitForMessageCount(frame: Frame, count: number, timeoutMs = 30_000): Promise<MessageSnapshot[]> {
  await frame.waitForFunction((n) => document.querySelectorAll('#transcript .message').length >= n, count, { timeout: timeoutMs });
  return transcript(frame);
}

/** Waits until message number `index` (0-based) has `data-state` in `states`; returns all messages. */
export async function waitForMessageState(frame: Frame, index: number, states: string[], timeoutMs = 30_000): Promise<MessageSnapshot[]> {
  try {
    await frame.waitForFunction(
      ([i, wanted]) => {
        const message = document.querySelectorAll('#transcript .message')[i];
        return !!message && (wanted).includes(message.getAttribute('data-state') ?? '');
      },
      [index, states] as const,
      { timeout: timeoutMs },
    );
  } catch (error) {
    const messages = await transcript(frame).catch(() => []);
    throw new Error(`message #${index} did not reach state ${states.join('|')}: ${(error as Error).message}\ntranscript: ${JSON.stringify(messages, null, 2)}`);
  }
  return transcript(frame);
}

/** Waits until the body text of message `index` contains `needle`. */
export async function waitForMessageText(frame: Frame, index: number, needle: string, timeoutMs = 30_000): Promise<void> {
  await frame.waitForFunction(
    ([i, text]) => {
      const body = document.querySelectorAll('#transcript .message')[i]?.querySelector('.message-body');
      return !!body && (body.innerText || body.textContent || '').includes(text);
    },
    [index, needle] as const,
    { timeout: timeoutMs },
  );
}

// ---------------------------------------------------------------------------------------------
// Failure diagnostics

export async function saveScreenshot(page: Page | undefined, name: string): Promise<string | undefined> {
  if (!page || page.isClosed()) return undefined;
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name.replace(/[^a-z0-9._-]+/gi, '_').slice(0, 120)}.png`);
  await page.screenshot({ path: file }).catch(() => undefined);
  return file;
}

/**
 * A mocha afterEach hook: on failure, saves a screenshot to test-results/ and prints the browser
 * console errors and the extension host / Fox Chat logs.
 */
export function screenshotOnFailure(get: () => { page?: Page; workbench?: Workbench; server?: CodeServer; extra?: () => string }) {
  return async function (this: Mocha.Context): Promise<void> {
    const test = this.currentTest;
    if (!test || test.state !== 'failed') return;
    const { page, workbench, server, extra } = get();
    const file = await saveScreenshot(page ?? workbench?.page, test.fullTitle());
    const parts = [`\n===== diagnostics for failed test: ${test.fullTitle()} =====`];
    if (file) parts.push(`screenshot: ${path.relative(process.cwd(), file)}`);
    if (workbench) {
      const lines = workbench.consoleLines
        .filter((line) => !/Failed to load resource|\[Service Worker\]|favicon|same-origin iframe|can escape its sandboxing/i.test(line)).slice(-40);
      parts.push(`--- browser console (errors/warnings, last ${lines.length}) ---`, ...lines);
    }
    if (server) parts.push(server.logs());
    if (extra) parts.push(extra());
    parts.push('===== end diagnostics =====');
    console.log(parts.join('\n'));
  };
}

/**
 * Changes user settings the way a user does: in the settings.json editor, saved with Ctrl+S (the
 * new text is pasted, so the editor's auto-closing brackets cannot mangle it). Needs the
 * clipboard permissions of the page's origin (grantPermissions clipboard-read/clipboard-write).
 */
export async function updateUserSettings(page: Page, server: CodeServer, change: Record<string, unknown>): Promise<void> {
  const settingsFile = path.join(server.userDataDir, 'User', 'settings.json');
  const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
  Object.assign(settings, change);
  const text = JSON.stringify(settings, null, 2);
  await runCommand(page, 'Preferences: Open User Settings (JSON)');
  // Typing into the editor before it shows the file, or before it has focus, loses the keys: wait
  // for both, and for the paste to make the tab dirty before saving.
  const editor = page.locator(`${ACTIVE_EDITOR}`).first();
  const firstKey = Object.keys(settings)[0] ?? '';
  await editor.locator('.view-lines', { hasText: firstKey }).waitFor({ state: 'visible' });
  await editor.locator('.view-lines').click();
  await page.locator(`${ACTIVE_EDITOR}.focused`).waitFor({ state: 'visible' });
  await page.evaluate(
    (value) => (globalThis as unknown as { navigator: { clipboard: { writeText(v: string): Promise<void> } } }).navigator.clipboard.writeText(value),
    text,
  );
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+V');
  await page.locator('.editor-group-container.active .tab.active.dirty').waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.press('Control+S');
  await waitUntil('settings.json to be saved', () => fs.readFileSync(settingsFile, 'utf8').trim() === text.trim(), 10_000);
  // The file is on disk before the editor clears its dirty mark; closing in between asks "Save?".
  await page.locator('.editor-group-container.active .tab.active.dirty').waitFor({ state: 'hidden', timeout: 10_000 });
  await runCommand(page, 'View: Close All Editors');
}

export interface WorkbenchSuite {
  mock: MockGateway;
  server: CodeServer;
  workbench: Workbench;
  page: Page;
}

export interface WorkbenchSuiteOptions {
  /** User settings besides foxChat.baseUrl (which points at the suite's mock gateway). */
  settings?: Record<string, unknown>;
  /** Extra workspace files besides the example. */
  files?: Record<string, string>;
  /** Store the mock's API key through "Fox Chat: Set API Key" before the first test. */
  setKey?: boolean;
  /** Display language, e.g. 'de' (CodeServerOptions.locale); give a language pack in `extensions`. */
  locale?: string;
  /** More extensions to install besides Fox Chat (CodeServerOptions.extensions). */
  extensions?: string[];
  /** Runs on the workspace folder before VS Code opens it (e.g. to make it a Git repository). */
  prepareWorkspace?: (folder: string) => void;
}

/**
 * Registers the hooks every end-to-end suite needs: one mock gateway, one code-server with the
 * packaged extension, one page (clipboard allowed, so settings can be pasted), torn down after
 * the suite, with a screenshot and the logs of each failing test. The returned object is filled
 * in by the `before` hook.
 */
export function useWorkbench(options: WorkbenchSuiteOptions = {}): WorkbenchSuite {
  const suite = {} as WorkbenchSuite;
  before(async function () {
    this.timeout(240_000);
    if (!fs.existsSync(DEFAULT_VSIX)) throw new Error(`${DEFAULT_VSIX} is missing: run \`npm run package\` first`);
    suite.mock = await startMockGateway();
    const workspace = makeWorkspace(options.files);
    options.prepareWorkspace?.(workspace);
    suite.server = await startCodeServer({
      workspace,
      vsixPath: DEFAULT_VSIX,
      settings: { 'foxChat.baseUrl': suite.mock.baseUrl, ...options.settings },
      locale: options.locale,
      extensions: options.extensions,
    });
    suite.workbench = await openWorkbench(suite.server.url, workspace);
    suite.page = suite.workbench.page;
    await suite.workbench.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.server.url });
    // Commands are only in the palette once the extension's contributions are registered; its
    // activity-bar entry appearing shows that.
    await waitForExtension(suite.page);
    if (options.setKey) {
      await runCommand(suite.page, 'Fox Chat: Set API Key');
      await answerInputBox(suite.page, suite.mock.apiKey, { password: true });
    }
  });

  after(async function () {
    this.timeout(60_000);
    // A failed `before` leaves the suite partly filled in; tear down whatever was started.
    const started: Partial<WorkbenchSuite> = suite;
    await started.workbench?.close();
    await started.server?.stop();
    if (started.server) fs.rmSync(started.server.workspace, { recursive: true, force: true });
    await started.mock?.close();
  });

  afterEach(
    screenshotOnFailure(() => ({
      ...suite,
      extra: () =>
        `--- mock gateway requests ---\n${((suite as Partial<WorkbenchSuite>).mock?.requests ?? [])
          .map((r) => `${r.method} ${r.path} auth=${String(r.headers.authorization)} aborted=${r.aborted === true} ${r.rawBody.slice(0, 300)}`)
          .join('\n')}`,
    })),
  );
  return suite;
}

// ---------------------------------------------------------------------------------------------
// Editor queries

/** The text the active editor shows, line by line (for files short enough to be all rendered). */
export async function editorLines(page: Page): Promise<string[]> {
  return page.evaluate((selector) => {
    return Array.from(document.querySelectorAll(`${selector} .view-lines .view-line`))
      .map((line) => ({ top: parseFloat(line.style.top) || 0, text: (line.textContent ?? '').replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text);
  }, ACTIVE_EDITOR);
}

/** A CodeLens of the active editor by its label, e.g. "Accept". */
export const codeLens = (page: Page, label: string) => page.locator(`${ACTIVE_EDITOR} .codelens-decoration a`, { hasText: label }).first();

// ---------------------------------------------------------------------------------------------
// Chat round trips

/** The next chat-completions request the mock receives from request number `since` on. */
export function nextChatRequest(mock: MockGateway, since: number, timeoutMs = 20_000): Promise<RecordedRequest> {
  return mock.waitForRequest((r) => mock.requests.indexOf(r) >= since && r.method === 'POST' && r.path === '/v1/chat/completions', timeoutMs);
}

/** Types `text` into the panel's composer and presses Enter; returns the transcript length before it. */
export async function sendFromComposer(frame: Frame, text: string): Promise<number> {
  const before = (await transcript(frame)).length;
  const input = frame.locator('textarea#composer-input');
  await input.click();
  await input.fill(text);
  await input.press('Enter');
  return before;
}

/** Messages in the chat transcript right now: 0 while the chat webview does not exist (no waiting). */
export async function messageCountNow(page: Page): Promise<number> {
  for (const frame of page.frames()) {
    if (frame.isDetached() || frame === page.mainFrame()) continue;
    const count = await frame
      .evaluate(() => (document.querySelector('#transcript') ? document.querySelectorAll('#transcript .message').length : -1))
      .catch(() => -1);
    if (count >= 0) return count;
  }
  return 0;
}

/** The text of a chat message's content as sent: a string, or the text of OpenAI content parts. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part: unknown) => (isRecord(part) && part.type === 'text' && typeof part.text === 'string' ? part.text : ''))
      .join('');
  }
  return '';
}

/** The text of the last user message a chat request carried. */
export function lastUserText(request: RecordedRequest): string {
  const messages = (request.body as { messages?: { role?: string; content?: unknown }[] }).messages ?? [];
  return contentText(messages.filter((message) => message.role === 'user').pop()?.content);
}

/** Types `text` into the composer key by key (so the completion list sees it) and waits for `option` to be the active one. */
export async function typeUntilOption(frame: Frame, text: string, option: string): Promise<void> {
  const input = frame.locator('textarea#composer-input');
  await input.click();
  await input.fill('');
  await input.pressSequentially(text);
  await waitUntil(
    `the completion list to offer ${option}`,
    () =>
      frame.evaluate(() => {
        const composer = document.querySelector('#composer-input');
        const id = composer?.getAttribute('aria-activedescendant');
        const active = id ? document.querySelector(`#${CSS.escape(id)}`) : null;
        return active?.getAttribute('role') === 'option' ? active.querySelector('.completion-label')?.textContent ?? undefined : undefined;
      }).then((label) => label === option),
    10_000,
  );
}
