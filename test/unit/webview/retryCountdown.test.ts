import { strict as assert } from 'node:assert';
import FakeTimers from '@sinonjs/fake-timers';
import type { RetryView } from '../../../src/protocol';
import type { Post } from '../../../src/webview/host';
import type { Translate } from '../../../src/webview/l10n';
import type { IntervalClock, RetryCountdowns } from '../../../src/webview/transcript/retryCountdown';
import { exportsFunctions, partLoader, testStrings, type Loaded } from './parts';

interface CountdownParts {
  createRetryCountdowns(options: { post: Post; t: Translate; clock: IntervalClock }): RetryCountdowns;
  createL10n(): { setStrings(strings: typeof testStrings): void; t: Translate };
}

const ANSWER_HTML = '<article class="message" data-id="a1"><header class="message-header"></header><div class="message-body"></div></article>';

describe('retry countdown (transcript/retryCountdown.ts)', function () {
  this.timeout(60000);
  let load: (html?: string) => Loaded<CountdownParts>;
  before(async () => {
    load = await partLoader(
      `export { createRetryCountdowns } from '../transcript/retryCountdown'; export { createL10n } from '../l10n';`,
      exportsFunctions<CountdownParts>('createRetryCountdowns', 'createL10n'),
    );
  });

  function setup() {
    const loaded = load(ANSWER_HTML);
    const window = loaded.dom.window;
    const clock = FakeTimers.withGlobal(window).install({ toFake: ['setInterval', 'clearInterval'] });
    const l10n = loaded.parts.createL10n();
    l10n.setStrings(testStrings);
    const countdowns = loaded.parts.createRetryCountdowns({ post: loaded.post, t: l10n.t, clock: window });
    const answer = window.document.querySelector<HTMLElement>('.message');
    assert.ok(answer);
    const text = (): string | null | undefined => answer.querySelector('.message-retry > p')?.textContent;
    return { ...loaded, clock, countdowns, answer, text };
  }

  const retry: RetryView = { reason: 'Rate limited (429).', seconds: 3, attempt: 1, maxAttempts: 2 };

  it('counts down once a second and stops at zero', () => {
    const { clock, countdowns, answer, text } = setup();
    countdowns.set(answer, retry);
    const box = answer.querySelector('.message-body + .message-retry');
    assert.ok(box, 'right under the body');
    assert.equal(box.getAttribute('role'), 'status');
    assert.equal(text(), 'Rate limited (429). Retrying in 3 s (attempt 1 of 2).');
    clock.tick(999);
    assert.match(text() ?? '', /in 3 s/);
    clock.tick(1);
    assert.match(text() ?? '', /in 2 s/);
    clock.tick(5000);
    assert.match(text() ?? '', /in 0 s/, 'never below zero');
    clock.uninstall();
  });

  it('a new wait replaces the old one, and clearing removes it and its timer', () => {
    const { clock, countdowns, answer, text } = setup();
    countdowns.set(answer, retry);
    clock.tick(1000);
    countdowns.set(answer, { ...retry, seconds: 10, attempt: 2 });
    assert.equal(answer.querySelectorAll('.message-retry').length, 1);
    assert.equal(text(), 'Rate limited (429). Retrying in 10 s (attempt 2 of 2).');
    assert.equal(clock.countTimers(), 1, 'the first countdown stopped');
    countdowns.set(answer, undefined);
    assert.equal(answer.querySelector('.message-retry'), null);
    assert.equal(clock.countTimers(), 0);
    clock.uninstall();
  });

  it('Retry now posts retryNow, Cancel posts stop; clearAll stops every countdown', () => {
    const { clock, countdowns, answer, posted } = setup();
    countdowns.set(answer, retry);
    answer.querySelector<HTMLButtonElement>('.message-retry button[data-action="retryNow"]')?.click();
    answer.querySelector<HTMLButtonElement>('.message-retry button[data-action="cancel"]')?.click();
    assert.deepEqual(posted, [{ type: 'retryNow' }, { type: 'stop' }]);
    assert.equal(answer.querySelector('[data-action="retryNow"]')?.textContent, 'Retry now');
    countdowns.clearAll();
    assert.equal(clock.countTimers(), 0);
    clock.uninstall();
  });
});
