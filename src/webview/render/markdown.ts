// The one markdown-it configuration used for both incremental and whole-text rendering, so the two
// can never disagree. Its output is NOT safe on its own: it always goes through the sanitizer.
import MarkdownItConstructor from 'markdown-it';
import type { Env, MarkdownIt, RendererRule, StateCore, Token } from 'markdown-it';
import { highlightCode } from './highlight';

/** Per-render environment: where fence contents are collected and how code blocks are numbered. */
export type RenderEnv = {
  /** Index of the first code block this render produces (blocks rendered earlier hold the ones before). */
  codeIndexBase: number;
  /** Raw contents of the code blocks this render produced, in order. */
  codeBlocks: string[];
};

/** Info strings become a class name and a data attribute, so only plain language ids pass. */
const LANGUAGE_ID = /^[\w#+.-]{1,32}$/;
/** Images that may load: inline raster data only (the CSP allows `data:` images, nothing remote). */
const INLINE_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp);/i;

let shared: MarkdownIt | undefined;

/** One configured instance for all messages: rendering keeps its state in the per-call env. */
export function sharedMarkdown(): MarkdownIt {
  shared ??= createMarkdown();
  return shared;
}

export function createMarkdown(): MarkdownIt {
  const md = new MarkdownItConstructor({ html: false, linkify: true, typographer: false });
  // Reference definitions are the one markdown feature whose effect crosses blocks (a definition at
  // the end changes a link at the start). Without them each top-level block renders on its own, which
  // is what makes incremental rendering exact. Models almost never use them; they show as text.
  md.disable('reference');
  const renderDefaultImage = md.renderer.rules.image;
  md.renderer.rules.fence = (tokens, index, _options, env) => {
    const token = tokenAt(tokens, index);
    return renderCodeBlock(md, token.content, fenceLanguage(md, token.info), env);
  };
  md.renderer.rules.code_block = (tokens, index, _options, env) => renderCodeBlock(md, tokenAt(tokens, index).content, '', env);
  md.renderer.rules.image = renderImage(md, renderDefaultImage);
  md.core.ruler.push('fox_align_class', alignWithClasses);
  return md;
}

function tokenAt(tokens: Token[], index: number): Token {
  const token = tokens[index];
  if (token === undefined) {
    throw new RangeError(`markdown-it asked to render missing token ${index}`);
  }
  return token;
}

function isRenderEnv(env: Env | undefined): env is Env & RenderEnv {
  return env !== undefined && typeof env['codeIndexBase'] === 'number' && Array.isArray(env['codeBlocks']);
}

/** The language id a fence's info string names, as `data-lang` shows it ('' when none or not a plain id). */
export function fenceLanguage(md: MarkdownIt, info: string): string {
  const first = md.utils.unescapeAll(info).trim().split(/\s+/)[0] ?? '';
  return LANGUAGE_ID.test(first) ? first.toLowerCase() : '';
}

/**
 * A fenced or indented code block, wrapped with the hooks the webview needs: `data-lang`, the
 * index of its raw text (`data-code-index`) and an empty `.code-actions` the webview fills.
 */
function renderCodeBlock(md: MarkdownIt, content: string, language: string, env: Env | undefined): string {
  const highlighted = highlightCode(content, language);
  const body = highlighted ?? md.utils.escapeHtml(content);
  let classes = highlighted === undefined ? '' : 'hljs';
  if (language.length > 0) {
    classes = `${classes} language-${language}`.trim();
  }
  const codeClass = classes.length > 0 ? ` class="${md.utils.escapeHtml(classes)}"` : '';
  let indexAttribute = '';
  if (isRenderEnv(env)) {
    indexAttribute = ` data-code-index="${env.codeIndexBase + env.codeBlocks.length}"`;
    // What Copy/Insert should get: the code without the newline that ends its last line.
    env.codeBlocks.push(content.endsWith('\n') ? content.slice(0, -1) : content);
  }
  return (
    `<div class="code-block" data-lang="${md.utils.escapeHtml(language)}"${indexAttribute}>` +
    `<pre><code${codeClass}>${body}</code></pre><div class="code-actions"></div></div>\n`
  );
}

/**
 * Inline `data:` raster images render as images; any other image would be a remote load, so it
 * becomes a link to its URL instead (the sanitizer then turns that into a host-opened link).
 */
function renderImage(md: MarkdownIt, renderDefault: RendererRule | undefined): RendererRule {
  return (tokens, index, options, env, self) => {
    const token = tokenAt(tokens, index);
    const source = String(token.attrGet('src') ?? '');
    if (INLINE_IMAGE.test(source) && renderDefault !== undefined) {
      return renderDefault(tokens, index, options, env, self);
    }
    const alt = self.renderInlineAsText(token.children ?? [], options, env);
    const label = md.utils.escapeHtml(alt.length > 0 ? alt : source);
    return `<a href="${md.utils.escapeHtml(source)}" class="md-image-link">${label}</a>`;
  };
}

/**
 * markdown-it aligns table cells with `style="text-align:…"`; style attributes are stripped by the
 * sanitizer (and blocked by the CSP), so alignment travels as a class instead.
 */
function alignWithClasses(state: StateCore): void {
  for (const token of state.tokens) {
    if ((token.type !== 'th_open' && token.type !== 'td_open') || token.attrs === null) {
      continue;
    }
    const style = token.attrGet('style');
    token.attrs = token.attrs.filter(([name]) => name !== 'style');
    const match = typeof style === 'string' ? /^text-align:(left|center|right)$/.exec(style) : null;
    if (match !== null) {
      token.attrJoin('class', `md-align-${match[1] ?? ''}`);
    }
  }
}
