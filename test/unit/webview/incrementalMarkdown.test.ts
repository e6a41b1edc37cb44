import { strict as assert } from 'node:assert';
import MarkdownIt from 'markdown-it';
import { IncrementalMarkdown, renderMarkdown, type RenderUpdate } from '../../../src/webview/render/incrementalMarkdown';
import { createMarkdown } from '../../../src/webview/render/markdown';
import { adversarialChunks, randomChunks } from './chunks';
import { markdownCorpus } from './corpus';
import { jsdomSanitizer } from './domEnv';

/** Rendering and its block structure are what is under test here, so sanitising is left out. */
const passThrough = (html: string): string => html;

interface Streamed {
  renderer: IncrementalMarkdown;
  closedHtml: string;
  updates: RenderUpdate[];
}

/**
 * Streams `chunks`, taking an update every `every` chunks (a frame). With `checkEachStep`, asserts
 * after every update that closed + open HTML equals rendering the text received so far at once.
 */
function stream(chunks: readonly string[], options: { every?: number; checkEachStep?: boolean; sanitize?: (html: string) => string } = {}): Streamed {
  const sanitize = options.sanitize ?? passThrough;
  const renderer = new IncrementalMarkdown(sanitize);
  const updates: RenderUpdate[] = [];
  let closedHtml = '';
  const take = (): void => {
    const update = renderer.takeUpdate();
    if (update === undefined) {
      return;
    }
    updates.push(update);
    closedHtml += update.closed.map((block) => block.html).join('');
    if (options.checkEachStep === true) {
      assert.equal(closedHtml + update.open, renderMarkdown(renderer.text, sanitize).html, `after ${JSON.stringify(renderer.text.slice(-40))}`);
    }
  };
  chunks.forEach((chunk, index) => {
    renderer.append(chunk);
    if ((index + 1) % (options.every ?? 1) === 0) {
      take();
    }
  });
  take();
  renderer.finish();
  take();
  return { renderer, closedHtml, updates };
}

function assertEqualsWholeRender(result: Streamed, text: string, sanitize: (html: string) => string = passThrough): void {
  const whole = renderMarkdown(text, sanitize);
  assert.equal(result.closedHtml, whole.html);
  const last = result.updates.at(-1);
  assert.equal(last?.open, '', 'nothing stays open after finish()');
  for (let index = 0; index < whole.codeBlocks.length; index += 1) {
    assert.equal(result.renderer.codeText(index), whole.codeBlocks[index], `code block ${index}`);
  }
  assert.equal(result.renderer.codeBlockCount, whole.codeBlocks.length);
}

