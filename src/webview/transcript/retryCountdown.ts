// A retry wait under an answer: a live countdown with Retry Now / Cancel.
import type { RetryView } from '../../protocol';
import type { Post } from '../host';
import type { Translate } from '../l10n';

/** The timers the countdown ticks with (the window's; tests pass fake ones). */
export interface IntervalClock {
  setInterval(handler: () => void, timeout: number): number;
  clearInterval(handle: number | undefined): void;
}

export interface RetryCountdowns {
  /** Shows (or, with no retry, clears) the wait of the answer `element`. */
  set(element: HTMLElement, retry: RetryView | undefined): void;
  /** Stops every countdown (the transcript is being rebuilt). */
  clearAll(): void;
}

export function createRetryCountdowns(options: { post: Post; t: Translate; clock: IntervalClock }): RetryCountdowns {
  const { post, t, clock } = options;
  const countdowns = new Map<string, number>();
  return {
    set(element, retry) {
      const id = element.dataset.id ?? '';
      clock.clearInterval(countdowns.get(id));
      countdowns.delete(id);
      element.querySelector('.message-retry')?.remove();
      if (!retry) {
        return;
      }
      const box = document.createElement('div');
      box.className = 'message-retry';
      box.setAttribute('role', 'status');
      const text = document.createElement('p');
      let seconds = retry.seconds;
      const render = (): void => {
        text.textContent = t('retrying', retry.reason, seconds, retry.attempt, retry.maxAttempts);
      };
      render();
      const retryNow = document.createElement('button');
      retryNow.type = 'button';
      retryNow.dataset.action = 'retryNow';
      retryNow.textContent = t('retryNow');
      retryNow.addEventListener('click', () => post({ type: 'retryNow' }));
      const cancel = document.createElement('button');
      cancel.type = 'button';
      cancel.dataset.action = 'cancel';
      cancel.textContent = t('cancel');
      cancel.addEventListener('click', () => post({ type: 'stop' }));
      box.append(text, retryNow, cancel);
      element.querySelector('.message-body')?.after(box);
      countdowns.set(
        id,
        clock.setInterval(() => {
          seconds = Math.max(0, seconds - 1);
          render();
        }, 1000),
      );
    },
    clearAll() {
      countdowns.forEach((timer) => clock.clearInterval(timer));
      countdowns.clear();
    },
  };
}
