import { strict as assert } from 'node:assert';
import { MAX_HIGHLIGHT_CHARS, highlightCode } from '../../../src/webview/render/highlight';
import { createMarkdown, type RenderEnv } from '../../../src/webview/render/markdown';

function render(text: string): { html: string; env: RenderEnv } {
  const env: RenderEnv = { codeIndexBase: 3, codeBlocks: [] };
  return { html: createMarkdown().render(text, env), env };
}

describe('markdown configuration', () => {
  it('highlights the curated languages under their usual names', () => {
    const names = ['ts', 'typescript', 'tsx', 'js', 'javascript', 'jsx', 'json', 'py', 'python', 'bash', 'sh', 'zsh', 'shell', 'console',
      'css', 'xml', 'html', 'svg', 'md', 'markdown', 'java', 'c', 'h', 'cpp', 'c++', 'cs', 'csharp', 'go', 'golang', 'rs', 'rust', 'sql',
      'yaml', 'yml', 'diff', 'patch', 'php', 'rb', 'ruby', 'kt', 'kotlin', 'swift'];
    for (const name of names) {
      assert.match(highlightCode('x = "y" // 1\n', name) ?? 'unregistered', /class="hljs-|^x = /, name);
      assert.notEqual(highlightCode('x', name), undefined, name);
    }
  });

  it('leaves unknown languages to be shown escaped and plain', () => {
    assert.equal(highlightCode('x', 'brainfuck'), undefined);
    assert.equal(highlightCode('x', ''), undefined);
    const { html } = render('```brainfuck\n<b>&\n```');
    assert.equal(html, '<div class="code-block" data-lang="brainfuck" data-code-index="3"><pre><code class="language-brainfuck">&lt;b&gt;&amp;\n</code></pre><div class="code-actions"></div></div>\n');
  });

  it('shows code longer than MAX_HIGHLIGHT_CHARS plain and escaped, up to it highlighted', () => {
    const line = 'const x = "<y>"; // z\n';
    const fits = line.repeat(Math.floor(MAX_HIGHLIGHT_CHARS / line.length));
    const tooLong = fits + line;
    assert.ok(fits.length <= MAX_HIGHLIGHT_CHARS && tooLong.length > MAX_HIGHLIGHT_CHARS);
    assert.match(highlightCode(fits, 'ts') ?? '', /^<span class="hljs-keyword">const<\/span>/);
    assert.equal(highlightCode(tooLong, 'ts'), undefined);
    const { html } = render('```ts\n' + tooLong + '```');
    assert.ok(html.startsWith('<div class="code-block" data-lang="ts" data-code-index="3"><pre><code class="language-ts">const x = &quot;&lt;y&gt;&quot;; // z\n'), html.slice(0, 200));
    assert.ok(!html.includes('hljs'));
  });

  it('wraps fences and indented code with the toolbar hooks and collects their raw text', () => {
    const { html, env } = render('```py title="x"\nprint(1)\n```\n\n    indented\n');
    assert.match(html, /^<div class="code-block" data-lang="py" data-code-index="3"><pre><code class="hljs language-py">/);
    assert.match(html, /<div class="code-block" data-lang="" data-code-index="4"><pre><code>indented\n<\/code><\/pre><div class="code-actions"><\/div><\/div>\n$/);
    assert.deepEqual(env.codeBlocks, ['print(1)', 'indented']);
  });

  it('ignores info strings that are not plain language ids', () => {
    const { html } = render('```"><img src=x>\ncode\n```');
    assert.match(html, /^<div class="code-block" data-lang="" data-code-index="3"><pre><code>code\n/);
  });

  it('aligns table cells with classes, never style attributes', () => {
    const { html } = render('| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |');
    assert.doesNotMatch(html, /style=/);
    assert.match(html, /<th class="md-align-left">a<\/th>\n<th class="md-align-center">b<\/th>\n<th class="md-align-right">c<\/th>/);
  });

  it('keeps HTML as text and renders reference definitions as text (they would reach across blocks)', () => {
    assert.equal(render('<b onclick="x()">hi</b>').html, '<p>&lt;b onclick=&quot;x()&quot;&gt;hi&lt;/b&gt;</p>\n');
    assert.equal(render('[a]\n\n[a]: https://example.com').html, '<p>[a]</p>\n<p>[a]: <a href="https://example.com">https://example.com</a></p>\n');
  });

  it('links URLs with a scheme (not bare domains) and leaves markdown-it to drop script links', () => {
    assert.equal(render('see https://example.com/a or example.com').html, '<p>see <a href="https://example.com/a">https://example.com/a</a> or example.com</p>\n');
    assert.equal(render('[x](javascript:alert(1))').html, '<p>[x](javascript:alert(1))</p>\n');
  });
});
