// Syntax highlighting for fenced code, from a curated language set so the webview bundle stays small
// (highlight.js with every grammar is ~1 MB; these cover what models write most).
import core from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import kotlin from 'highlight.js/lib/languages/kotlin';
import markdown from 'highlight.js/lib/languages/markdown';
import php from 'highlight.js/lib/languages/php';
import python from 'highlight.js/lib/languages/python';
import ruby from 'highlight.js/lib/languages/ruby';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import swift from 'highlight.js/lib/languages/swift';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

// A private instance: nothing else in the webview can change our languages or options.
const hljs = core.newInstance();
const languages = {
  bash, c, cpp, csharp, css, diff, go, java, javascript, json, kotlin, markdown,
  php, python, ruby, rust, shell, sql, swift, typescript, xml, yaml,
};
for (const [name, language] of Object.entries(languages)) {
  hljs.registerLanguage(name, language);
}
// Grammar aliases cover ts/js/py/sh/zsh/html/md/cs/golang/rs/yml/rb/kt...; these are common spellings they miss.
hljs.registerAliases(['console', 'shellsession'], { languageName: 'shell' });
hljs.registerAliases(['jsonc', 'json5'], { languageName: 'json' });

/**
 * Longer code is shown plain. Highlighting a block and sanitising the spans it adds cost about 3.5 ms
 * per KB in one go when the block closes (a 500 KB fence froze the panel for 1.9 s in
 * bench/render.ts); up to this size that stays near 100 ms, and it covers about 800 lines of code.
 */
export const MAX_HIGHLIGHT_CHARS = 32 * 1024;

/**
 * Highlighted HTML for `code` (already HTML-escaped by highlight.js), or `undefined` when the
 * language is not one we registered or the code is longer than MAX_HIGHLIGHT_CHARS; the caller then
 * shows the code escaped and plain. No auto-detection: it is slow and often wrong on short snippets.
 */
export function highlightCode(code: string, language: string): string | undefined {
  if (language.length === 0 || code.length > MAX_HIGHLIGHT_CHARS || hljs.getLanguage(language) === undefined) {
    return undefined;
  }
  return hljs.highlight(code, { language, ignoreIllegals: true }).value;
}
