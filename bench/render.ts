// Rendering cost of a streamed answer in headless Chromium with the real renderer bundle: total
// main-thread time for a 10k- and a 100k-token answer (linear means ~10x), against re-rendering the
// whole answer every frame. Deltas of 1-3 tokens, a fixed number per animation frame. Then large
// blocks in 8 KB frames: a 500 KB open code fence against the same code as closed blocks, and a 2 MB
// single line. Exits non-zero when a target is missed.
// Run: npm run bench:render   (options: --per-frame N --naive-budget-ms N --repeats N)

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { bundleBrowserEntry, bundlePanel, CONVERSATION_BYTES, CONVERSATION_MESSAGES, measureOpen, measureTyping } from './conversation';
import { buildAnswer, splitIntoDeltas } from './renderAnswer';
import { summarize, type Summary } from './summary';

const DELTAS_PER_FRAME = numberArg('--per-frame', 8);
const NAIVE_BUDGET_MS = numberArg('--naive-budget-ms', 10_000);
const REPEATS = numberArg('--repeats', 3);
const TARGET_RATIO = 12;
/** The issue's target for 100k / 10k; 12x stays the pass line, this one is printed alongside. */
const ISSUE_TARGET_RATIO = 10.5;
const LARGE_FRAME_CHARS = 8 * 1024;
const TARGET_OPEN_OVER_CLOSED = 3;
const TARGET_LONGEST_FRAME_MS = 50;
const TARGET_OPEN_CONVERSATION_MS = 300;
const TARGET_KEY_MS = 16;
const OPEN_REPEATS = numberArg('--open-repeats', 5);
const TYPING_RUNS = numberArg('--typing-runs', 3);
const KEYS_PER_RUN = 30;
const KEY_GAP_MS = 40;
const ROOT = repositoryRoot();

interface RunResult {
  mode: 'incremental' | 'naive';
  completed: boolean;
  deltasFed: number;
  frames: number;
  workMs: number;
  longestFrameMs: number;
  finishMs: number;
  longTaskCount: number;
  longestLongTaskMs: number;
  wallMs: number;
  htmlLength: number;
}

