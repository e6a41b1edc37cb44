// vscode-free: the scanning loop of search_text. It runs on the extension host's only thread, so it
// hands the thread back regularly, stops at once on Stop, and gives up after a budget of bytes and
// time with what it found so far: a search never holds the editor hostage, whatever the workspace.
import type { LineMatcher } from './textMatcher';

export interface ScannedFile {
  /** The path as the model sees it. */
  display: string;
  text: string;
}

export interface ScanLimits {
  /** Matches to collect; one more is looked for, to tell whether there are more. */
  maxMatches: number;
  /** Characters of file text to scan in all, at most. */
  maxChars: number;
  /** Wall-clock time the whole search may take, ms. */
  maxMillis: number;
  /** Longest stretch of work between two yields to the event loop, ms. */
  sliceMillis: number;
  /** A matching line is shown up to this many characters. */
  maxLineChars: number;
}

export interface ScanEnvironment {
  signal: AbortSignal;
  now: () => number;
  /** Lets other work (the UI's messages, Stop) run; e.g. `() => new Promise(setImmediate)`. */
  yieldToEventLoop: () => Promise<void>;
}

export interface ScanOutcome {
  matches: string[];
  /** More matches exist than maxMatches. */
  more: boolean;
  /** Why the scan ended before every file was read. */
  cutShort?: 'stopped' | 'size' | 'time';
  filesScanned: number;
}

export const DEFAULT_SCAN_LIMITS: Omit<ScanLimits, 'maxMatches'> = {
  maxChars: 50 * 1024 * 1024,
  maxMillis: 10_000,
  sliceMillis: 15,
  maxLineChars: 240,
};

/** How many lines are matched between two looks at the clock (reading it is not free). */
const LINES_PER_CLOCK_CHECK = 16;

export async function scanFiles(files: AsyncIterable<ScannedFile>, matches: LineMatcher, limits: ScanLimits, env: ScanEnvironment): Promise<ScanOutcome> {
  const started = env.now();
  let sliceStarted = started;
  const found: string[] = [];
  let chars = 0;
  let filesScanned = 0;
  const outcome = (cutShort?: ScanOutcome['cutShort']): ScanOutcome => ({
    matches: found.slice(0, limits.maxMatches),
    more: found.length > limits.maxMatches,
    cutShort,
    filesScanned,
  });
  /** Yields when the current slice of work is used up; says why to stop, if the scan must. */
  const pause = async (force: boolean): Promise<ScanOutcome['cutShort']> => {
    const now = env.now();
    if (force || now - sliceStarted >= limits.sliceMillis) {
      await env.yieldToEventLoop();
      sliceStarted = env.now();
    }
    if (env.signal.aborted) return 'stopped';
    if (env.now() - started >= limits.maxMillis) return 'time';
    return undefined;
  };

  for await (const file of files) {
    if (env.signal.aborted) return outcome('stopped');
    if (chars + file.text.length > limits.maxChars) return outcome('size');
    chars += file.text.length;
    filesScanned++;
    const lines = file.text.split(/\r?\n/);
    for (const [index, line] of lines.entries()) {
      if (index % LINES_PER_CLOCK_CHECK === LINES_PER_CLOCK_CHECK - 1) {
        const stop = await pause(false);
        if (stop) return outcome(stop);
      }
      if (matches(line)) {
        found.push(`${file.display}:${index + 1}: ${line.trim().slice(0, limits.maxLineChars)}`);
        if (found.length > limits.maxMatches) return outcome();
      }
    }
    const stop = await pause(false);
    if (stop) return outcome(stop);
  }
  return outcome();
}
