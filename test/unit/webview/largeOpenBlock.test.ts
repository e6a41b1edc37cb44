import { strict as assert } from 'node:assert';
import { IncrementalMarkdown, renderMarkdown, type RenderUpdate } from '../../../src/webview/render/incrementalMarkdown';
import { hasBlankLine, mayCloseFence, mayInterruptParagraph } from '../../../src/webview/render/openBlockPreview';
import { mulberry32 } from '../../fixtures/random';
import { randomChunks } from './chunks';
import { markdownCorpus } from './corpus';

const passThrough = (html: string): string => html;
const KB = 1024;

interface Frame {
  readonly update: RenderUpdate;
  /** Characters markdown-it parsed (boundary scans, renders, and so highlighting) for this frame. */
  readonly parsed: number;
  readonly sanitized: number;
}

interface Streamed {
  readonly renderer: IncrementalMarkdown;
  readonly frames: Frame[];
  readonly closedHtml: string;
  /** Plain text handed out for the preview shown when `finish` was called ('' if none). */
  readonly lastPreview: string;
  readonly sanitizedTotal: number;
}

/** Streams `chunks` with one update (a frame) per chunk, counting the work of each frame. */
function stream(chunks: readonly string[], options: { plainPreviewMinChars?: number; finish?: boolean } = {}): Streamed {
  let sanitized = 0;
  const sanitize = (html: string): string => {
    sanitized += html.length;
    return html;
  };
  const renderer = new IncrementalMarkdown(sanitize, undefined, { plainPreviewMinChars: options.plainPreviewMinChars });
  const frames: Frame[] = [];
  let closedHtml = '';
  let preview = '';
  const take = (): void => {
    const parsedBefore = renderer.stats.parsedChars;
    const sanitizedBefore = sanitized;
    const update = renderer.takeUpdate();
    if (update === undefined) {
      return;
    }
    frames.push({ update, parsed: renderer.stats.parsedChars - parsedBefore, sanitized: sanitized - sanitizedBefore });
    closedHtml += update.closed.map((block) => block.html).join('');
    if (update.plain === undefined) {
      preview = '';
    } else {
      preview = (update.plain.restart ? '' : preview) + update.plain.text;
    }
  };
  for (const chunk of chunks) {
    renderer.append(chunk);
    take();
  }
  const lastPreview = preview;
  if (options.finish !== false) {
    renderer.finish();
    take();
  }
  return { renderer, frames, closedHtml, lastPreview, sanitizedTotal: sanitized };
}

function fixedChunks(text: string, size: number): string[] {
  const chunks: string[] = [];
  for (let offset = 0; offset < text.length; offset += size) {
    chunks.push(text.slice(offset, offset + size));
  }
  return chunks;
}

function assertEqualsWholeRender(result: Streamed, text: string): void {
  const whole = renderMarkdown(text, passThrough);
  assert.ok(result.closedHtml === whole.html, `incremental (${result.closedHtml.length} chars) differs from whole render (${whole.html.length} chars)`);
  assert.equal(result.frames.at(-1)?.update.open, '');
  assert.equal(result.frames.at(-1)?.update.plain, undefined, 'nothing stays a preview after finish()');
  assert.equal(result.renderer.codeBlockCount, whole.codeBlocks.length);
  whole.codeBlocks.forEach((code, index) => assert.ok(result.renderer.codeText(index) === code, `code block ${index}`));
}