interface Measured extends RunResult {
  label: string;
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
  const numbers = ['deltasFed', 'frames', 'workMs', 'longestFrameMs', 'finishMs', 'longTaskCount', 'longestLongTaskMs', 'wallMs', 'htmlLength'];
  return numbers.every((key) => typeof Reflect.get(value, key) === 'number') && typeof Reflect.get(value, 'completed') === 'boolean';
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

interface Stream {
  label: string;
  deltas: readonly string[];
  deltasPerFrame: number;
}

function tokenStream(tokens: number): Stream {
  return { label: `${tokens / 1000}k tokens`, deltas: splitIntoDeltas(buildAnswer(tokens)), deltasPerFrame: DELTAS_PER_FRAME };
}

/** A gateway that sends big chunks: one 8 KB delta per frame. */
function largeFrameStream(label: string, text: string): Stream {
  const deltas: string[] = [];
  for (let offset = 0; offset < text.length; offset += LARGE_FRAME_CHARS) {
    deltas.push(text.slice(offset, offset + LARGE_FRAME_CHARS));
  }
  return { label, deltas, deltasPerFrame: 1 };
}

function codeLine(line: number): string {
  return line % 5 === 0 ? `  // step ${line}: the renderer appends only what changed since the last frame` : `  const value${line} = compute(${line}, "tokens") + ${line * 3};`;
}

/** About `chars` of TypeScript lines. */
function codeLines(chars: number): string[] {
  const lines: string[] = [];
  for (let length = 0, line = 0; length < chars; line += 1) {
    const next = codeLine(line);
    lines.push(next);
    length += next.length + 1;
  }
  return lines;
}

/** One code fence that never closes while it streams: above 8 KB the renderer shows it as plain text. */
function openFence(chars: number): string {
  return '```ts\n' + codeLines(chars).join('\n') + '\n';
}

/** The same lines as closed fences of about 4 KB each, so no open block grows past the preview size. */
function closedFences(chars: number): string {
  const lines = codeLines(chars);
  const blocks: string[] = [];
  for (let start = 0; start < lines.length; start += 60) {
    blocks.push('```ts\n' + lines.slice(start, start + 60).join('\n') + '\n```\n');
  }
  return blocks.join('\n');
}

/** One paragraph line without a newline, of words. */
function singleLine(chars: number): string {
  const words = ['the', 'renderer', 'streams', 'one', 'very', 'long', 'line', 'of', 'text'];
  const parts: string[] = [];
  for (let length = 0, i = 0; length < chars; i += 1) {
    const word = words[i % words.length] ?? 'x';
    parts.push(word);
    length += word.length + 1;
  }
  return parts.join(' ').slice(0, chars);
}

async function run(browser: Browser, bundle: string, mode: RunResult['mode'], stream: Stream, budgetMs: number): Promise<Measured> {
  const page: Page = await browser.newPage();
  try {
    await page.setContent(pageHtml());
    await page.addScriptTag({ content: bundle });
    const session = await page.context().newCDPSession(page);
    await session.send('Performance.enable', { timeDomain: 'threadTicks' });
    const deltas = stream.deltas;
    await page.evaluate(`window.benchDeltas = ${JSON.stringify(deltas)}`);
    const before = await metrics(session);
    const options = `{ mode: ${JSON.stringify(mode)}, deltas: window.benchDeltas, deltasPerFrame: ${stream.deltasPerFrame}, budgetMs: ${budgetMs} }`;
    const raw: unknown = await page.evaluate(`foxBench.runStreamBench(${options})`);
    const after = await metrics(session);
    if (!isRunResult(raw)) {
      throw new Error(`unexpected result from the page: ${JSON.stringify(raw)}`);
    }
    const delta = (name: string): number => ((after.get(name) ?? 0) - (before.get(name) ?? 0)) * 1000;
    return {
      ...raw,
      mode,
      label: stream.label,
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
    `${result.mode.padEnd(11)} ${result.label.padStart(18)} ${String(result.deltas).padStart(6)} deltas ${String(result.frames).padStart(6)} frames | ` +
    `main thread ${result.mainThreadMs.toFixed(0).padStart(7)} ms (script ${result.scriptMs.toFixed(0)}, style+layout ${result.layoutMs.toFixed(0)}) | ` +
    `render work ${result.workMs.toFixed(0).padStart(7)} ms | longest frame ${result.longestFrameMs.toFixed(1)} ms, final render ${result.finishMs.toFixed(1)} ms | ` +
    `long tasks ${result.longTaskCount} (max ${result.longestLongTaskMs.toFixed(0)} ms) | wall ${(result.wallMs / 1000).toFixed(1)} s${fed}`
  );
}

function show(s: Summary): string {
  return `min ${s.min.toFixed(1)} / median ${s.median.toFixed(1)} / max ${s.max.toFixed(1)} ms`;
}

async function main(): Promise<void> {
  const started = Date.now();
  const bundle = await bundleBrowserEntry(ROOT, 'benchHarness.ts', 'foxBench');
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
    await run(browser, bundle, 'incremental', tokenStream(2_000), Infinity); // warm-up, not reported
    // The 10k answer takes a few seconds, where one disturbed second moves the ratio by a third: it is
    // measured three times and the median run is compared (the 100k run is long enough on its own).
    const tenK = tokenStream(10_000);
    const incremental10kRuns: Measured[] = [];
    for (let repeat = 0; repeat < 3; repeat += 1) {
      incremental10kRuns.push(await run(browser, bundle, 'incremental', tenK, Infinity));
      console.log(row(incremental10kRuns[repeat] as Measured));
    }
    const incremental10k = [...incremental10kRuns].sort((a, b) => a.mainThreadMs - b.mainThreadMs)[1] as Measured;
    const incremental100k = await run(browser, bundle, 'incremental', tokenStream(100_000), Infinity);
    console.log(row(incremental100k));
    const naive1k = await run(browser, bundle, 'naive', tokenStream(1_000), Infinity);
    console.log(row(naive1k));
    const naive10k = await run(browser, bundle, 'naive', tokenStream(10_000), Infinity);
    console.log(row(naive10k));
    const naive100k = await run(browser, bundle, 'naive', tokenStream(100_000), NAIVE_BUDGET_MS);
    console.log(row(naive100k));

    const verdicts: boolean[] = [];
    const verdict = (pass: boolean): string => {
      verdicts.push(pass);
      return pass ? 'PASS' : 'MISS';
    };
    const ratio = incremental100k.mainThreadMs / incremental10k.mainThreadMs;
    const naiveRatio = naive10k.mainThreadMs / naive1k.mainThreadMs;
    console.log('');
    console.log(`incremental 10k main thread ${show(summarize(incremental10kRuns.map((r) => r.mainThreadMs)))} (3 runs; the median run is compared)`);
    console.log(`incremental: 100k / 10k main-thread time = ${ratio.toFixed(1)}x for 10x the text: target <= ${TARGET_RATIO}x ${verdict(ratio <= TARGET_RATIO)}; ` +
      `issue target <= ${ISSUE_TARGET_RATIO}x ${verdict(ratio <= ISSUE_TARGET_RATIO)}`);
    console.log(`naive:       10k / 1k main-thread time   = ${naiveRatio.toFixed(1)}x for 10x the text (quadratic)`);
    console.log(`at 10k tokens naive costs ${(naive10k.mainThreadMs / incremental10k.mainThreadMs).toFixed(1)}x the incremental renderer; ` +
      `naive 100k ${naive100k.completed ? 'took' : 'had used'} ${naive100k.mainThreadMs.toFixed(0)} ms main thread ` +
      `${naive100k.completed ? '' : `after ${((100 * naive100k.deltasFed) / naive100k.deltas).toFixed(0)}% of the stream `}vs ${incremental100k.mainThreadMs.toFixed(0)} ms incremental for all of it`);
    console.log(`longest task: incremental 100k ${incremental100k.longestFrameMs.toFixed(1)} ms, naive ${naive100k.longestFrameMs.toFixed(1)} ms`);

    // Large blocks, each case repeated and interleaved; targets are judged on the medians.
    const large: Array<[string, Stream]> = [
      ['open', largeFrameStream('500 KB open fence', openFence(500 * 1024))],
      ['closed', largeFrameStream('500 KB closed fences', closedFences(500 * 1024))],
      ['line', largeFrameStream('2 MB single line', singleLine(2 * 1024 * 1024))],
    ];
    const samples = new Map<string, Measured[]>(large.map(([key]) => [key, []]));
    console.log('');
    console.log(`large blocks in ${LARGE_FRAME_CHARS / 1024} KB frames, ${REPEATS} interleaved repeats:`);
    for (let repeat = 0; repeat < REPEATS; repeat += 1) {
      for (const [key, stream] of large) {
        const result = await run(browser, bundle, 'incremental', stream, Infinity);
        samples.get(key)?.push(result);
        console.log(row(result));
      }
    }
    const stat = (key: string, pick: (result: Measured) => number): Summary => summarize((samples.get(key) ?? []).map(pick));
    console.log('');
    for (const [key, stream] of large) {
      console.log(`${stream.label.padEnd(22)} main thread ${show(stat(key, (r) => r.mainThreadMs))}; longest streaming frame ${show(stat(key, (r) => r.longestFrameMs))}; ` +
        `final render ${show(stat(key, (r) => r.finishMs))}`);
    }
    const openOverClosed = stat('open', (r) => r.mainThreadMs).median / stat('closed', (r) => r.mainThreadMs).median;
    const openLongest = stat('open', (r) => r.longestFrameMs).median;
    const lineLongest = stat('line', (r) => r.longestFrameMs).median;
    console.log('');
    console.log(`500 KB open fence / closed fences main-thread time = ${openOverClosed.toFixed(2)}x: target <= ${TARGET_OPEN_OVER_CLOSED}x ${verdict(openOverClosed <= TARGET_OPEN_OVER_CLOSED)}`);
    console.log(`500 KB open fence longest streaming frame (median) = ${openLongest.toFixed(1)} ms: target <= ${TARGET_LONGEST_FRAME_MS} ms ${verdict(openLongest <= TARGET_LONGEST_FRAME_MS)}`);
    console.log(`2 MB single line longest streaming frame (median)  = ${lineLongest.toFixed(1)} ms: target <= ${TARGET_LONGEST_FRAME_MS} ms ${verdict(lineLongest <= TARGET_LONGEST_FRAME_MS)}`);

    // Long chats, in the real panel bundle: open a 1 MB conversation; type while an answer streams.
    const panelBundle = await bundlePanel(ROOT);
    await measureOpen(browser, ROOT, panelBundle); // warm-up, not reported
    const opens = [];
    for (let repeat = 0; repeat < OPEN_REPEATS; repeat += 1) {
      opens.push(await measureOpen(browser, ROOT, panelBundle));
    }
    const first = opens[0];
    const openMain = summarize(opens.map((o) => o.mainThreadMs));
    console.log('');
    console.log(`${CONVERSATION_MESSAGES}-message conversation (${((first?.chars ?? 0) / 1024).toFixed(0)} KB, ${(CONVERSATION_BYTES / 1024).toFixed(0)} KB target) opened ${OPEN_REPEATS}x: ` +
      `main thread ${show(openMain)} (script ${show(summarize(opens.map((o) => o.scriptMs)))}, style+layout ${show(summarize(opens.map((o) => o.layoutMs)))}); ` +
      `answers rendered at open ${opens.map((o) => o.renderedAnswers).join('/')} of ${CONVERSATION_MESSAGES / 2}, wall ${show(summarize(opens.map((o) => o.wallMs)))}`);
    const keyLatencies: number[] = [];
    const runMedians: number[] = [];
    for (let run = 0; run < TYPING_RUNS; run += 1) {
      const typing = await measureTyping(browser, ROOT, panelBundle, KEYS_PER_RUN, KEY_GAP_MS, DELTAS_PER_FRAME);
      keyLatencies.push(...typing.latenciesMs);
      const s = summarize(typing.latenciesMs);
      runMedians.push(s.median);
      console.log(`typing while an answer streams (run ${run + 1}): ${typing.latenciesMs.length} of ${typing.keys} keys measured, per key ${show(s)}; ${typing.deltasFed} deltas in ${typing.frames} frames`);
    }
    const keys = summarize(keyLatencies);
    const p95 = [...keyLatencies].sort((a, b) => a - b)[Math.floor(keyLatencies.length * 0.95)] ?? Number.NaN;
    console.log('');
    console.log(`1 MB conversation open, main thread (median of ${OPEN_REPEATS}) = ${openMain.median.toFixed(1)} ms: target < ${TARGET_OPEN_CONVERSATION_MS} ms ${verdict(openMain.median < TARGET_OPEN_CONVERSATION_MS)}`);
    console.log(`composer key latency while streaming (keydown to next rendered frame, wall clock), median of ${keyLatencies.length} keys = ${keys.median.toFixed(1)} ms ` +
      `(p95 ${p95.toFixed(1)}, max ${keys.max.toFixed(1)}): target < ${TARGET_KEY_MS} ms ${verdict(keys.median < TARGET_KEY_MS)}`);

    const missed = verdicts.filter((pass) => !pass).length;
    console.log('');
    console.log(missed > 0 ? `${missed} target(s) missed` : 'all targets met');
    console.log(`total bench time ${((Date.now() - started) / 1000).toFixed(0)} s`);
    if (missed > 0) {
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
