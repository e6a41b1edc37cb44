// vscode-free: the line matcher of search_text. The pattern comes from the model, so it is hostile
// input: a JavaScript RegExp such as /^(\w+\s?)*$/ backtracks exponentially on an ordinary line and
// would freeze the extension host. Regular expressions therefore run on RE2 (linear time in the
// line's length, whatever the pattern); literal queries are a plain substring search.
import { RE2JS } from 're2js';

export interface MatcherOptions {
  isRegex: boolean;
  caseSensitive: boolean;
}

export type LineMatcher = (line: string) => boolean;

export type CompiledMatcher = { ok: true; matches: LineMatcher } | { ok: false; error: string };

/** Constructs that need backtracking, which RE2 leaves out on purpose; named so the model can rewrite. */
const UNSUPPORTED: ReadonlyArray<[RegExp, string]> = [
  [/\(\?<=/, 'lookbehind (?<=...)'],
  [/\(\?<!/, 'negative lookbehind (?<!...)'],
  [/\(\?=/, 'lookahead (?=...)'],
  [/\(\?!/, 'negative lookahead (?!...)'],
  [/\\k</, 'named backreference \\k<name>'],
  [/\\[1-9]/, 'backreference \\1..\\9'],
];

/** Characters of the model's pattern echoed in an error, at most. */
const MAX_ECHOED_PATTERN = 100;

/** The construct of `pattern` RE2 does not support, if any; escaped backslashes are not mistaken for one. */
export function unsupportedConstruct(pattern: string): string | undefined {
  // Drop escaped backslashes first so "\\\\1" (a backslash, then 1) is not read as a backreference.
  const unescaped = pattern.replace(/\\\\/g, '');
  return UNSUPPORTED.find(([construct]) => construct.test(unescaped))?.[1];
}

export function compileMatcher(query: string, options: MatcherOptions): CompiledMatcher {
  if (!options.isRegex) {
    if (options.caseSensitive) return { ok: true, matches: (line) => line.includes(query) };
    const lowered = query.toLowerCase();
    return { ok: true, matches: (line) => line.toLowerCase().includes(lowered) };
  }
  const shown = query.length > MAX_ECHOED_PATTERN ? `${query.slice(0, MAX_ECHOED_PATTERN)}…` : query;
  const unsupported = unsupportedConstruct(query);
  if (unsupported) {
    return {
      ok: false,
      error: `The regular expression /${shown}/ uses ${unsupported}, which search_text does not support (it runs a linear-time engine without backtracking). Search without it, or search for a literal string with is_regex false.`,
    };
  }
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(query, options.caseSensitive ? 0 : RE2JS.CASE_INSENSITIVE);
  } catch (problem) {
    const reason = problem instanceof Error ? problem.message : String(problem);
    return { ok: false, error: `Invalid regular expression /${shown}/: ${reason.slice(0, 300)}` };
  }
  return { ok: true, matches: (line) => compiled.test(line) };
}
