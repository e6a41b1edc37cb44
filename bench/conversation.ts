// The long-chat cases of bench/render.ts, in the real panel (src/webview/main.ts bundled as the
// extension ships it, with chat.css and markdown.css): opening a 200-message, 1 MB conversation, and
// the latency of keys typed in the composer while an answer streams.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, CDPSession, Page } from 'playwright-core';
import type { AssistantMessageView, HostToWebview, MessageView } from '../src/protocol';
import { panelMarkup } from '../test/unit/webview/panelMarkup';
import { testStrings } from '../test/unit/webview/parts';
import { buildAnswer, splitIntoDeltas } from './renderAnswer';

export const CONVERSATION_MESSAGES = 200;
export const CONVERSATION_BYTES = 1024 * 1024;
const STREAMING_ID = 'streaming-answer';

export interface OpenMeasured {
  /** CDP TaskDuration from dispatching `init` until its first frame is rendered. */
  mainThreadMs: number;
  scriptMs: number;
  /** Style and layout. */
  layoutMs: number;
  wallMs: number;
  messages: number;
  renderedAnswers: number;
  chars: number;
}

export interface TypingMeasured {
  latenciesMs: number[];
  keys: number;
  deltasFed: number;
  frames: number;
}

/**
 * `bench/browser/<entry>` bundled for the page as the webview is bundled (SVG as text), as a script
 * that exposes its exports as `globalName`. Minified unless BENCH_NO_MINIFY is set (for readable profiles).
 */
