// Browser side of bench/render.ts: streams deltas into a view on animation frames, as the webview
// does, and measures the main-thread work. Bundled only by the benchmark (browser code: type-checked
// with the DOM lib by bench/browser/tsconfig.json, not by the root tsconfig).
import DOMPurify from 'dompurify';
import { renderMarkdown } from '../../src/webview/render/incrementalMarkdown';
import { createSanitizer, type Sanitize } from '../../src/webview/render/sanitizer';
import { createStreamingView } from '../../src/webview/render/streamingView';

export type BenchMode = 'incremental' | 'naive';

export interface StreamBenchOptions {
  mode: BenchMode;
  deltas: readonly string[];
  /** Deltas delivered between two frames (a gateway's pace, in deltas per frame). */
  deltasPerFrame: number;
  /** Stop early (and say so) when the run takes longer than this. */
  budgetMs: number;
  /** Passed to createStreamingView; its default when absent. */
  groupSize?: number;
}

export interface StreamBenchResult {
  mode: BenchMode;
  completed: boolean;
  deltasFed: number;
  frames: number;
  /** Time inside our frame callbacks and appends, including the forced layout. */
  workMs: number;
  /** The longest frame while the stream arrives (the final render after the last delta is `finishMs`). */
  longestFrameMs: number;
  /** The render once the stream has ended (a closed fence is highlighted there, for one). */
  finishMs: number;
  longTaskCount: number;
  longestLongTaskMs: number;
  wallMs: number;
  htmlLength: number;
}

interface BenchView {
  append(delta: string): void;
  finish(): void;
}

/** The approach the renderer replaces: re-render the whole answer on every frame. */
function createNaiveView(container: HTMLElement, sanitize: Sanitize, requestFrame: (callback: () => void) => void): BenchView {
  let text = '';
  let queued = false;
  const render = (): void => {
    container.innerHTML = renderMarkdown(text, sanitize).html;
  };
  return {
    append(delta) {
      text += delta;
      if (!queued) {
        queued = true;
        requestFrame(() => {
          queued = false;
          render();
        });
      }
    },
    finish: render,
  };
}

export function runStreamBench(options: StreamBenchOptions): Promise<StreamBenchResult> {
  const transcript = document.getElementById('transcript') ?? document.body;
  transcript.replaceChildren();
  const container = document.createElement('div');
  container.className = 'message-body';
  transcript.append(container);
  const sanitize = createSanitizer(DOMPurify(window));

  let workMs = 0;
  let longestFrameMs = 0;
  let frames = 0;
  // Keep the end in view, as the webview does while an answer streams (reading scrollHeight forces layout).
  const timed = (work: () => void): number => {
    const start = performance.now();
    work();
    transcript.scrollTop = transcript.scrollHeight;
    const elapsed = performance.now() - start;
    workMs += elapsed;
    return elapsed;
  };
  const timedFrame = (work: () => void): void => {
    longestFrameMs = Math.max(longestFrameMs, timed(work));
  };
  const requestFrame = (callback: () => void): number =>
    requestAnimationFrame(() => {
      frames += 1;
      timedFrame(callback);
    });
  const view: BenchView =
    options.mode === 'incremental' ? createStreamingView(container, sanitize, { requestFrame, ...(options.groupSize === undefined ? {} : { groupSize: options.groupSize }) }) : createNaiveView(container, sanitize, requestFrame);

  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      longTasks.push(entry.duration);
    }
  });
  observer.observe({ type: 'longtask' });

  const started = performance.now();
  let next = 0;
  return new Promise((resolve) => {
    const feed = (): void => {
      const overBudget = performance.now() - started > options.budgetMs;
      if (next >= options.deltas.length || overBudget) {
        const finishMs = timed(() => view.finish());
        // Let the observer deliver the last entries before reporting.
        setTimeout(() => {
          observer.disconnect();
          resolve({
            mode: options.mode,
            completed: !overBudget,
            deltasFed: next,
            frames,
            workMs,
            longestFrameMs,
            finishMs,
            longTaskCount: longTasks.length,
            longestLongTaskMs: Math.max(0, ...longTasks),
            wallMs: performance.now() - started,
            htmlLength: container.innerHTML.length,
          });
        }, 50);
        return;
      }
      const end = Math.min(options.deltas.length, next + options.deltasPerFrame);
      timedFrame(() => {
        for (; next < end; next += 1) {
          view.append(options.deltas[next] ?? '');
        }
      });
      requestAnimationFrame(feed);
    };
    requestAnimationFrame(feed);
  });
}
