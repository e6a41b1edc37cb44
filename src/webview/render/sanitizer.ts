// The only gate between model output and the DOM. An allow-list of exactly what the markdown
// renderer emits; links lose their href (the webview asks the host to open `data-href`), and
// nothing can load from outside: no remote images, frames, objects, forms, styles or handlers.
// DOM-free itself: the DOMPurify instance (browser window or jsdom) is passed in.
import type { Config, DOMPurify } from 'dompurify';

/** Turns untrusted HTML into HTML that is safe to parse into the webview. */
export type Sanitize = (html: string) => string;

/** Elements markdown-it produces with `html: false`, plus the code-block wrapper. Nothing else survives. */
const ALLOWED_TAGS = [
  'a', 'blockquote', 'br', 'code', 'del', 'div', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'img',
  'li', 'ol', 'p', 'pre', 's', 'span', 'strong', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul',
];
/** No `style` (CSP forbids inline styles anyway), no `id`/`name` (DOM clobbering), no `on*`. */
const ALLOWED_ATTR = ['alt', 'class', 'data-code-index', 'data-lang', 'href', 'src', 'start', 'title'];

const CONFIG: Config = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  // Any other scheme (javascript:, vbscript:, data: on links, file:, command:, vscode:) is dropped.
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i,
  // DOMPurify checks every allowed attribute it does not know to be URI-free against the regexp above.
  ADD_URI_SAFE_ATTR: ['data-code-index', 'data-lang', 'start'],
  RETURN_TRUSTED_TYPE: false,
};

/** Links the host may open. Checked again by the host before it opens anything. */
const OPENABLE_LINK = /^(?:https?:\/\/|mailto:)/i;
/** Inline raster images only: SVG is left out (it is a document format) and nothing remote loads. */
const INLINE_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp);/i;
/** Classes the renderer and the stylesheet use; anything else a payload smuggles in is dropped. */
const KNOWN_CLASS = /^(?:hljs(?:-[\w-]+)?|[a-z]+_+|language-[\w#+.-]+|md-[\w-]+|code-block|code-actions)$/;

/** The parts of an element the hook touches; named structurally so this file needs no DOM lib. */
interface SanitizedElement {
  readonly nodeName: string;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
}

/**
 * A sanitizer over `purify`. Give it an instance of its own (`DOMPurify(window)`): the hook added
 * here applies to every later `sanitize` call of that instance.
 */
export function createSanitizer(purify: DOMPurify): Sanitize {
  purify.addHook('afterSanitizeAttributes', (node) => neutralise(node));
  return (html) => purify.sanitize(html, CONFIG);
}

function neutralise(element: SanitizedElement): void {
  if (element.nodeName === 'A') {
    rewriteLink(element);
  } else if (element.nodeName === 'IMG') {
    const source = element.getAttribute('src');
    if (source !== null && !INLINE_IMAGE.test(source)) {
      element.removeAttribute('src');
    }
  }
  const classes = element.getAttribute('class');
  if (classes !== null) {
    const kept = classes.split(/\s+/).filter((name) => KNOWN_CLASS.test(name));
    if (kept.length > 0) {
      element.setAttribute('class', kept.join(' '));
    } else {
      element.removeAttribute('class');
    }
  }
}

/**
 * Links keep no `href`: the webview never navigates, so no scheme DOMPurify or a browser might
 * misjudge can run, and middle-click or drag cannot open anything. A click or Enter on
 * `a[data-href]` is turned into a message and the host opens the URL (see links.ts). role/tabindex
 * keep such a link reachable by keyboard and announced as a link, which an `<a>` without href is not.
 */
function rewriteLink(link: SanitizedElement): void {
  const href = link.getAttribute('href');
  link.removeAttribute('href');
  if (href !== null && OPENABLE_LINK.test(href)) {
    link.setAttribute('data-href', href);
    link.setAttribute('role', 'link');
    link.setAttribute('tabindex', '0');
    // Where it really goes, since there is no status-bar preview; a title the model wrote could claim otherwise.
    link.setAttribute('title', href);
  }
}
