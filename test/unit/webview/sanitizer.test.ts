import { strict as assert } from 'node:assert';
import { JSDOM, VirtualConsole } from 'jsdom';
import { IncrementalMarkdown, renderMarkdown } from '../../../src/webview/render/incrementalMarkdown';
import type { Sanitize } from '../../../src/webview/render/sanitizer';
import { randomChunks } from './chunks';
import { jsdomSanitizer } from './domEnv';
import { xssPayloads } from './xssPayloads';

/** Events that fire inline handlers or activate elements. */
const EVENTS = ['load', 'error', 'click', 'mouseover', 'mouseenter', 'focus', 'blur', 'toggle', 'start', 'animationstart', 'transitionend', 'input', 'change', 'submit', 'pointerdown', 'keydown'];
const FORBIDDEN_ELEMENTS = 'script, iframe, frame, frameset, object, embed, form, input, button, textarea, select, style, link, meta, base, svg, math, noscript, template, video, audio, source, marquee, details, body';
/** Only inline raster images may have a source; nothing remote loads. */
const INLINE_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp);/i;
const OPENABLE_LINK = /^(?:https?:\/\/|mailto:)/i;

interface Page {
  readonly dom: JSDOM;
  readonly sanitize: Sanitize;
  /** How many times any payload code ran. */
  executions(): number;
}

/** A page that really runs scripts, with __xss/alert counting calls. The sanitizer is bound to it. */
function hostilePage(): Page {
  const virtualConsole = new VirtualConsole(); // jsdom's "not implemented: navigation" noise
  const dom = new JSDOM('<!DOCTYPE html><body><div id="out"></div></body>', { runScripts: 'dangerously', virtualConsole });
  dom.window.eval('window.__hits = 0; window.__xss = function () { window.__hits += 1; }; window.alert = window.__xss; window.confirm = window.__xss; window.prompt = window.__xss;');
  return {
    dom,
    sanitize: jsdomSanitizer(dom),
    executions: () => {
      const hits: unknown = Reflect.get(dom.window, '__hits');
      return typeof hits === 'number' ? hits : Number.NaN;
    },
  };
}

/**
 * Parses each HTML string straight into the live document, then pokes every element with every
 * event. Live parsing is harsher than the view's inert <template> (and jsdom does not activate
 * inline handlers of nodes adopted from a template), so inert here means inert there.
 */
async function insertAndProvoke(page: Page, htmls: readonly string[]): Promise<Element[]> {
  const { document } = page.dom.window;
  const outs = htmls.map((html) => {
    const out = document.createElement('div');
    document.body.append(out);
    out.innerHTML = html;
    return out;
  });
  for (const element of outs.flatMap((out) => [out, ...out.querySelectorAll('*')])) {
    for (const type of EVENTS) {
      element.dispatchEvent(new page.dom.window.Event(type, { bubbles: true }));
    }
    if (element instanceof page.dom.window.HTMLElement) {
      element.click(); // activation behaviour: link navigation (jsdom runs javascript: URLs), form submission
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 5)); // anything scheduled (srcdoc, timers) gets to run
  return outs;
}

function assertInert(out: Element, context: string): void {
  assert.equal(out.querySelector(FORBIDDEN_ELEMENTS), null, `${context}: forbidden element in ${out.innerHTML}`);
  for (const element of out.querySelectorAll('*')) {
    for (const attribute of Array.from(element.attributes)) {
      const name = attribute.name.toLowerCase();
      // eslint-disable-next-line no-control-regex -- browsers ignore control characters inside URLs, so the check must too
      const squashed = attribute.value.replace(/[\s\u0000-\u001f]+/g, '').toLowerCase();
      const where = `${context}: <${element.localName} ${name}="${attribute.value}">`;
      assert.ok(!name.startsWith('on'), `${where} event handler`);
      assert.ok(!['style', 'href', 'xlink:href', 'srcset', 'srcdoc', 'action', 'formaction', 'id', 'name'].includes(name), `${where} not allowed`);
      assert.ok(!/(?:java|vb)script:|data:text/.test(squashed), `${where} script URL`);
      if (name === 'src') {
        assert.ok(element.localName === 'img' && INLINE_IMAGE.test(attribute.value), `${where} remote or non-image source`);
      }
      if (name === 'data-href') {
        assert.ok(element.localName === 'a' && OPENABLE_LINK.test(attribute.value), `${where} link the host must not open`);
      }
    }
  }
}

/** Markdown rendering: whole, and streamed in small chunks with the open tail shown on the way. */
function renderings(payload: string, sanitize: Sanitize): string[] {
  const results = [renderMarkdown(payload, sanitize).html];
  const renderer = new IncrementalMarkdown(sanitize);
  let closed = '';
  for (const chunk of randomChunks(payload, payload.length, 4)) {
    renderer.append(chunk);
    const update = renderer.takeUpdate();
    closed += update?.closed.map((block) => block.html).join('') ?? '';
    results.push(closed + (update?.open ?? ''));
  }
  renderer.finish();
  results.push(closed + (renderer.takeUpdate()?.closed.map((block) => block.html).join('') ?? ''));
  return results;
}

/**
 * Streams `payload` as part of an open block large enough to be shown as plain text (a code fence,
 * or a paragraph), and returns what each update would show: plain text goes in as a text node
 * (as the streaming view inserts it), HTML as HTML. The last entry is the finished render.
 */
