// Builds browser code from src/webview/render with esbuild, to run in jsdom. The DOM-touching files
// are loaded this way, never imported, so the Node test compile (no DOM lib) does not type-check them.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

/** The repository root: the working directory when mocha runs from it, else found above this file. */
export function repositoryRoot(): string {
  const marker = join('src', 'webview', 'render');
  if (existsSync(join(process.cwd(), marker))) {
    return process.cwd();
  }
  for (let directory = __dirname; directory !== dirname(directory); directory = dirname(directory)) {
    if (existsSync(join(directory, marker))) {
      return directory;
    }
  }
  throw new Error('cannot find src/webview/render from the working directory or the test file');
}

/** An IIFE that assigns the exports of `entry` (TypeScript, resolved from src/webview/render) to `globalName`. */
export async function bundleForBrowser(entry: string, globalName: string): Promise<string> {
  const result = await build({
    loader: { '.svg': 'text' },
    stdin: { contents: entry, resolveDir: join(repositoryRoot(), 'src', 'webview', 'render'), loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    write: false,
    format: 'iife',
    globalName,
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (output === undefined) {
    throw new Error('esbuild produced no output');
  }
  return output.text;
}
