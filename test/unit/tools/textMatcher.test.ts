import { strict as assert } from 'node:assert';
import { compileMatcher, unsupportedConstruct } from '../../../src/tools/textMatcher';

/** A few thousand lines of ordinary TypeScript, the kind a workspace holds. */
function sourceLines(): string[] {
  const lines: string[] = [];
  for (let index = 0; index < 1_000; index++) {
    lines.push(
      `export function computeTotal${index}(items: readonly Item[], discount = 0.1): number {`,
      `  const subtotal = items.reduce((sum, item) => sum + item.price * item.quantity, 0); // ${index}`,
      `  return subtotal - subtotal * discount`,
      '}',
    );
  }
  return lines;
}

describe('search_text matcher', () => {
  it('runs the catastrophic pattern ^(\\w+\\s?)*$ over thousands of source lines and finds exactly the all-word lines', () => {
    const matcher = compileMatcher('^(\\w+\\s?)*$', { isRegex: true, caseSensitive: true });
    assert.ok(matcher.ok);
    const lines = [...sourceLines(), 'return subtotal', 'only words here', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'];
    // A backtracking engine spends exponential time on each long line that almost matches; this must end.
    const matched = lines.filter((line) => matcher.matches(line));
    assert.deepEqual(matched, ['return subtotal', 'only words here']);
  });

  it('searches literal queries as plain text: regex characters mean themselves', () => {
    const matcher = compileMatcher('items.reduce((sum', { isRegex: false, caseSensitive: true });
    assert.ok(matcher.ok);
    assert.equal(matcher.matches('  const subtotal = items.reduce((sum, item) => 1);'), true);
    assert.equal(matcher.matches('  const subtotal = itemsXreduce((sum, item) => 1);'), false);
  });

  it('honours case_sensitive for literal and regex queries', () => {
    const insensitive = compileMatcher('WordFrequencies', { isRegex: false, caseSensitive: false });
    const sensitive = compileMatcher('WordFrequencies', { isRegex: false, caseSensitive: true });
    const regexInsensitive = compileMatcher('word\\w+', { isRegex: true, caseSensitive: false });
    const regexSensitive = compileMatcher('word\\w+', { isRegex: true, caseSensitive: true });
    assert.ok(insensitive.ok && sensitive.ok && regexInsensitive.ok && regexSensitive.ok);
    assert.equal(insensitive.matches('export function wordFrequencies()'), true);
    assert.equal(sensitive.matches('export function wordFrequencies()'), false);
    assert.equal(regexInsensitive.matches('WORDFREQ'), true);
    assert.equal(regexSensitive.matches('WORDFREQ'), false);
  });

  it('supports the usual regex syntax: classes, alternation, anchors, word boundaries, counted repeats', () => {
    const matcher = compileMatcher('^\\s*(export\\s+)?(async\\s+)?function\\s+\\w{3,}\\b', { isRegex: true, caseSensitive: true });
    assert.ok(matcher.ok);
    assert.equal(matcher.matches('export async function load() {'), true);
    assert.equal(matcher.matches('const fn = function () {}'), false);
  });

  const unsupported: Array<[string, RegExp]> = [
    ['(\\w+)\\s+\\1', /backreference \\1\.\.\\9/],
    ['(?<word>a)\\k<word>', /named backreference/],
    ['foo(?=bar)', /lookahead \(\?=/],
    ['foo(?!bar)', /negative lookahead/],
    ['(?<=\\$)\\d+', /lookbehind \(\?<=/],
    ['(?<!\\$)\\d+', /negative lookbehind/],
  ];
  for (const [pattern, named] of unsupported) {
    it(`refuses ${pattern} with an error that names the construct`, () => {
      const matcher = compileMatcher(pattern, { isRegex: true, caseSensitive: false });
      assert.equal(matcher.ok, false);
      assert.match(matcher.error, named);
      assert.match(matcher.error, /does not support/);
    });
  }

  it('does not mistake an escaped backslash followed by a digit for a backreference', () => {
    assert.equal(unsupportedConstruct('C:\\\\1'), undefined);
    const matcher = compileMatcher('C:\\\\1', { isRegex: true, caseSensitive: true });
    assert.ok(matcher.ok);
    assert.equal(matcher.matches('path C:\\1 here'), true);
  });

  it('reports a malformed pattern as an error, with the pattern cut short', () => {
    const broken = compileMatcher('[z-a]', { isRegex: true, caseSensitive: true });
    assert.equal(broken.ok, false);
    assert.match(broken.error, /^Invalid regular expression \/\[z-a\]\/: .*range/);
    const long = compileMatcher(`(${'a'.repeat(900)}`, { isRegex: true, caseSensitive: true });
    assert.equal(long.ok, false);
    assert.ok(long.error.length < 600, long.error);
  });
});
