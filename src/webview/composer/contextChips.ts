// Context chips: a file range, an image or an @-attachment of a question, in the composer
// (removable with their × button, or Delete / Backspace on the focused chip) and under a sent
// question. The composer also shows about how many tokens the attached text costs.
import type { ContextView } from '../../protocol';
import type { Post } from '../host';
import type { Translate } from '../l10n';

export function chipLabel(context: ContextView): string {
  if (context.kind === 'image') {
    return context.name;
  }
  if (context.kind === 'attachment') {
    return context.label;
  }
  const range = context.startLine === context.endLine ? `${context.startLine}` : `${context.startLine}-${context.endLine}`;
  return `${context.fileName}:${range}`;
}

export function renderChip(context: ContextView): HTMLElement {
  const chip = document.createElement('span');
  chip.className = 'context-chip';
  chip.dataset.kind = context.kind;
  if (context.kind === 'image') {
    const thumbnail = document.createElement('img');
    thumbnail.className = 'thumbnail';
    thumbnail.src = context.dataUrl;
    thumbnail.alt = context.name;
    chip.append(thumbnail);
    chip.title = context.name;
  } else if (context.kind === 'attachment') {
    chip.dataset.source = context.source;
    chip.title = context.label;
  } else {
    chip.title = `${context.fileName} (${context.languageId})`;
  }
  const label = document.createElement('span');
  label.className = 'chip-label';
  label.textContent = chipLabel(context);
  chip.append(label);
  return chip;
}

/** The rough token count of the attached text: about four characters per token (images not counted). */
export function attachedTokens(context: readonly ContextView[]): number {
  const chars = context.reduce((sum, item) => sum + (item.kind === 'image' ? 0 : item.chars ?? 0), 0);
  return Math.ceil(chars / 4);
}

export interface PendingContext {
  /** Shows the context the next question will carry, each chip with its remove button, and its token estimate. */
  render(context: readonly ContextView[]): void;
}

export interface PendingContextOptions {
  post: Post;
  t: Translate;
  /** Where focus goes when the last chip was removed from the keyboard. */
  focusInput?: () => void;
}

export function createPendingContext(container: HTMLElement, options: PendingContextOptions): PendingContext {
  const { post, t } = options;
  /** The position of a chip removed from the keyboard: the chip now there gets focus after the host's update. */
  let refocusAt: number | undefined;

  function remove(index: number, fromKeyboard: boolean): void {
    refocusAt = fromKeyboard ? index : undefined;
    post({ type: 'removeContext', index });
  }

  return {
    render(context) {
      const chips = context.map((item, index) => {
        const chip = renderChip(item);
        const label = chipLabel(item);
        chip.tabIndex = 0;
        chip.setAttribute('role', 'group');
        chip.setAttribute('aria-label', label);
        chip.setAttribute('aria-keyshortcuts', 'Delete Backspace');
        chip.addEventListener('keydown', (event) => {
          if (event.key === 'Delete' || event.key === 'Backspace') {
            event.preventDefault();
            remove(index, true);
          }
        });
        const removeButton = document.createElement('button');
        removeButton.type = 'button';
        removeButton.textContent = '×';
        removeButton.setAttribute('aria-label', t('removeContext', label));
        removeButton.addEventListener('click', () => remove(index, false));
        chip.append(removeButton);
        return chip;
      });
      const tokens = attachedTokens(context);
      const estimate = document.createElement('span');
      estimate.className = 'context-tokens';
      estimate.textContent = t('attachedTokens', tokens);
      estimate.hidden = tokens === 0;
      container.replaceChildren(...chips, estimate);
      container.hidden = context.length === 0;
      if (refocusAt !== undefined) {
        const next = chips[Math.min(refocusAt, chips.length - 1)];
        refocusAt = undefined;
        if (next) next.focus();
        else options.focusInput?.();
      }
    },
  };
}
