// Context chips: a file range or an image attached to a question, in the composer (removable)
// and under a sent question.
import type { ContextView } from '../../protocol';
import type { Post } from '../host';
import type { Translate } from '../l10n';

export function chipLabel(context: ContextView): string {
  if (context.kind === 'image') {
    return context.name;
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
  } else {
    chip.title = `${context.fileName} (${context.languageId})`;
  }
  const label = document.createElement('span');
  label.className = 'chip-label';
  label.textContent = chipLabel(context);
  chip.append(label);
  return chip;
}

export interface PendingContext {
  /** Shows the context the next question will carry, each chip with its remove button. */
  render(context: readonly ContextView[]): void;
}

export function createPendingContext(container: HTMLElement, options: { post: Post; t: Translate }): PendingContext {
  const { post, t } = options;
  return {
    render(context) {
      container.replaceChildren(
        ...context.map((item, index) => {
          const chip = renderChip(item);
          const remove = document.createElement('button');
          remove.type = 'button';
          remove.textContent = '×';
          remove.setAttribute('aria-label', t('removeContext', chipLabel(item)));
          remove.addEventListener('click', () => post({ type: 'removeContext', index }));
          chip.append(remove);
          return chip;
        }),
      );
      container.hidden = context.length === 0;
    },
  };
}
