// Rendering cost of a streamed answer in headless Chromium with the real renderer bundle: total
// main-thread time for a 10k- and a 100k-token answer (linear means ~10x), against re-rendering the
// whole answer every frame. Deltas of 1-3 tokens, a fixed number per animation frame.
// Run: npx tsc -p . && node out/bench/render.js   (options: --per-frame N --naive-budget-ms N)

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { buildAnswer, splitIntoDeltas } from './renderAnswer';

const DELTAS_PER_FRAME = numberArg('--per-frame', 8);
const NAIVE_BUDGET_MS = numberArg('--naive-budget-ms', 10_000);
const TARGET_RATIO = 12;
const ROOT = repositoryRoot();

interface RunResult {
  mode: 'incremental' | 'naive';
  completed: boolean;
  deltasFed: number;
  frames: number;
  workMs: number;
  longestFrameMs: number;
  longTaskCount: number;
  longestLongTaskMs: number;
  wallMs: number;
  htmlLength: number;
}

interface Measured extends RunResult {
  tokens: number;
  deltas: number;
  /** CDP TaskDuration: every main-thread task (script, style, layout, paint setup, GC). */
  mainThreadMs: number;
  scriptMs: number;
  layoutMs: number;
}

function numberArg(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** The working directory when run from the repository (as documented), else found above this file. */
function repositoryRoot(): string {
  const marker = join('bench', 'browser', 'benchHarness.ts');
  for (let directory = __dirname; directory !== dirname(directory); directory = dirname(directory)) {
    if (existsSync(join(directory, marker))) {
      return directory;
    }
  }
  return process.cwd();
}

function isRunResult(value: unknown): value is RunResult {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const numbers = ['deltasFed', 'frames', 'workMs', 'longestFrameMs', 'longTaskCount', 'longestLongTaskMs', 'wallMs', 'htmlLength'];
  return numbers.every((key) => typeof Reflect.get(value, key) === 'number') && typeof Reflect.get(value, 'completed') === 'boolean';
}

async function bundleHarness(): Promise<string> {
  const result = await build({
    entryPoints: [join(ROOT, 'bench', 'browser', 'benchHarness.ts')],
    bundle: true,
    minify: true,
    write: false,
    format: 'iife',
    globalName: 'foxBench',
    platform: 'browser',
    target: 'chrome120',
    tsconfig: join(ROOT, 'bench', 'browser', 'tsconfig.json'),
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (output === undefined) {
    throw new Error('esbuild produced no bundle');
  }
  return output.text;
}

function pageHtml(): string {
  const css = ['chat.css', 'markdown.css'].map((file) => readFileSync(join(ROOT, 'media', file), 'utf8')).join('\n');
  // Sidebar-sized transcript, so layout has real line wrapping to do.
  return `<!DOCTYPE html><html><head><style>${css}</style></head><body style="width:420px;height:800px"><main id="transcript"></main></body></html>`;
}

async function metrics(session: CDPSession): Promise<Map<string, number>> {
  const { metrics: list } = await session.send('Performance.getMetrics');
  return new Map(list.map((metric) => [metric.name, metric.value]));
}

async function run(browser: Browser, bundle: string, mode: RunResult['mode'], tokens: number, budgetMs: number): Promise<Measured> {
  const page: Page = await browser.newPage();
  try {
    await page.setContent(pageHtml());
    await page.addScriptTag({ content: bundle });
    const session = await page.context().newCDPSession(page);
    await session.send('Performance.enable', { timeDomain: 'threadTicks' });
    const deltas = splitIntoDeltas(buildAnswer(tokens));
    await page.evaluate(`window.benchDeltas = ${JSON.stringify(deltas)}`);
    const before = await metrics(session);
    const options = `{ mode: ${JSON.stringify(mode)}, deltas: window.benchDeltas, deltasPerFrame: ${DELTAS_PER_FRAME}, budgetMs: ${budgetMs} }`;
    const raw: unknown = await page.evaluate(`foxBench.runStreamBench(${options})`);
    const after = await metrics(session);
    if (!isRunResult(raw)) {
      throw new Error(`unexpected result from the page: ${JSON.stringify(raw)}`);
    }
    const delta = (name: string): number => ((after.get(name) ?? 0) - (before.get(name) ?? 0)) * 1000;
    return {
      ...raw,
      mode,
      tokens,
      deltas: deltas.length,
      mainThreadMs: delta('TaskDuration'),
      scriptMs: delta('ScriptDuration'),
      layoutMs: delta('LayoutDuration') + delta('RecalcStyleDuration'),
    };
  } finally {
    await page.close();
  }
}

function row(result: Measured): string {
  const fed = result.completed ? '' : `  (stopped at budget: ${((100 * result.deltasFed) / result.deltas).toFixed(0)}% of the stream)`;
  return (
    `${result.mode.padEnd(11)} ${`${result.tokens / 1000}k`.padStart(5)} tokens ${String(result.deltas).padStart(6)} deltas ${String(result.frames).padStart(6)} frames | ` +
    `main thread ${result.mainThreadMs.toFixed(0).padStart(7)} ms (script ${result.scriptMs.toFixed(0)}, style+layout ${result.layoutMs.toFixed(0)}) | ` +
    `render work ${result.workMs.toFixed(0).padStart(7)} ms | longest frame ${result.longestFrameMs.toFixed(1)} ms | ` +
    `long tasks ${result.longTaskCount} (max ${result.longestLongTaskMs.toFixed(0)} ms) | wall ${(result.wallMs / 1000).toFixed(1)} s${fed}`
  );
}

async function main(): Promise<void> {
  const started = Date.now();
  const bundle = await bundleHarness();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
      // Frames back to back instead of at 60 Hz: the work per frame is what is measured, not vsync waits.
      '--disable-frame-rate-limit', '--disable-gpu-vsync',
    ],
  });
  try {
    console.log(`webview bundle for the bench: ${(bundle.length / 1024).toFixed(0)} KiB minified; ${DELTAS_PER_FRAME} deltas (1-3 tokens each) per animation frame`);
    await run(browser, bundle, 'incremental', 2_000, Infinity); // warm-up, not reported
    const incremental10k = await run(browser, bundle, 'incremental', 10_000, Infinity);
    console.log(row(incremental10k));
    const incremental100k = await run(browser, bundle, 'incremental', 100_000, Infinity);
    console.log(row(incremental100k));
    const naive1k = await run(browser, bundle, 'naive', 1_000, Infinity);
    console.log(row(naive1k));
    const naive10k = await run(browser, bundle, 'naive', 10_000, Infinity);
    console.log(row(naive10k));
    const naive100k = await run(browser, bundle, 'naive', 100_000, NAIVE_BUDGET_MS);
    console.log(row(naive100k));

    const ratio = incremental100k.mainThreadMs / incremental10k.mainThreadMs;
    const naiveRatio = naive10k.mainThreadMs / naive1k.mainThreadMs;
    console.log('');
    console.log(`incremental: 100k / 10k main-thread time = ${ratio.toFixed(1)}x (target <= ${TARGET_RATIO}x for 10x the text) ${ratio <= TARGET_RATIO ? 'PASS' : 'FAIL'}`);
    console.log(`naive:       10k / 1k main-thread time   = ${naiveRatio.toFixed(1)}x for 10x the text (quadratic)`);
    console.log(`at 10k tokens naive costs ${(naive10k.mainThreadMs / incremental10k.mainThreadMs).toFixed(1)}x the incremental renderer; ` +
      `naive 100k ${naive100k.completed ? 'took' : 'had used'} ${naive100k.mainThreadMs.toFixed(0)} ms main thread ` +
      `${naive100k.completed ? '' : `after ${((100 * naive100k.deltasFed) / naive100k.deltas).toFixed(0)}% of the stream `}vs ${incremental100k.mainThreadMs.toFixed(0)} ms incremental for all of it`);
    console.log(`longest task: incremental 100k ${incremental100k.longestFrameMs.toFixed(1)} ms, naive ${naive100k.longestFrameMs.toFixed(1)} ms`);
    console.log(`total bench time ${((Date.now() - started) / 1000).toFixed(0)} s`);
    if (ratio > TARGET_RATIO) {
      process.exitCode = 1;
    }
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
