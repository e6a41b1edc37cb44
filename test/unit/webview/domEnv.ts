// A DOM for Node tests: DOMPurify over a jsdom window, as the renderer's sanitizer.
import createDOMPurify from 'dompurify';
import { JSDOM } from 'jsdom';
import { createSanitizer, type Sanitize } from '../../../src/webview/render/sanitizer';

/** The production sanitizer configuration over a DOMPurify bound to `dom`'s window. */
export function jsdomSanitizer(dom: JSDOM = new JSDOM('<!DOCTYPE html><body></body>')): Sanitize {
  return createSanitizer(createDOMPurify(dom.window));
}

/** Parses `html` the way the streaming view does (an inert <template>) and returns the result's innerHTML. */
export function reparse(dom: JSDOM, html: string): string {
  const template = dom.window.document.createElement('template');
  template.innerHTML = html;
  const holder = dom.window.document.createElement('div');
  holder.append(template.content);
  return holder.innerHTML;
}
