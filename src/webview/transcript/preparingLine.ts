// The "preparing" line under an answer while its tool calls stream in.
import type { Translate } from '../l10n';

/** The tool names an answer is preparing, by call index: the host sends only what changed. */
const preparingNames = new WeakMap<HTMLElement, string[]>();

/** One call's name arrived or grew: the line shows every name so far, in call order. */
export function setPreparingName(element: HTMLElement, index: number, name: string, t: Translate): void {
  const names = preparingNames.get(element) ?? [];
  preparingNames.set(element, names);
  names[index] = name;
  // Sparse when calls arrive out of order: filter skips the holes.
  setPreparing(element, names.filter((entry) => entry !== ''), t);
}

/** "Preparing read_file…" under an answer while its tool calls stream; gone once it finishes. */
export function setPreparing(element: HTMLElement, names: readonly string[], t: Translate): void {
  let line = element.querySelector<HTMLElement>('.message-preparing');
  if (names.length === 0) {
    preparingNames.delete(element);
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