/** ~`size` characters of TypeScript-looking lines, with strings, comments and HTML-ish text. */
function codeLines(size: number, seed: number): string {
  const random = mulberry32(seed);
  const shapes = ['const value{n} = "<b>{n}</b>";', '/* comment {n}', ' * still comment */', 'function f{n}(a: number) { return a * {n}; }', '  `template ${a} {n}`,', '', '<script>alert({n})</script>'];
  const lines: string[] = [];
  let length = 0;
  for (let n = 0; length < size; n += 1) {
    const line = (shapes[Math.floor(random() * shapes.length)] ?? '').replaceAll('{n}', String(n));
    lines.push(line);
    length += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

describe('IncrementalMarkdown with a large open block', function () {
  this.timeout(120000);
  const fence = `\`\`\`ts\n${codeLines(500 * KB, 1)}`;
  const before = '# Report\n\nSome *intro* text.\n\n- one\n- two\n\n';
  const after = '\n\nAfter the code, a [link](https://example.com).\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n';

  it('streams a 500 KB fence in 8 KB chunks as appended lines and ends equal to a whole render (closed and unclosed)', () => {
    for (const text of [`${before}${fence}\`\`\`${after}`, `${before}${fence}`]) {
      const result = stream(fixedChunks(text, 8 * KB));
      assertEqualsWholeRender(result, text);
      const plainFrames = result.frames.filter((frame) => frame.update.plain !== undefined);
      assert.ok(plainFrames.length > 50, `the open fence streamed as plain text (${plainFrames.length} frames)`);
      assert.equal(plainFrames.filter((frame) => frame.update.plain?.restart === true).length, 1, 'one preview, appended to');
      assert.ok(plainFrames.every((frame) => frame.update.plain?.kind === 'fence' && frame.update.plain.language === 'ts'));
    }
  });

  it('shows exactly the complete lines of the open fence, and its code so far', () => {
    const text = `${before}${fence}`;
    const result = stream(randomChunks(text, 3, 16 * KB), { finish: false });
    const shown = text.slice(0, text.lastIndexOf('\n') + 1).slice(`${before}\`\`\`ts\n`.length);
    assert.ok(result.lastPreview === shown, 'the preview is the fence content up to the last newline');
    assert.ok(result.renderer.codeText(0) === shown.slice(0, -1));
  });

  it('equals a whole render for random split points of mixed content around large blocks', () => {
    const list = Array.from({ length: 6000 }, (_, index) => `- item ${index} with **bold** and \`code\``).join('\n');
    const text = `${before}${fence}\`\`\`\n\n${list}\n\nAfter the list.\n\n${'long '.repeat(40 * KB)}\n\n> quote\n${after}`;
    for (const seed of [1, 2, 3]) {
      assertEqualsWholeRender(stream(randomChunks(text, seed, 12 * KB)), text);
    }
    assertEqualsWholeRender(stream(randomChunks(markdownCorpus(3), 4, 40), { plainPreviewMinChars: 64 }), markdownCorpus(3));
  });

  it('streams a 2 MB single line with bounded work per frame and renders it once at the end', () => {
    const line = 'word *emphasis* and <tag> & more '.repeat(Math.ceil((2048 * KB) / 33));
    const text = `Intro paragraph.\n\n${line}`;
    const result = stream(fixedChunks(text, 32 * KB));
    assertEqualsWholeRender(result, text);
    const streaming = result.frames.slice(0, -1);
    assert.ok(streaming.every((frame) => frame.parsed <= 64 * KB), `worst frame parsed ${Math.max(...streaming.map((frame) => frame.parsed))}`);
    assert.ok(streaming.at(-1)?.update.plain?.kind === 'text');
    assert.ok(result.lastPreview === line, 'the preview shows the whole line as it arrived');
    assert.ok(result.renderer.stats.parsedChars <= 3 * text.length);
  });

  it('closes a huge paragraph as soon as the block after its blank line starts', () => {
    const text = `${'many words '.repeat(10 * KB)}\n\n# Next\n\nmore`;
    const result = stream(fixedChunks(text, 4 * KB).concat(['\n\nlast']), { finish: false });
    assert.equal(result.renderer.stats.closedRenders, 2, 'the paragraph and the heading closed before finish');
    assert.equal(result.frames.at(-1)?.update.open, '<p>more</p>\n<p>last</p>\n');

    const lines = 'many words\n'.repeat(20000);
    const multiLine = stream([...fixedChunks(lines, 4 * KB), '\n', 'Next', ' para\n'], { finish: false });
    assert.equal(multiLine.renderer.stats.closedRenders, 1, 'the multi-line paragraph closed when the next one started');
    assert.equal(multiLine.frames.at(-1)?.update.open, '<p>Next para</p>\n');
    assert.ok(multiLine.renderer.stats.parsedChars <= 6 * lines.length, `parsed ${multiLine.renderer.stats.parsedChars} for ${lines.length}`);
  });

  it('streams a huge list with scans that add up to a few times its size', () => {
    const list = Array.from({ length: 20000 }, (_, index) => `${index + 1}. entry ${index}\n`).join('');
    const text = `${before}${list}\nDone.\n`;
    const result = stream(fixedChunks(text, 4 * KB));
    assertEqualsWholeRender(result, text);
    assert.ok(result.renderer.stats.parsedChars <= 8 * text.length, `parsed ${result.renderer.stats.parsedChars} for ${text.length}`);
    assert.ok(result.frames.slice(0, -1).every((frame) => frame.sanitized <= 16 * KB), 'no full re-render of the open list per frame');
  });

  it('parses and sanitises O(text) over a streamed 500 KB fence, not O(text²)', () => {
    for (const text of [fence, `${fence}\`\`\`\n`]) {
      const result = stream(fixedChunks(text, 8 * KB));
      const whole = renderMarkdown(text, passThrough).html;
      const stats = result.renderer.stats;
      assert.ok(stats.parsedChars <= 3 * text.length, `parsed ${stats.parsedChars} chars for ${text.length}`);
      assert.ok(result.sanitizedTotal <= 3 * whole.length, `sanitised ${result.sanitizedTotal} chars for ${whole.length} of HTML`);
      assert.ok(stats.plainChars <= text.length);
      const streaming = result.frames.slice(0, -1).filter((frame) => frame.update.closed.length === 0);
      assert.ok(streaming.every((frame) => frame.parsed + frame.sanitized <= 64 * KB), 'a frame of the open fence costs its new text, not the fence');
    }
  });
});

describe('open block preview line checks', () => {
  it('flags every line that could close a fence and leaves ordinary code alone', () => {
    for (const line of ['```\n', '   ```\n', '\t~~~~\n', '````` \n', '``` x\n']) {
      assert.ok(mayCloseFence(`code\n${line}`), JSON.stringify(line));
    }
    assert.equal(mayCloseFence('const a = "```";\n  x ~~ y\n'), false);
  });

  it('flags lines that could end a paragraph and not plain continuation lines', () => {
    for (const line of ['\n', '  \n', '\t\n']) {
      assert.ok(hasBlankLine(`words\n${line}`), JSON.stringify(line));
    }
    for (const line of ['# h\n', '- x\n', '1. x\n', '> q\n', '===\n', '<div>\n', '|-|\n', '```\n']) {
      assert.ok(mayInterruptParagraph(`words\n${line}`), JSON.stringify(line));
    }
    assert.equal(hasBlankLine('more words\nand more\n'), false);
    assert.equal(mayInterruptParagraph('more words\nand more\n'), false);
  });
});
