// A JSON answer as a foldable tree. Keys and values come from the model, so every piece of text
// goes in through textContent: nothing here is parsed as HTML.

import { jsonAnswerText } from '../../jsonAnswer';

export interface JsonTreeLabels {
  /** The accessible name of the whole tree. */
  label: string;
  /** "{n} keys" on an object's summary. */
  keys(count: number): string;
  /** "{n} items" on an array's summary. */
  items(count: number): string;
}

export type JsonParse = { ok: true; value: unknown } | { ok: false };

/** Parses an answer's text as JSON, ignoring surrounding blank space and one surrounding ``` fence. */
export function parseJsonAnswer(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(jsonAnswerText(text)) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * Beyond this depth a subtree is shown as its JSON text: the renderer recurses, and a hostile
 * answer of a few thousand nested brackets must not overflow the stack.
 */
const MAX_DEPTH = 64;

/** JSON text of a subtree; the native stringifier has its own depth limit, and throws past it. */
function compactText(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return Array.isArray(value) ? '[…]' : '{…}';
  }
}

type JsonObject = { [key: string]: unknown };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The root element (marked `data-json-tree`) of a tree of nested, initially open <details>. */
export function renderJsonTree(value: unknown, labels: JsonTreeLabels, doc: Document = document): HTMLElement {
  const root = doc.createElement('div');
  root.className = 'json-tree';
  root.dataset.jsonTree = '';
  // A plain group, not role="tree": the native <details> already give folding and keyboard access.
  root.setAttribute('role', 'group');
  root.setAttribute('aria-label', labels.label);
  root.append(renderNode(doc, labels, undefined, value, 0));
  return root;
}

function span(doc: Document, className: string, text: string): HTMLSpanElement {
  const element = doc.createElement('span');
  element.className = className;
  element.textContent = text;
  return element;
}

/** `key: ` before a value; array indices are styled apart from object keys. */
function keyParts(doc: Document, key: string | number | undefined): HTMLElement[] {
  if (key === undefined) {
    return [];
  }
  return [span(doc, typeof key === 'number' ? 'json-key json-index' : 'json-key', String(key)), span(doc, 'json-punct', ': ')];
}

/** The entries of an array or object, undefined for anything else. */
function entriesOf(value: unknown): Array<[string | number, unknown]> | undefined {
  if (Array.isArray(value)) {
    // Typed here so the items are unknown, not the any[] that Array.isArray narrows to.
    const items: readonly unknown[] = value;
    return items.map((item, index) => [index, item]);
  }
  return isObject(value) ? Object.entries(value) : undefined;
}

function renderNode(doc: Document, labels: JsonTreeLabels, key: string | number | undefined, value: unknown, depth: number): HTMLElement {
  const entries = entriesOf(value);
  if (entries === undefined) {
    return renderLeaf(doc, key, value);
  }
  const isArray = Array.isArray(value);
  if (entries.length === 0 || depth >= MAX_DEPTH) {
    // Nothing to fold (or too deep to fold safely): one line with the value's JSON text.
    const line = doc.createElement('div');
    line.className = 'json-entry';
    line.append(...keyParts(doc, key), span(doc, 'json-value json-compact', compactText(value)));
    return line;
  }
  const details = doc.createElement('details');
  details.className = isArray ? 'json-node json-array' : 'json-node json-object';
  details.open = true;
  const summary = doc.createElement('summary');
  summary.append(
    ...keyParts(doc, key),
    span(doc, 'json-bracket', isArray ? '[…]' : '{…}'),
    span(doc, 'json-count', isArray ? labels.items(entries.length) : labels.keys(entries.length)),
  );
  const children = doc.createElement('div');
  children.className = 'json-children';
  for (const [childKey, child] of entries) {
    children.append(renderNode(doc, labels, childKey, child, depth + 1));
  }
  details.append(summary, children);
  return details;
}

function renderLeaf(doc: Document, key: string | number | undefined, value: unknown): HTMLElement {
  const line = doc.createElement('div');
  line.className = 'json-entry';
  const type = value === null ? 'null' : typeof value;
  // Strings keep their quotes and escapes so "1" and 1, or "" and a missing value, stay distinct.
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  line.append(...keyParts(doc, key), span(doc, `json-value json-${type}`, text));
  return line;
}