describe('IncrementalMarkdown', () => {
  const corpus = markdownCorpus();

  it('equals the whole render after every 1-character chunk', () => {
    const result = stream([...corpus], { checkEachStep: true });
    assertEqualsWholeRender(result, corpus);
  });

  it('equals the whole render when chunks split every fence marker, table delimiter and CRLF', () => {
    const result = stream(adversarialChunks(corpus), { checkEachStep: true });
    assertEqualsWholeRender(result, corpus);
  });

  it('equals the whole render after every update for random chunk sizes', () => {
    for (const seed of [1, 2, 3]) {
      const result = stream(randomChunks(corpus, seed, 12), { checkEachStep: true });
      assertEqualsWholeRender(result, corpus);
    }
  });

  it('equals the whole render at the end for many chunkings and frame batchings', () => {
    for (let seed = 10; seed < 70; seed += 1) {
      const maxSize = [2, 5, 17, 64][seed % 4] ?? 5;
      const every = [1, 3, 8][seed % 3] ?? 1;
      assertEqualsWholeRender(stream(randomChunks(corpus, seed, maxSize), { every }), corpus);
    }
  });

  it('equals the whole render with the real sanitizer (DOMPurify over jsdom)', () => {
    const sanitize = jsdomSanitizer();
    for (const seed of [100, 101]) {
      const result = stream(randomChunks(corpus, seed, 9), { every: 2, sanitize });
      assertEqualsWholeRender(result, corpus, sanitize);
    }
  });

  it('renders each closed block exactly once and nothing else behind the scenes', () => {
    let sanitizeCalls = 0;
    const counting = (html: string): string => {
      sanitizeCalls += 1;
      return html;
    };
    const result = stream(randomChunks(corpus, 7, 6), { sanitize: counting });
    const indices = result.updates.flatMap((update) => update.closed.map((block) => block.index));
    assert.deepEqual(indices, indices.map((_, position) => position), 'each index handed out once, in order');
    assert.ok(result.updates.every((update) => update.closed.length <= 1), 'the blocks one update closes come as one render');
    const tokens = new MarkdownIt().disable('reference').parse(corpus, {});
    const topLevelBlocks = tokens.filter((token) => token.level === 0 && token.nesting !== -1).length;
    const stats = result.renderer.stats;
    assert.equal(stats.closedRenders, topLevelBlocks, 'every top-level block closed once');
    assert.equal(stats.closedBatches, indices.length);
    assert.ok(stats.closedBatches < topLevelBlocks, 'some updates closed several blocks, in one render');
    assert.equal(sanitizeCalls, stats.closedBatches + stats.openRenders, 'every render is of closed blocks once or of the open tail');
    assert.ok(stats.openRenders <= result.updates.length, 'the open tail is rendered at most once per update');
  });

  it('does work per update that depends on the open block, not on the answer length', () => {
    const measure = (repeat: number): { total: number; worst: number; length: number } => {
      const text = markdownCorpus(repeat);
      const renderer = new IncrementalMarkdown(passThrough);
      let worst = 0;
      let before = 0;
      for (const chunk of randomChunks(text, 5, 8)) {
        renderer.append(chunk);
        renderer.takeUpdate();
        const parsed = renderer.stats.parsedChars;
        worst = Math.max(worst, parsed - before);
        before = parsed;
      }
      return { total: renderer.stats.parsedChars, worst, length: text.length };
    };
    const small = measure(1);
    const large = measure(12);
    const lengthRatio = large.length / small.length;
    assert.ok(large.total / small.total < lengthRatio * 1.1, `parsed ${large.total} vs ${small.total} for ${lengthRatio.toFixed(1)}x the text`);
    assert.ok(large.worst <= small.worst * 1.1, `worst update parsed ${large.worst} chars vs ${small.worst}`);
  });

  it('renders an unterminated fence as a highlighted code block while it streams', () => {
    const renderer = new IncrementalMarkdown(passThrough);
    renderer.append('Intro\n\n```ts\nconst a = 1;\n');
    const update = renderer.takeUpdate();
    assert.ok(update !== undefined);
    assert.match(update.open, /^<div class="code-block" data-lang="ts" data-code-index="0"><pre><code class="hljs language-ts"><span class="hljs-keyword">const<\/span>/);
    assert.match(update.open, /<div class="code-actions"><\/div><\/div>\n$/);
    assert.equal(renderer.codeText(0), 'const a = 1;');
    renderer.append('``');
    assert.match(renderer.takeUpdate()?.open ?? '', /^<div class="code-block"/, 'a half-typed closing fence is still code');
  });

  it('numbers code blocks across closed blocks and the open one', () => {
    const renderer = new IncrementalMarkdown(passThrough);
    renderer.append('```\none\n```\n\n```py\ntwo\n```\n\n```go\nthr');
    const update = renderer.takeUpdate();
    assert.ok(update);
    const closedHtml = update.closed.map((block) => block.html).join('');
    assert.deepEqual([...closedHtml.matchAll(/data-code-index="(\d+)"/g)].map((match) => match[1]), ['0', '1']);
    assert.match(update.open, /data-code-index="2"/);
    assert.deepEqual([0, 1, 2].map((index) => renderer.codeText(index)), ['one', 'two', 'thr']);
  });

  it('normalises CRLF split across chunks like a whole render does', () => {
    const result = stream(['a\r', '\nb\r', '\r\n', '- x\r', '\n- y\r']);
    assert.equal(result.closedHtml, renderMarkdown('a\r\nb\r\r\n- x\r\n- y\r', passThrough).html);
    assert.equal(result.renderer.text, 'a\nb\n\n- x\n- y\n');
  });

  it('setText appends when it extends the text and restarts when it does not', () => {
    const renderer = new IncrementalMarkdown(passThrough);
    renderer.append('# Title\n\nfirst para');
    renderer.takeUpdate();
    renderer.setText('# Title\n\nfirst paragraph\n\nsecond');
    const extended = renderer.takeUpdate();
    assert.equal(extended?.reset, false);
    assert.deepEqual(extended.closed.map((block) => block.html), ['<h1>Title</h1>\n'], 'the paragraph waits for a complete line after it');
    assert.equal(extended.open, '<p>first paragraph</p>\n<p>second</p>\n');
    renderer.setText('Something else');
    const replaced = renderer.takeUpdate();
    assert.equal(replaced?.reset, true);
    assert.deepEqual(replaced.closed, []);
    assert.equal(replaced.open, '<p>Something else</p>\n');
  });

  it('ignores text after finish and reports no update when nothing changed', () => {
    const renderer = new IncrementalMarkdown(passThrough);
    renderer.append('done');
    renderer.finish();
    assert.equal(renderer.takeUpdate()?.closed[0]?.html, '<p>done</p>\n');
    renderer.append(' more');
    assert.equal(renderer.takeUpdate(), undefined);
    assert.equal(renderer.text, 'done');
  });

  it('uses the same markdown configuration as a fresh instance', () => {
    const text = markdownCorpus();
    assert.equal(renderMarkdown(text, passThrough).html, createMarkdown().render(text, { codeIndexBase: 0, codeBlocks: [] }));
  });
});
