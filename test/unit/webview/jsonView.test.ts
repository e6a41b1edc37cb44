import { strict as assert } from 'node:assert';
import { JSDOM } from 'jsdom';
import { bundleForBrowser } from './browserBundle';

// The module's shape, declared here because its source is only ever loaded as a browser bundle.
interface JsonTreeLabels {
  label: string;
  keys(count: number): string;
  items(count: number): string;
}
interface Harness {
  parseJsonAnswer(text: string): { ok: true; value: unknown } | { ok: false };
  renderJsonTree(value: unknown, labels: JsonTreeLabels): HTMLElement;
}

const ENTRY = `export { parseJsonAnswer, renderJsonTree } from './jsonView';`;

function isHarness(value: unknown): value is Harness {
  return typeof value === 'object' && value !== null && ['parseJsonAnswer', 'renderJsonTree'].every((name) => typeof Reflect.get(value, name) === 'function');
}

const labels: JsonTreeLabels = {
  label: 'JSON answer',
  keys: (count) => `${count} keys`,
  items: (count) => `${count} items`,
};

describe('JSON answer tree (browser bundle in jsdom)', function () {
  this.timeout(60000);
  let bundle = '';
  let dom: JSDOM;
  let harness: Harness;

  before(async () => {
    bundle = await bundleForBrowser(ENTRY, 'foxJson');
  });

  beforeEach(() => {
    dom = new JSDOM('<!DOCTYPE html><body></body>', { runScripts: 'outside-only' });
    const loaded: unknown = dom.window.eval(`${bundle};foxJson`);
    assert.ok(isHarness(loaded), 'the bundle exports the harness');
    harness = loaded;
  });

  function render(value: unknown): HTMLElement {
    const tree = harness.renderJsonTree(value, labels);
    dom.window.document.body.append(tree);
    return tree;
  }

  /** The summary's text; CSS spaces the count from the bracket. */
  const summaryText = (details: Element): string => details.querySelector(':scope > summary')?.textContent ?? '';

  /** The parse result as plain Node values: objects made in the jsdom realm have its prototypes. */
  const parse = (text: string): unknown => JSON.parse(JSON.stringify(harness.parseJsonAnswer(text)));

  it('parses plain JSON, one surrounding fence, and nothing else', () => {
    assert.deepEqual(parse('  {"a": [1, 2]}\n'), { ok: true, value: { a: [1, 2] } });
    assert.deepEqual(parse('```json\n{"a": 1}\n```'), { ok: true, value: { a: 1 } });
    assert.deepEqual(parse('\n```\n[true, null]\n```\n'), { ok: true, value: [true, null] });
    assert.deepEqual(parse('42'), { ok: true, value: 42 });
    assert.deepEqual(parse(''), { ok: false });
    assert.deepEqual(parse('Here it is: {"a": 1}'), { ok: false });
    assert.deepEqual(parse('```json\n{"a": 1}\n```\n```json\n{"b": 2}\n```'), { ok: false });
    assert.deepEqual(parse('{"a": '), { ok: false });
  });

  it('renders nested objects and arrays as open <details> with their key and item counts', () => {
    const tree = render({ name: 'fox', tags: ['a', 'b', 'c'], nested: { deep: { x: 1 }, list: [{ y: null }] }, empty: {}, none: [] });
    assert.ok(tree.hasAttribute('data-json-tree'));
    assert.equal(tree.getAttribute('aria-label'), 'JSON answer');

    const root = tree.querySelector(':scope > details');
    assert.ok(root);
    assert.ok(root.classList.contains('json-object'));
    assert.equal(summaryText(root), '{…}5 keys');

    const all = Array.from(tree.querySelectorAll('details'));
    assert.ok(all.every((details) => details instanceof dom.window.HTMLDetailsElement && details.open), 'every level starts open');
    assert.deepEqual(all.map(summaryText), [
      '{…}5 keys',
      'tags: […]3 items',
      'nested: {…}2 keys',
      'deep: {…}1 keys',
      'list: […]1 items',
      '0: {…}1 keys',
    ]);
    // Empty containers have nothing to fold: one line each.
    const leaves = Array.from(root.querySelectorAll(':scope > .json-children > .json-entry'), (line) => line.textContent);
    assert.deepEqual(leaves, ['name: "fox"', 'empty: {}', 'none: []']);
  });

  it('marks each primitive with its type, keeps string quotes, and renders a bare primitive', () => {
    const tree = render([1.5, 'text', true, false, null, '']);
    const values = Array.from(tree.querySelectorAll('.json-value'), (value) => [value.className, value.textContent]);
    assert.deepEqual(values, [
      ['json-value json-number', '1.5'],
      ['json-value json-string', '"text"'],
      ['json-value json-boolean', 'true'],
      ['json-value json-boolean', 'false'],
      ['json-value json-null', 'null'],
      ['json-value json-string', '""'],
    ]);
    assert.ok(Array.from(tree.querySelectorAll('.json-index'), (index) => index.textContent).every((text, index) => text === String(index)));

    const bare = render('just a string');
    assert.equal(bare.querySelector('details'), null);
    assert.equal(bare.textContent, '"just a string"');
  });

  it('keeps HTML in keys and values as text', () => {
    const payload = '<img src=x onerror=alert(1)>';
    const tree = render({ [payload]: payload, list: [`</summary><script>alert(2)</script>`], [`<b>${payload}</b>`]: { '<details>': 1 } });
    for (const tag of ['img', 'script', 'b']) {
      assert.equal(tree.querySelector(tag), null, `no <${tag}> element`);
    }
    assert.equal(tree.querySelectorAll('details').length, 3, 'only the tree’s own details');
    const keys = Array.from(tree.querySelectorAll('.json-key'), (key) => key.textContent);
    assert.ok(keys.includes(payload));
    assert.ok(keys.includes(`<b>${payload}</b>`));
    assert.ok(keys.includes('<details>'));
    assert.ok(tree.textContent.includes(JSON.stringify(payload)));
    assert.match(tree.innerHTML, /&lt;img src=x onerror=alert\(1\)&gt;/);
  });

  it('folds and unfolds a level from its summary without touching the others', () => {
    const tree = render({ outer: { inner: [1, 2] } });
    const [root, outer, inner] = Array.from(tree.querySelectorAll('details'));
    assert.ok(root && outer && inner);
    const summary = outer.querySelector(':scope > summary');
    assert.ok(summary instanceof dom.window.HTMLElement);
    summary.click();
    assert.equal(outer.hasAttribute('open'), false, 'folded');
    assert.equal(root.hasAttribute('open'), true);
    assert.equal(inner.hasAttribute('open'), true, 'the inner level keeps its own state');
    summary.click();
    assert.equal(outer.hasAttribute('open'), true, 'unfolded');
  });

  it('shows a subtree deeper than the limit as one line instead of recursing', () => {
    const depth = 5000;
    const text = `${'['.repeat(depth)}1${']'.repeat(depth)}`;
    const parsed = harness.parseJsonAnswer(text);
    assert.ok(parsed.ok);
    const tree = render(parsed.value);
    const levels = tree.querySelectorAll('details').length;
    assert.ok(levels > 10 && levels < 200, `${levels} foldable levels`);
    assert.ok(tree.querySelector('.json-compact'), 'the rest as compact text');
  });
});
