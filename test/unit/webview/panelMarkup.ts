import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The panel's real markup, taken from the HTML the host builds (without its script tag), so tests and benchmarks cannot drift from it. */
export function panelMarkup(root: string): string {
  const source = readFileSync(join(root, 'src', 'panel', 'webviewHtml.ts'), 'utf8');
  const body = /<body>([\s\S]*?)<script/.exec(source)?.[1];
  if (body === undefined) {
    throw new Error('no <body> markup before the <script> in src/panel/webviewHtml.ts');
  }
  return body;
}
