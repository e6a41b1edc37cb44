// The whole webview script (src/webview/main.ts) in jsdom, with a fake host on the other side of
// acquireVsCodeApi: what it posts is recorded, and host messages are dispatched as window events.
import { JSDOM } from 'jsdom';
import type { WebviewToHost } from '../../../src/protocol';
import { repositoryRoot } from './browserBundle';
import { panelMarkup } from './panelMarkup';

export interface PanelDom {
  dom: JSDOM;
  /** What the script posted to the host, in order (startup's `ready` included). */
  posted: WebviewToHost[];
}

/** Runs the bundled panel script in a fresh jsdom window holding the panel's real markup. */
export function startPanel(bundle: string): PanelDom {
  const dom = new JSDOM(`<!DOCTYPE html><html><body>${panelMarkup(repositoryRoot())}</body></html>`, { runScripts: 'outside-only', pretendToBeVisual: true });
  const posted: WebviewToHost[] = [];
  // A structured clone, as the real channel makes: the test compares plain values, not jsdom-realm objects.
  Reflect.set(dom.window, 'acquireVsCodeApi', () => ({ postMessage: (message: WebviewToHost) => posted.push(structuredClone(message)) }));
  // jsdom has no CSS namespace; the script only escapes message ids with it.
  Reflect.set(dom.window, 'CSS', { escape: (value: string) => value.replace(/[^\w-]/g, (character) => `\\${character}`) });
  dom.window.eval(bundle);
  return { dom, posted };
}
