// Tells screen readers, politely, that an answer is complete. The transcript itself is not a live
// region: streamed text would be read out token by token.
import type { Translate } from './l10n';

/** How much of an answer is read out; the rest is in the transcript. */
const MAX_ANNOUNCED_CHARS = 600;

export interface Announcer {
  answerFinished(author: string, text: string): void;
}

export function createAnnouncer(region: HTMLElement, t: Translate): Announcer {
  region.setAttribute('role', 'status');
  region.setAttribute('aria-live', 'polite');
  region.setAttribute('aria-atomic', 'true');
  return {
    answerFinished(author, text) {
      const plain = text.replace(/\s+/g, ' ').trim();
      const shown = plain.length > MAX_ANNOUNCED_CHARS ? `${plain.slice(0, MAX_ANNOUNCED_CHARS)}…` : plain;
      region.textContent = t('answerAnnounced', author, shown);
    },
  };
}