export async function bundleBrowserEntry(root: string, entry: string, globalName: string): Promise<string> {
  const result = await build({
    loader: { '.svg': 'text' },
    entryPoints: [join(root, 'bench', 'browser', entry)],
    bundle: true,
    minify: process.env.BENCH_NO_MINIFY === undefined,
    write: false,
    format: 'iife',
    globalName,
    platform: 'browser',
    target: 'chrome120',
    tsconfig: join(root, 'bench', 'browser', 'tsconfig.json'),
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (output === undefined) {
    throw new Error(`esbuild produced no bundle of ${entry}`);
  }
  return output.text;
}

/** The real panel (src/webview/main.ts) with the bench's stand-in for the VS Code API, as `foxPanel`. */
export function bundlePanel(root: string): Promise<string> {
  return bundleBrowserEntry(root, 'panelHarness.ts', 'foxPanel');
}

/** The panel's own markup (from src/panel/webviewHtml.ts, so the two cannot drift) with the CSS inlined. */
export function panelPage(root: string): string {
  const body = panelMarkup(root);
  const css = ['chat.css', 'markdown.css'].map((file) => readFileSync(join(root, 'media', file), 'utf8')).join('\n');
  // Sidebar-sized, as in the render cases.
  return `<!DOCTYPE html><html><head><style>${css}</style></head><body style="width:420px;height:800px">${body}</body></html>`;
}

/** 100 questions and 100 answers (prose, lists, tables, code) adding up to about 1 MB. */
export function conversation(streamingLast: boolean): MessageView[] {
  const pairs = CONVERSATION_MESSAGES / 2;
  const question = (index: number): string => `Question ${index}: how does the renderer keep a long chat light while it streams? `.repeat(3);
  const answerChars = Math.floor(CONVERSATION_BYTES / pairs) - question(0).length;
  const messages: MessageView[] = [];
  for (let index = 0; index < pairs; index += 1) {
    messages.push({ id: `q${index}`, role: 'user', text: question(index), context: [] });
    const answer: AssistantMessageView = {
      id: `a${index}`,
      role: 'assistant',
      text: buildAnswer(Math.floor(answerChars / 4), 100 + index),
      state: 'done',
      model: 'gpt-4o',
      finishReason: 'stop',
      usage: { prompt: 1000, completion: 2500, total: 3500 },
    };
    messages.push(answer);
  }
  if (streamingLast) {
    messages.push({ id: 'q-last', role: 'user', text: question(pairs), context: [] });
    messages.push({ id: STREAMING_ID, role: 'assistant', text: '', state: 'streaming', model: 'gpt-4o' });
  }
  return messages;
}

function initMessage(messages: MessageView[]): HostToWebview {
  const last = messages.at(-1);
  return {
    type: 'init',
    strings: testStrings,
    state: { messages, pendingContext: [], streaming: last?.role === 'assistant' && last.state === 'streaming', model: 'gpt-4o', gateway: 'http://127.0.0.1' },
  };
}

async function durationsMs(session: CDPSession): Promise<{ task: number; script: number; layout: number }> {
  const { metrics } = await session.send('Performance.getMetrics');
  const ms = (name: string): number => (metrics.find((metric) => metric.name === name)?.value ?? 0) * 1000;
  return { task: ms('TaskDuration'), script: ms('ScriptDuration'), layout: ms('LayoutDuration') + ms('RecalcStyleDuration') };
}

async function openPanel(browser: Browser, root: string, bundle: string): Promise<{ page: Page; session: CDPSession }> {
  const page = await browser.newPage();
  await page.setContent(panelPage(root));
  await page.addScriptTag({ content: bundle });
  const session = await page.context().newCDPSession(page);
  await session.send('Performance.enable', { timeDomain: 'threadTicks' });
  return { page, session };
}

function isOpenResult(value: unknown): value is { wallMs: number; messages: number; renderedChars: number; renderedAnswers: number } {
  return typeof value === 'object' && value !== null && ['wallMs', 'messages', 'renderedChars', 'renderedAnswers'].every((key) => typeof Reflect.get(value, key) === 'number');
}

/** Opens the panel on the whole conversation at once, as the host's `init` does when the panel is shown. */
export async function measureOpen(browser: Browser, root: string, bundle: string): Promise<OpenMeasured> {
  const { page, session } = await openPanel(browser, root, bundle);
  try {
    const messages = conversation(false);
    await page.evaluate(`window.benchInit = ${JSON.stringify(initMessage(messages))}`);
    const before = await durationsMs(session);
    const raw: unknown = await page.evaluate('foxPanel.openConversation(window.benchInit)');
    const after = await durationsMs(session);
    if (!isOpenResult(raw)) {
      throw new Error(`unexpected result from the page: ${JSON.stringify(raw)}`);
    }
    if (raw.messages !== messages.length) {
      throw new Error(`the panel shows ${raw.messages} messages, expected ${messages.length}`);
    }
    const chars = messages.reduce((sum, message) => sum + (message.role === 'tool' ? 0 : message.text.length), 0);
    return {
      mainThreadMs: after.task - before.task,
      scriptMs: after.script - before.script,
      layoutMs: after.layout - before.layout,
      wallMs: raw.wallMs,
      messages: raw.messages,
      renderedAnswers: raw.renderedAnswers,
      chars,
    };
  } finally {
    await page.close();
  }
}

function isTypingResult(value: unknown): value is { latenciesMs: number[]; deltasFed: number; frames: number } {
  return typeof value === 'object' && value !== null && Array.isArray(Reflect.get(value, 'latenciesMs')) && typeof Reflect.get(value, 'deltasFed') === 'number';
}

/**
 * The same conversation plus a question whose answer streams (1-3-token deltas, `deltasPerFrame`
 * per frame) while `keys` keys are typed into the composer as real key events, `gapMs` apart.
 */
export async function measureTyping(browser: Browser, root: string, bundle: string, keys: number, gapMs: number, deltasPerFrame: number): Promise<TypingMeasured> {
  const { page } = await openPanel(browser, root, bundle);
  try {
    await page.evaluate(`window.benchInit = ${JSON.stringify(initMessage(conversation(true)))}`);
    await page.evaluate('foxPanel.openConversation(window.benchInit)');
    await page.evaluate(`window.benchDeltas = ${JSON.stringify(splitIntoDeltas(buildAnswer(40_000, 9)))}`);
    await page.evaluate(`foxPanel.startStreamingWhileTyping(${JSON.stringify(STREAMING_ID)}, window.benchDeltas, ${deltasPerFrame})`);
    const text = 'typing while the answer streams ';
    for (let key = 0; key < keys; key += 1) {
      await page.keyboard.press(text[key % text.length] === ' ' ? 'Space' : (text[key % text.length] ?? 'a'));
      await page.waitForTimeout(gapMs);
    }
    const raw: unknown = await page.evaluate('foxPanel.stopStreaming()');
    if (!isTypingResult(raw)) {
      throw new Error(`unexpected result from the page: ${JSON.stringify(raw)}`);
    }
    const typed = await page.inputValue('#composer-input');
    if (typed.length !== keys) {
      throw new Error(`the composer holds ${typed.length} characters, expected ${keys}`);
    }
    return { latenciesMs: raw.latenciesMs, keys, deltasFed: raw.deltasFed, frames: raw.frames };
  } finally {
    await page.close();
  }
}