function previewRenderings(page: Page, payload: string): { htmls: string[]; previews: Element[] } {
  const { document } = page.dom.window;
  const htmls: string[] = [];
  const previews: Element[] = [];
  for (const text of [`\`\`\`html\n${payload}\n${payload}\n`, `${'word '.repeat(20)}${payload} ${payload}`]) {
    const renderer = new IncrementalMarkdown(page.sanitize, undefined, { plainPreviewMinChars: 24 });
    let closed = '';
    let preview: Element | undefined;
    for (const chunk of randomChunks(text, payload.length, 7)) {
      renderer.append(chunk);
      const update = renderer.takeUpdate();
      closed += update?.closed.map((block) => block.html).join('') ?? '';
      if (update?.plain === undefined) {
        htmls.push(closed + (update?.open ?? ''));
        continue;
      }
      if (preview === undefined || update.plain.restart) {
        htmls.push(closed + update.plain.head);
        preview = document.createElement('pre');
        document.body.append(preview);
        previews.push(preview);
      }
      preview.append(update.plain.text);
    }
    renderer.finish();
    htmls.push(closed + (renderer.takeUpdate()?.closed.map((block) => block.html).join('') ?? ''));
  }
  return { htmls, previews };
}

describe('sanitizer', () => {
  it('has a corpus of at least 30 payloads', () => {
    assert.ok(xssPayloads.length >= 30, `${xssPayloads.length} payloads`);
  });

  it('the harness does detect a payload that runs (positive control)', async () => {
    const page = hostilePage();
    await insertAndProvoke(page, ['<img src=x onerror=__xss()><a href="#" onclick="__xss()">x</a><svg onload=__xss()></svg><a href="javascript:__xss()">u</a>']);
    assert.ok(page.executions() >= 4, `executions: ${page.executions()}`);
  });

  it('nothing runs or loads when model output is rendered as markdown, whole or streamed', async () => {
    const page = hostilePage();
    for (const payload of xssPayloads) {
      const outs = await insertAndProvoke(page, renderings(payload, page.sanitize));
      outs.forEach((out, index) => {
        assertInert(out, `markdown #${index} of ${JSON.stringify(payload)}`);
        out.remove();
      });
    }
    assert.equal(page.executions(), 0);
  });

  it('nothing runs or loads when the payload streams inside a large open fence or paragraph shown as plain text', async () => {
    const page = hostilePage();
    for (const payload of xssPayloads) {
      const { htmls, previews } = previewRenderings(page, payload);
      assert.ok(previews.length > 0, 'the open block was shown as plain text');
      for (const preview of previews) {
        assert.equal(preview.childElementCount, 0, `plain text of ${JSON.stringify(payload)} made elements`);
      }
      const outs = await insertAndProvoke(page, htmls);
      outs.forEach((out, index) => {
        assertInert(out, `preview #${index} of ${JSON.stringify(payload)}`);
        out.remove();
      });
      previews.forEach((preview) => preview.remove());
    }
    assert.equal(page.executions(), 0);
  });

  it('nothing runs or loads when the payload reaches the sanitizer as raw HTML (defence in depth)', async () => {
    const page = hostilePage();
    for (const payload of xssPayloads) {
      for (const out of await insertAndProvoke(page, [page.sanitize(payload)])) {
        assertInert(out, `raw ${JSON.stringify(payload)}`);
        out.remove();
      }
    }
    assert.equal(page.executions(), 0);
  });

  it('turns web and mailto links into data-href links reachable by keyboard', () => {
    const sanitize = jsdomSanitizer();
    assert.equal(
      renderMarkdown('[docs](https://example.com/a?b=1&c=2) and <me@example.com>', sanitize).html,
      '<p><a data-href="https://example.com/a?b=1&amp;c=2" role="link" tabindex="0" title="https://example.com/a?b=1&amp;c=2">docs</a> and ' +
        '<a data-href="mailto:me@example.com" role="link" tabindex="0" title="mailto:me@example.com">me@example.com</a></p>\n',
    );
  });

  it('titles a link with the URL it opens, not a title the model wrote', () => {
    const html = renderMarkdown('[docs](https://evil.example/y "https://github.com/x")', jsdomSanitizer()).html;
    assert.equal(html, '<p><a title="https://evil.example/y" data-href="https://evil.example/y" role="link" tabindex="0">docs</a></p>\n');
  });

  it('keeps inline raster images and shows remote images as links', () => {
    const sanitize = jsdomSanitizer();
    const html = renderMarkdown('![dot](data:image/png;base64,iVBORw0KGgo=) ![far](https://example.com/x.png)', sanitize).html;
    assert.equal(
      html,
      '<p><img src="data:image/png;base64,iVBORw0KGgo=" alt="dot"> ' +
        '<a class="md-image-link" data-href="https://example.com/x.png" role="link" tabindex="0" title="https://example.com/x.png">far</a></p>\n',
    );
  });

  it('keeps the code-block hooks, highlight classes and table alignment, and drops unknown classes', () => {
    const sanitize = jsdomSanitizer();
    const html = renderMarkdown('```ts\nlet a = 1;\n```\n\n| a |\n|--:|\n| 1 |\n', sanitize).html;
    assert.match(html, /<div class="code-block" data-lang="ts" data-code-index="0"><pre><code class="hljs language-ts"><span class="hljs-keyword">let<\/span>/);
    assert.match(html, /<div class="code-actions"><\/div>/);
    assert.match(html, /<th class="md-align-right">a<\/th>/);
    assert.equal(sanitize('<span class="hljs-string evil-overlay">x</span>'), '<span class="hljs-string">x</span>');
  });
});
