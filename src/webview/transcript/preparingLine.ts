// The "preparing" line under an answer while its tool calls stream in.
import type { Translate } from '../l10n';

/** "Preparing read_file…" under an answer while its tool calls stream; gone once it finishes. */
export function setPreparing(element: HTMLElement, names: readonly string[], t: Translate): void {
  let line = element.querySelector<HTMLElement>('.message-preparing');
  if (names.length === 0) {
    line?.remove();
    return;
  }
  if (!line) {
    line = document.createElement('p');
    line.className = 'message-preparing';
    line.setAttribute('role', 'status');
    element.append(line);
  }
  line.textContent = t('preparingTools', names.join(', '));
}
