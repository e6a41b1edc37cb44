// Loads parts of the webview (bundled from src/webview) into a fresh jsdom window, to test each alone.
import { JSDOM } from 'jsdom';
import type { WebviewStrings, WebviewToHost } from '../../../src/protocol';
import { bundleForBrowser } from './browserBundle';

export const testStrings: WebviewStrings = {
  placeholder: 'Ask',
  send: 'Send',
  stop: 'Stop',
  you: 'You',
  stopped: 'Stopped.',
  emptyTitle: 'Fox Chat',
  emptyHint: 'Ask anything',
  transcriptLabel: 'Conversation',
  composerLabel: 'Message',
  gateway: 'Requests go to {0}',
  removeContext: 'Remove {0}',
  attachImage: 'Attach image',
  selectModel: 'Select model',
  reasoning: 'Reasoning',
  retrying: '{0} Retrying in {1} s (attempt {2} of {3}).',
  retryNow: 'Retry now',
  cancel: 'Cancel',
  fallbackNote: 'Answered by the fallback model {0}.',
  copy: 'Copy',
  codeActions: { copy: 'Copy', insert: 'Insert', apply: 'Apply', newFile: 'New file' },
  regenerate: 'Regenerate',
  edit: 'Edit',
  finishReason: 'finish: {0}',
  tokens: '{0} prompt + {1} completion = {2} tokens',
  firstToken: 'first token after {0} s',
  cachedTokens: '{0} cached',
  reasoningFor: 'Reasoning ({0} s)',
  actionLabels: { setApiKey: 'Set key', selectModel: 'Select model', openSettings: 'Settings', retry: 'Retry', showLog: 'Log' },
  toolLabel: 'Tool: {0}',
  toolArguments: 'Arguments',
  toolResult: 'Result',
  toolStates: { running: 'Running', awaitingApproval: 'Waiting for approval', done: 'Done', error: 'Failed', denied: 'Denied', cancelled: 'Cancelled' },
  preparingTools: 'Preparing {0}…',
  allow: 'Allow',
  deny: 'Deny',
  jsonAnswer: 'JSON answer',
  jsonInvalid: 'Not the JSON asked for: {0}',
  jsonViaPrompt: 'JSON asked for in the prompt.',
  jsonItems: '{0} items',
  jsonKeys: '{0} keys',
  completionLabel: 'Suggestions',
  contextSources: {
    file: 'Attach a file',
    selection: 'Attach the selection',
    problems: 'Attach the problems',
    diff: 'Attach the diff',
    terminal: 'Attach the terminal output',
  },
  attachedTokens: '≈ {0} tokens',
  assistant: 'Fox Chat',
  welcomeIntro: 'Fox Chat answers questions.',
  welcomeFeatures: ['Ask anything.', 'Explain or refactor.', 'Attach context.'],
  welcomeProfile: 'Profile: {0}',
  welcomeModel: 'Model: {0}',
  welcomeSuggestionsLabel: 'Try asking',
  welcomeSuggestions: ['How do I debounce?', 'let or const?', 'Write a test.'],
  welcomeKeysLabel: 'Keyboard',
  welcomeKeys: [
    { label: 'Ask from anywhere', keys: 'Ctrl+Alt+I' },
    { label: 'Send / new line', keys: 'Enter / Shift+Enter' },
  ],
  welcomeGetStarted: 'Get Started',
  welcomeNoKey: 'A key is needed for {0}.',
  metaTokens: '{0} tokens',
  metaSeconds: '{0} s',
  metaCost: 'cost {0}',
  metaReasoning: '{0} reasoning tokens',
  metaDetails: 'Details',
  showMore: 'Show more',
  showLess: 'Show less',
  codeLabel: 'Code',
  answerAnnounced: '{0} answered: {1}',
  saveAsPrompt: 'Save as Prompt',
};

const GLOBAL_NAME = 'foxParts';

/**
 * Bundles `entry` (module paths relative to src/webview/render) once; each call of the returned
 * function evaluates it in a new jsdom window with `html` as its body and returns the exports.
 */
export async function partLoader<T>(entry: string, isParts: (value: unknown) => value is T): Promise<(html?: string) => Loaded<T>> {
  const bundle = await bundleForBrowser(entry, GLOBAL_NAME);
  return (html = '') => {
    const dom = new JSDOM(`<!DOCTYPE html><html><body>${html}</body></html>`, { runScripts: 'outside-only', pretendToBeVisual: true });
    // jsdom has no CSS namespace; the parts only escape message ids with it.
    Reflect.set(dom.window, 'CSS', { escape: (value: string) => value.replace(/[^\w-]/g, (character) => `\\${character}`) });
    dom.window.eval(bundle);
    const parts: unknown = Reflect.get(dom.window, GLOBAL_NAME);
    if (!isParts(parts)) {
      throw new Error(`the bundle of ${entry} does not export what the test expects`);
    }
    const posted: WebviewToHost[] = [];
    // A structured clone, as the real channel makes: the test compares plain values, not jsdom-realm objects.
    const post = (message: WebviewToHost): void => {
      posted.push(structuredClone(message));
    };
    return { dom, parts, posted, post };
  };
}

export interface Loaded<T> {
  readonly dom: JSDOM;
  readonly parts: T;
  /** What the part under test posted through `post`. */
  readonly posted: WebviewToHost[];
  readonly post: (message: WebviewToHost) => void;
}

/** A type guard for a bundle's exports: an object with these functions. */
export function exportsFunctions<T>(...names: string[]): (value: unknown) => value is T {
  return (value: unknown): value is T =>
    typeof value === 'object' && value !== null && names.every((name) => typeof Reflect.get(value, name) === 'function');
}
