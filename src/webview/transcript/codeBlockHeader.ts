// A rendered code block's header (its language and the icon actions Copy, Insert at Cursor, Apply to
// Selection, New File) and, for a long block, the control that lifts its height cap.
// It decorates the renderer's finished output after each render, identically whether the answer was
// rendered incrementally or in full: the renderer's HTML stays as it is, only the DOM is added to.
import type { CodeAction } from '../../protocol';
import { icon, iconButton, type IconName } from '../icons';
import type { L10n, Translate } from '../l10n';

const CODE_ACTIONS: readonly { action: CodeAction; icon: IconName }[] = [
  { action: 'copy', icon: 'copy' },
  { action: 'insert', icon: 'insert' },
  { action: 'apply', icon: 'apply' },
  { action: 'newFile', icon: 'newFile' },
];

/** Blocks with more lines than this scroll inside a capped height (media/markdown.css) and get Show more. */
export const CODE_CAP_LINES = 20;

export interface CodeBlockOptions {
  readonly l10n: L10n;
  /** Raw text of the block numbered `index` (data-code-index). */
  readonly codeText: (index: number) => string | undefined;
  readonly run: (action: CodeAction, code: string, language: string) => void;
}

/** Adds the header and the expand control once; a block that has them is left alone. */
export function decorateCodeBlock(block: HTMLElement, options: CodeBlockOptions): void {
  const bar = block.querySelector<HTMLElement>('.code-actions');
  if (!bar || bar.childElementCount > 0 || block.querySelector('.code-header')) {
    return;
  }
  const { l10n, codeText, run } = options;
  const { t } = l10n;
  const index = Number(block.dataset.codeIndex);
  const language = block.dataset.lang ?? '';

  const header = document.createElement('div');
  header.className = 'code-header';
  header.setAttribute('role', 'group');
  header.setAttribute('aria-label', language.length > 0 ? `${t('codeLabel')}: ${language}` : t('codeLabel'));
  const label = document.createElement('span');
  label.className = 'code-lang';
  label.textContent = language;
  for (const { action, icon: iconName } of CODE_ACTIONS) {
    const text = l10n.strings?.codeActions[action] ?? action;
    bar.append(
      iconButton(action, iconName, text, () => {
        const code = codeText(index);
        if (code !== undefined) {
          run(action, code, language);
        }
      }),
    );
  }
  // The bar moves into the header, above the code: the header comes first for the eye and for Tab.
  header.append(label, bar);
  block.prepend(header);

  const lines = (codeText(index) ?? '').split('\n').length;
  if (lines > CODE_CAP_LINES) {
    block.classList.add('code-capped');
    block.append(expandControl(block, t));
  }
}

function expandControl(block: HTMLElement, t: Translate): HTMLButtonElement {
  const toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.className = 'expand-toggle code-expand';
  const show = (expanded: boolean): void => {
    block.classList.toggle('code-expanded', expanded);
    toggle.setAttribute('aria-expanded', String(expanded));
    toggle.replaceChildren(icon(expanded ? 'chevronUp' : 'chevronDown'), expanded ? t('showLess') : t('showMore'));
  };
  toggle.addEventListener('click', () => show(!block.classList.contains('code-expanded')));
  show(false);
  return toggle;
}
