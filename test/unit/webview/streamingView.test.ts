import { strict as assert } from 'node:assert';
import { JSDOM } from 'jsdom';
import type { Sanitize } from '../../../src/webview/render/sanitizer';
import { bundleForBrowser } from './browserBundle';
import { adversarialChunks, randomChunks } from './chunks';
import { markdownCorpus } from './corpus';
import { mulberry32 } from '../../fixtures/random';

// The view's shape, declared here because its source is only ever loaded as a browser bundle.
interface View {
  append(delta: string): void;
  finish(): void;
  setText(full: string): void;
  flush(): void;
  codeText(index: number): string | undefined;
  dispose(): void;
}
interface ViewOptions {
  beforeRender?: () => void;
  afterRender?: (event: { readonly codeBlocks: readonly HTMLElement[] }) => void;
  requestFrame?: (callback: () => void) => number;
  cancelFrame?: (handle: number) => void;
  groupSize?: number;
  plainPreviewMinChars?: number;
}
interface Harness {
  createStreamingView(container: HTMLElement, sanitize: Sanitize, options?: ViewOptions): View;
  renderMarkdown(text: string, sanitize: Sanitize): { html: string };
  interceptLinks(root: HTMLElement, open: (href: string, text: string) => void): () => void;
  sanitizer(): Sanitize;
}

const ENTRY = `
export { createStreamingView } from './streamingView';
export { renderMarkdown } from './incrementalMarkdown';
export { interceptLinks } from './links';
import DOMPurify from 'dompurify';
import { createSanitizer } from './sanitizer';
export const sanitizer = () => createSanitizer(DOMPurify(window));
`;

function isHarness(value: unknown): value is Harness {
  return (
    typeof value === 'object' &&
    value !== null &&
    ['createStreamingView', 'renderMarkdown', 'interceptLinks', 'sanitizer'].every((name) => typeof Reflect.get(value, name) === 'function')
  );
}

/** Frames that run only when the test says so. */
class ManualFrames {
  private readonly queue = new Map<number, () => void>();
  private nextHandle = 1;
  readonly requestFrame = (callback: () => void): number => {
    const handle = this.nextHandle++;
    this.queue.set(handle, callback);
    return handle;
  };
  readonly cancelFrame = (handle: number): void => {
    this.queue.delete(handle);
  };
  get pending(): number {
    return this.queue.size;
  }
  run(): void {
    const callbacks = [...this.queue.values()];
    this.queue.clear();
    callbacks.forEach((callback) => callback());
  }
}

