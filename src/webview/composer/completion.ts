// The composer's completion list: `/` at the start offers the prompt library, `@` at the start of a
// word the context sources. A listbox the input points at with aria-activedescendant, so focus
// stays in the input: Up/Down move, Enter or Tab choose, Escape closes, typing filters.

export type TriggerKind = '/' | '@';

export interface CompletionItem {
  /** What choosing the item means to the caller: a prompt name or a context source. */
  readonly value: string;
  /** What the list shows, e.g. "/explain" or "@file". */
  readonly label: string;
  readonly detail?: string;
}

export interface Trigger {
  readonly kind: TriggerKind;
  readonly query: string;
  /** The trigger's characters in the input (the `/` or `@` and the query after it). */
  readonly start: number;
  readonly end: number;
}

/** The trigger the text before the caret ends in: `/query` as the whole text so far, or `@query` at a word's start. */
export function findTrigger(value: string, caret: number): Trigger | undefined {
  const before = value.slice(0, caret);
  const slash = /^\/([^\s/]*)$/.exec(before);
  if (slash) return { kind: '/', query: slash[1] ?? '', start: 0, end: caret };
  const at = /(?:^|\s)@([\w-]*)$/.exec(before);
  if (at) {
    const query = at[1] ?? '';
    return { kind: '@', query, start: caret - query.length - 1, end: caret };
  }
  return undefined;
}

/** True when the letters of `query` occur in `text` in order (as VS Code's quick pick matches). */
function isSubsequence(query: string, text: string): boolean {
  let position = 0;
  for (const character of text) {
    if (character === query[position]) position++;
    if (position === query.length) return true;
  }
  return query.length === 0;
}

/** The items matching `query` (case-insensitive): those starting with it, then containing it, then fuzzily. */
export function filterItems(items: readonly CompletionItem[], query: string): CompletionItem[] {
  const wanted = query.toLowerCase();
  const ranked = items
    .map((item) => {
      const value = item.value.toLowerCase();
      const rank = value.startsWith(wanted) ? 0 : value.includes(wanted) ? 1 : isSubsequence(wanted, value) ? 2 : -1;
      return { item, rank };
    })
    .filter((entry) => entry.rank >= 0);
  // Array.prototype.sort is stable: equal ranks keep the order the items came in.
  return ranked.sort((a, b) => a.rank - b.rank).map((entry) => entry.item);
}

export interface CompletionOptions {
  /** The items for a trigger, as they are now (prompts arrive from the host at any time). */
  items(kind: TriggerKind): readonly CompletionItem[];
  /** The user chose `item`; its trigger text is already gone from the input. */
  choose(kind: TriggerKind, item: CompletionItem): void;
  /** The listbox's accessible name. */
  label(): string;
}

export interface Completion {
  /** Handles a keydown on the input while the list is open; true when the key was the list's. */
  handleKey(event: KeyboardEvent): boolean;
  /** Opens, filters or closes the list for the input's text and caret. */
  update(): void;
  close(): void;
  readonly isOpen: boolean;
}

let nextListId = 0;

export function createCompletion(input: HTMLTextAreaElement, list: HTMLElement, options: CompletionOptions): Completion {
  const listId = list.id || `composer-completion-${++nextListId}`;
  list.id = listId;
  list.setAttribute('role', 'listbox');
  list.classList.add('composer-completion');
  list.hidden = true;
  input.setAttribute('aria-autocomplete', 'list');

  let trigger: Trigger | undefined;
  let shown: CompletionItem[] = [];
  let active = 0;
  /** Escape closes the list until the trigger changes, so it does not reopen on the next key. */
  let dismissed: Trigger | undefined;

  const optionId = (index: number): string => `${listId}-option-${index}`;

  function render(): void {
    list.setAttribute('aria-label', options.label());
    list.replaceChildren(
      ...shown.map((item, index) => {
        const option = document.createElement('div');
        option.id = optionId(index);
        option.className = 'completion-option';
        option.setAttribute('role', 'option');
        option.setAttribute('aria-selected', String(index === active));
        const label = document.createElement('span');
        label.className = 'completion-label';
        label.textContent = item.label;
        option.append(label);
        if (item.detail) {
          const detail = document.createElement('span');
          detail.className = 'completion-detail';
          detail.textContent = item.detail;
          option.append(detail);
        }
        // mousedown, not click: the input keeps its focus and caret.
        option.addEventListener('mousedown', (event) => {
          event.preventDefault();
          choose(index);
        });
        return option;
      }),
    );
    list.hidden = false;
    input.setAttribute('aria-controls', listId);
    input.setAttribute('aria-activedescendant', optionId(active));
    const activeOption = list.children[active];
    // jsdom has no scrolling.
    if (activeOption && 'scrollIntoView' in activeOption) activeOption.scrollIntoView({ block: 'nearest' });
  }

  function close(): void {
    trigger = undefined;
    shown = [];
    list.hidden = true;
    list.replaceChildren();
    input.removeAttribute('aria-activedescendant');
    input.removeAttribute('aria-controls');
  }

  function choose(index: number): void {
    const item = shown[index];
    const chosen = trigger;
    if (!item || !chosen) return;
    input.value = input.value.slice(0, chosen.start) + input.value.slice(chosen.end);
    input.setSelectionRange(chosen.start, chosen.start);
    close();
    options.choose(chosen.kind, item);
  }

  const sameTrigger = (a: Trigger | undefined, b: Trigger | undefined): boolean =>
    a !== undefined && b !== undefined && a.kind === b.kind && a.start === b.start && a.query === b.query;

  function update(): void {
    const found = findTrigger(input.value, input.selectionEnd);
    if (!found || sameTrigger(found, dismissed)) {
      close();
      return;
    }
    dismissed = undefined;
    const matches = filterItems(options.items(found.kind), found.query);
    if (matches.length === 0) {
      close();
      return;
    }
    if (!sameTrigger(found, trigger)) active = 0;
    trigger = found;
    shown = matches;
    active = Math.min(active, shown.length - 1);
    render();
  }

  function move(step: number): void {
    active = (active + step + shown.length) % shown.length;
    render();
  }

  input.addEventListener('input', update);
  input.addEventListener('blur', close);
  // A caret moved without typing may leave the trigger (or enter another one).
  input.addEventListener('click', update);
  input.addEventListener('keyup', (event) => {
    if (['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) update();
  });

  return {
    get isOpen() {
      return trigger !== undefined;
    },
    update,
    close,
    handleKey(event) {
      if (!trigger || event.isComposing) return false;
      switch (event.key) {
        case 'ArrowDown':
          move(1);
          break;
        case 'ArrowUp':
          move(-1);
          break;
        case 'Enter':
        case 'Tab':
          if (event.shiftKey) return false;
          choose(active);
          break;
        case 'Escape':
          dismissed = trigger;
          close();
          break;
        default:
          return false;
      }
      event.preventDefault();
      return true;
    },
  };
}