describe('createStreamingView (browser bundle in jsdom)', function () {
  this.timeout(60000);
  let bundle = '';
  let dom: JSDOM;
  let harness: Harness;
  let sanitize: Sanitize;

  before(async () => {
    bundle = await bundleForBrowser(ENTRY, 'foxRender');
  });

  beforeEach(() => {
    dom = new JSDOM('<!DOCTYPE html><body></body>', { runScripts: 'outside-only', pretendToBeVisual: true });
    const loaded: unknown = dom.window.eval(`${bundle};foxRender`);
    assert.ok(isHarness(loaded), 'the bundle exports the harness');
    harness = loaded;
    sanitize = harness.sanitizer();
  });

  function container(): HTMLElement {
    const element = dom.window.document.createElement('div');
    dom.window.document.body.append(element);
    return element;
  }

  /** The rendered markdown without the view's `.md-group` wrappers: what a whole render would produce. */
  function flatHtml(target: HTMLElement): string {
    const copy = target.cloneNode(true);
    assert.ok(copy instanceof dom.window.HTMLElement);
    for (const group of copy.querySelectorAll(':scope > .md-group')) {
      group.replaceWith(...group.childNodes);
    }
    return copy.innerHTML;
  }

  /** Top-level rendered nodes, looking through the group wrappers. */
  function blockNodes(target: HTMLElement): ChildNode[] {
    return Array.from(target.childNodes).flatMap((node) =>
      node instanceof dom.window.HTMLElement && node.classList.contains('md-group') ? Array.from(node.childNodes) : [node],
    );
  }

  /** A preview's children are chunk spans holding only text: streamed text is never markup. */
  function assertTextChunks(preview: Element): void {
    for (const child of preview.childNodes) {
      assert.ok(child instanceof dom.window.HTMLSpanElement && child.className === 'md-preview-chunk', 'the preview holds chunks only');
      assert.ok(Array.from(child.childNodes).every((node) => node.nodeType === dom.window.Node.TEXT_NODE), 'streamed text is text, not markup');
    }
  }

  function wholeRender(text: string): string {
    const reference = dom.window.document.createElement('div');
    reference.innerHTML = harness.renderMarkdown(text, sanitize).html;
    return reference.innerHTML;
  }

  it('applies any number of deltas in one DOM update per frame', () => {
    const frames = new ManualFrames();
    let updates = 0;
    const target = container();
    const view = harness.createStreamingView(target, sanitize, { ...frames, afterRender: () => (updates += 1) });
    for (const chunk of randomChunks('# Title\n\nSome text that arrives in many small pieces.\n', 1, 3)) {
      view.append(chunk);
    }
    assert.equal(frames.pending, 1, 'one frame requested for all deltas');
    assert.equal(target.innerHTML, '', 'nothing touches the DOM before the frame');
    frames.run();
    assert.equal(updates, 1);
    assert.equal(flatHtml(target), '<h1>Title</h1>\n<p>Some text that arrives in many small pieces.</p>\n');
    frames.run();
    assert.equal(updates, 1, 'no frame, no update, when nothing arrived');
  });

  it('keeps closed blocks in place, replaces only the open block, and ends equal to a whole render', () => {
    const groupSize = 8;
    const corpus = markdownCorpus(2);
    const chunkings: Array<{ chunks: string[]; every: number }> = [
      { chunks: randomChunks(corpus, 1, 6), every: 3 },
      { chunks: randomChunks(corpus, 2, 30), every: 1 },
      { chunks: adversarialChunks(corpus), every: 1 },
    ];
    for (const { chunks, every } of chunkings) {
      const frames = new ManualFrames();
      const target = container();
      const view = harness.createStreamingView(target, sanitize, { ...frames, groupSize });
      const survivors = new Map<ChildNode, ParentNode | null>();
      const frame = (): void => {
        const before = blockNodes(target);
        frames.run();
        // A node still there after an update was not the open block's: it is closed and must stay.
        for (const node of before) {
          if (node.isConnected && !survivors.has(node)) {
            survivors.set(node, node.parentNode);
          }
        }
        for (const [node, parent] of survivors) {
          assert.ok(node.isConnected && node.parentNode === parent, 'a closed block was removed or moved');
        }
      };
      chunks.forEach((chunk, index) => {
        view.append(chunk);
        if ((index + 1) % every === 0) {
          frame();
        }
        if (index === Math.floor(chunks.length / 2)) {
          assert.ok(survivors.size > 20, `blocks close while streaming (${survivors.size} kept so far)`);
        }
      });
      view.finish();
      assert.equal(frames.pending, 0, 'finish renders at once');
      assert.equal(flatHtml(target), wholeRender(corpus));
      assert.equal(target.querySelector('[data-streaming]'), null);
      const groups = target.querySelectorAll(':scope > .md-group');
      assert.equal(groups.length, target.childNodes.length, 'after finish every block is in a group');
      assert.ok([...groups].every((group) => group.childNodes.length <= groupSize));
    }
  });

  it('marks code blocks of the open block as streaming and exposes their raw text', () => {
    const frames = new ManualFrames();
    const inserted: HTMLElement[][] = [];
    const target = container();
    const view = harness.createStreamingView(target, sanitize, { ...frames, afterRender: (event) => inserted.push([...event.codeBlocks]) });
    view.append('Intro\n\n```ts\nconst a = 1;\n');
    frames.run();
    const open = target.querySelector<HTMLElement>('.code-block');
    assert.equal(open?.getAttribute('data-lang'), 'ts');
    assert.equal(open.getAttribute('data-code-index'), '0');
    assert.ok(open.hasAttribute('data-streaming'));
    assert.equal(open.querySelector('.code-actions')?.childElementCount, 0);
    assert.deepEqual(inserted.at(-1), [open]);
    assert.equal(view.codeText(0), 'const a = 1;');
    view.append('```\n\nAfter.\n');
    frames.run();
    const closed = target.querySelector<HTMLElement>('.code-block');
    assert.notEqual(closed, open, 'the block was replaced once when it closed');
    assert.equal(closed?.hasAttribute('data-streaming'), false);
    assert.equal(view.codeText(0), 'const a = 1;');
  });

  it('appends the new lines of a large open fence to the same code element and ends equal to a whole render', () => {
    const frames = new ManualFrames();
    const inserted: HTMLElement[][] = [];
    const target = container();
    const options = { ...frames, plainPreviewMinChars: 256, afterRender: (event: { readonly codeBlocks: readonly HTMLElement[] }) => inserted.push([...event.codeBlocks]) };
    const view = harness.createStreamingView(target, sanitize, options);
    const code = Array.from({ length: 400 }, (_, index) => `let v${index} = "<b>${index}</b>"; // & <script>`).join('\n');
    const text = `Intro\n\n\`\`\`ts\n${code}\n\`\`\`\n\nAfter.\n`;
    let element: Element | null = null;
    for (const chunk of randomChunks(text, 9, 700)) {
      view.append(chunk);
      frames.run();
      const preview = target.querySelector('[data-streaming] code:not(.hljs)'); // a rendered open fence is highlighted
      if (preview !== null && element === null) {
        element = preview;
        assert.deepEqual(inserted.at(-1), [preview.closest('.code-block')], 'the preview reports its code block once');
      }
      if (element?.isConnected === true) {
        assert.equal(preview, element, 'the open fence is appended to, not replaced');
        assertTextChunks(element);
        const shown = element.textContent;
        assert.ok(`${code}\n`.startsWith(shown) && (shown === '' || shown.endsWith('\n')), 'the preview shows complete lines of the code');
      }
    }
    assert.notEqual(element, null, 'the fence streamed as a preview');
    view.finish();
    assert.equal(flatHtml(target), wholeRender(text));
    assert.equal(target.querySelector('[data-streaming]'), null);
  });

  it('shows a huge open line as text after the rendered lines before it', () => {
    const frames = new ManualFrames();
    const target = container();
    const view = harness.createStreamingView(target, sanitize, { ...frames, plainPreviewMinChars: 256 });
    const line = '<img src=x onerror=alert(1)> *not yet emphasis* '.repeat(40);
    view.append('# Title\nIntro.\n\n');
    view.append(line.slice(0, 300));
    frames.run();
    const preview = target.querySelector('p.md-streaming-text');
    assert.equal(preview?.textContent, line.slice(0, 300));
    assert.equal(target.querySelector('img'), null);
    view.append(line.slice(300));
    frames.run();
    assert.equal(target.querySelector('p.md-streaming-text'), preview, 'appended, not replaced');
    assert.equal(preview.textContent, line);
    assertTextChunks(preview);
    view.finish();
    assert.equal(flatHtml(target), wholeRender(`# Title\nIntro.\n\n${line}`));
  });

  it('streams a huge line into bounded chunks that end between words, and ends equal to a whole render', () => {
    const frames = new ManualFrames();
    const target = container();
    const view = harness.createStreamingView(target, sanitize, frames);
    const words = ['alpha', '*beta*', '<i>gamma</i>', 'delta&amp;', '`eps`'];
    const random = mulberry32(3);
    const parts: string[] = [];
    for (let length = 0; length < 200 * 1024; ) {
      const word = words[Math.floor(random() * words.length)] ?? 'x';
      parts.push(word);
      length += word.length + 1;
    }
    const line = `Before.\n\n${parts.join(' ')}`;
    let preview: Element | null = null;
    const chunkCounts: number[] = [];
    for (const chunk of randomChunks(line, 5, 9000)) {
      view.append(chunk);
      frames.run();
      preview ??= target.querySelector('p.md-streaming-text');
      if (preview !== null) {
        assert.equal(target.querySelector('p.md-streaming-text'), preview, 'appended, not replaced');
        chunkCounts.push(preview.childElementCount);
      }
    }
    assert.ok(preview !== null, 'the line streamed as a preview');
    assertTextChunks(preview);
    assert.equal(preview.textContent, line.slice('Before.\n\n'.length));
    const chunks = Array.from(preview.children, (child) => child.textContent);
    assert.ok(chunks.length >= 12, `${chunks.length} chunks`);
    for (const [index, text] of chunks.entries()) {
      assert.ok(text.length <= 16 * 1024 + 20, `chunk ${index} is bounded (${text.length} chars)`);
      if (index < chunks.length - 1) {
        assert.ok(text.endsWith(' '), `chunk ${index} ends between words`);
        assert.ok(text.length >= 16 * 1024 - 20, `chunk ${index} is full (${text.length} chars)`);
      }
    }
    assert.ok(chunkCounts.every((count, index) => index === 0 || count >= (chunkCounts[index - 1] ?? 0)), 'chunks are only added');
    view.finish();
    assert.equal(target.querySelector('.md-streaming-text'), null);
    assert.equal(flatHtml(target), wholeRender(line));
  });

  it('setText renders at once, appending when it extends the text and starting over when it does not', () => {
    const frames = new ManualFrames();
    const target = container();
    const view = harness.createStreamingView(target, sanitize, frames);
    view.setText('# A\n\nbody');
    assert.equal(flatHtml(target), '<h1>A</h1>\n<p>body</p>\n');
    view.setText('# A\n\nbody text\n\nmore');
    assert.equal(flatHtml(target), '<h1>A</h1>\n<p>body text</p>\n<p>more</p>\n');
    const heading = target.querySelector('h1'); // closed by now
    view.setText('# A\n\nbody text\n\nmore and more\n\n');
    assert.equal(target.querySelector('h1'), heading, 'an extension keeps the closed blocks');
    view.setText('Other');
    view.finish();
    assert.equal(target.innerHTML, '<div class="md-group"><p>Other</p>\n</div>');
    assert.equal(frames.pending, 0);
  });

  it('dispose cancels a queued frame', () => {
    const frames = new ManualFrames();
    const view = harness.createStreamingView(container(), sanitize, frames);
    view.append('x');
    view.dispose();
    assert.equal(frames.pending, 0);
  });

  it('batches on requestAnimationFrame by default', async () => {
    const target = container();
    const view = harness.createStreamingView(target, sanitize);
    view.append('hello ');
    view.append('world');
    assert.equal(target.innerHTML, '');
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(flatHtml(target), '<p>hello world</p>\n');
  });

  it('interceptLinks turns clicks and Enter on rendered links into open requests', () => {
    const target = container();
    const opened: string[] = [];
    const stop = harness.interceptLinks(target, (href) => opened.push(href));
    harness.createStreamingView(target, sanitize).setText('[docs](https://example.com/docs) and `code`');
    const link = target.querySelector<HTMLElement>('a[data-href]');
    assert.equal(link?.hasAttribute('href'), false);
    link.click();
    link.dispatchEvent(new dom.window.KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    target.querySelector<HTMLElement>('code')?.click();
    assert.deepEqual(opened, ['https://example.com/docs', 'https://example.com/docs']);
    stop();
    link.click();
    assert.equal(opened.length, 2);
  });

  it('interceptLinks passes the text a link shows along with where it goes', () => {
    const target = container();
    const opened: Array<[string, string]> = [];
    const stop = harness.interceptLinks(target, (href, text) => opened.push([href, text]));
    harness.createStreamingView(target, sanitize).setText('[**github**.com](https://evil.example/y)');
    target.querySelector<HTMLElement>('a[data-href] strong')?.click();
    assert.deepEqual(opened, [['https://evil.example/y', 'github.com']]);
    stop();
  });
});
