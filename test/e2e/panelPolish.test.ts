// The polished chat panel in a real VS Code (code-server + Chromium): the welcome view of an empty
// chat (suggestions fill the composer, Set API Key right there), a code block's header actions driven
// by the keyboard, and the README's screenshots in the dark, light and both high-contrast themes.

import * as assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { MARKDOWN_CODE } from '../fixtures/mockGateway';
import type { MockGateway } from '../fixtures/mockGateway';
import {
  EXAMPLE_FILE,
  EXAMPLE_TS,
  answerInputBox,
  nextChatRequest,
  openChatPanel,
  openFile,
  readmeScreenshotPath,
  sendFromComposer,
  updateUserSettings,
  useWorkbench,
  waitForMessageState,
  waitUntil,
} from './harness';
import type { CodeServer } from './harness';

/** What the focused element of the chat frame is: its data-action, else its id. */
async function focused(frame: Frame): Promise<string> {
  return frame.evaluate(() => {
    const active = document.activeElement as HTMLElement | null;
    return active?.dataset.action ?? active?.id ?? '';
  });
}

describe('Polished chat panel (real VS Code)', function () {
  this.timeout(240_000);
  let page: Page;
  let mock: MockGateway;
  let server: CodeServer;

  const suite = useWorkbench({ settings: { 'workbench.colorTheme': 'Default Dark Modern' } });
  before(() => {
    ({ page, mock, server } = suite);
  });

  it('an empty chat shows the welcome view; a suggestion fills the composer by keyboard; Set API Key is right there', async function () {
    const frame = await openChatPanel(page);
    const welcome = frame.locator('#empty-state');
    await welcome.locator('.welcome-suggestion').first().waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal((await welcome.locator('.empty-title').innerText()).trim(), 'Ask anything about your code.');
    assert.equal(await welcome.locator('.welcome-features li').count(), 3);
    const suggestions = (await welcome.locator('.welcome-suggestion').allInnerTexts()).map((text) => text.trim());
    assert.equal(suggestions.length, 3);
    assert.ok(suggestions.includes('How do I debounce a function in TypeScript?'), JSON.stringify(suggestions));
    assert.match(await welcome.locator('.welcome-keys').innerText(), /Ctrl\+Alt\+I/);
    assert.equal(await welcome.locator('button[data-action="openWalkthrough"]').count(), 1);

    // No key stored yet for the default profile: the welcome view says so and offers the action.
    await waitUntil('the welcome view to name the profile', async () => /Profile: OfoxAI/.test(await welcome.locator('.welcome-connection').innerText()), 20_000);
    assert.match(await welcome.locator('.welcome-connection').innerText(), /Model: openai\/gpt-4o/);
    const keyBox = welcome.locator('.welcome-key');
    await keyBox.waitFor({ state: 'visible', timeout: 20_000 });
    assert.equal((await keyBox.locator('.welcome-key-text').innerText()).trim(), 'Fox Chat needs an API key for OfoxAI.');
    await page.mouse.move(700, 450);
    await page.screenshot({ path: readmeScreenshotPath('screenshot-welcome.png') });

    // Keyboard only: from Set API Key, Tab reaches the first suggestion; Enter puts it in the composer.
    await keyBox.locator('button[data-action="setApiKey"]').focus();
    await page.keyboard.press('Tab');
    assert.equal(await frame.evaluate(() => document.activeElement?.classList.contains('welcome-suggestion') ?? false), true);
    await page.keyboard.press('Enter');
    const input = frame.locator('textarea#composer-input');
    await waitUntil('the suggestion in the composer', async () => (await input.inputValue()) === suggestions[0], 10_000);
    assert.equal(await focused(frame), 'composer-input', 'the composer takes focus, ready for Enter');

    // Set API Key from the welcome view; once the key is stored the warning goes.
    await keyBox.locator('button[data-action="setApiKey"]').click();
    await answerInputBox(page, mock.apiKey, { password: true });
    await keyBox.waitFor({ state: 'hidden', timeout: 20_000 });

    // The suggestion is asked as it is; the welcome view gives way to the conversation.
    const since = mock.requests.length;
    await input.press('Enter');
    await nextChatRequest(mock, since);
    await waitForMessageState(frame, 1, ['done', 'error', 'stopped']);
    await welcome.waitFor({ state: 'hidden' });
  });

  it("a code block's header actions work by keyboard: Tab from Copy to Insert, Enter inserts into the editor", async function () {
    await openFile(page, EXAMPLE_FILE);
    const frame = await openChatPanel(page);
    const since = mock.requests.length;
    const before = await sendFromComposer(frame, '[markdown] how do I double a number?');
    await nextChatRequest(mock, since);
    await waitForMessageState(frame, before + 1, ['done', 'error', 'stopped']);
    const answer = frame.locator('#transcript .message').nth(before + 1);
    const block = answer.locator('.code-block[data-lang="ts"]');
    const header = block.locator('.code-header');
    assert.equal((await header.locator('.code-lang').innerText()).trim(), 'ts');
    assert.deepEqual(
      await header.locator('.code-actions button').evaluateAll((buttons) => buttons.map((b) => [b.getAttribute('data-action'), b.getAttribute('aria-label')])),
      [
        ['copy', 'Copy'],
        ['insert', 'Insert at Cursor'],
        ['apply', 'Apply to Selection'],
        ['newFile', 'New File'],
      ],
    );
    // The model is named once (header), the meta line is compact with the details on focus.
    assert.equal((await answer.locator('.message-header').innerText()).trim(), 'openai/gpt-4o');
    const meta = answer.locator('.message-meta');
    await meta.focus();
    await meta.locator('.meta-details').waitFor({ state: 'visible' });
    assert.match(await meta.locator('.meta-details').innerText(), /finish: stop/);

    await header.locator('button[data-action="copy"]').focus();
    await page.keyboard.press('Tab');
    assert.equal(await focused(frame), 'insert');
    await page.keyboard.press('Enter');
    const firstLine = page.locator('.editor-group-container.active .monaco-editor .view-line').first();
    await waitUntil(
      'the code to be inserted at the cursor',
      async () => (await firstLine.innerText()).replace(/\u00a0/g, ' ').startsWith(MARKDOWN_CODE.split('\n')[0] ?? ''),
      15_000,
    );
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').click();
    await page.keyboard.press('Control+z');
    await waitUntil('Undo to restore the file', async () => (await firstLine.innerText()).replace(/\u00a0/g, ' ') === EXAMPLE_TS.split('\n')[0], 15_000);
  });

  it('looks right in dark, light and both high-contrast themes: README screenshots, focus outlines in the theme colour', async function () {
    const themes: [string, string, string][] = [
      ['Default Dark Modern', 'dark', 'vs-dark'],
      ['Default Light Modern', 'light', 'vs'],
      ['Default High Contrast', 'high-contrast', 'hc-black'],
      ['Default High Contrast Light', 'high-contrast-light', 'hc-light'],
    ];
    await openFile(page, EXAMPLE_FILE);
    const backgrounds = new Set<string>();
    for (const [theme, name, workbenchClass] of themes) {
      await updateUserSettings(page, server, { 'workbench.colorTheme': theme });
      await page.locator(`.monaco-workbench.${workbenchClass}`).waitFor({ timeout: 20_000 });
      await openFile(page, EXAMPLE_FILE);
      const frame = await openChatPanel(page);
      const block = frame.locator('#transcript .code-block[data-lang="ts"]').last();
      await block.waitFor({ state: 'visible', timeout: 30_000 });
      await block.scrollIntoViewIfNeeded();
      // Keyboard focus on a header action: its outline is the theme's focus border, solid and visible.
      await block.locator('button[data-action="copy"]').focus();
      await page.keyboard.press('Tab');
      const outline = await frame.evaluate(() => {
        const probe = document.createElement('span');
        probe.style.setProperty('color', 'var(--vscode-focusBorder)');
        document.body.append(probe);
        const focusBorder = getComputedStyle(probe).color;
        probe.remove();
        const active = document.activeElement as HTMLElement;
        const style = getComputedStyle(active);
        return { action: active.dataset.action, color: style.outlineColor, width: style.outlineWidth, style: style.outlineStyle, focusBorder };
      });
      assert.equal(outline.action, 'insert');
      assert.deepEqual([outline.color, outline.style], [outline.focusBorder, 'solid'], `${theme}: ${JSON.stringify(outline)}`);
      assert.ok(parseFloat(outline.width) >= 1, `${theme}: ${JSON.stringify(outline)}`);
      if (name.startsWith('high-contrast')) {
        // High contrast: each message is outlined with the theme's contrast border.
        const borders = await frame.evaluate(() => {
          const probe = document.createElement('span');
          probe.style.setProperty('color', 'var(--vscode-contrastBorder)');
          document.body.append(probe);
          const contrast = getComputedStyle(probe).color;
          probe.remove();
          const message = document.querySelector('#transcript .message[data-role="assistant"]') as HTMLElement;
          return { contrast, message: getComputedStyle(message).borderTopColor };
        });
        assert.equal(borders.message, borders.contrast, `${theme}: ${JSON.stringify(borders)}`);
      }
      backgrounds.add(await frame.evaluate(() => getComputedStyle(document.body).backgroundColor));
      // The picture shows the panel at rest: no focus ring, no selection, no hover.
      await frame.evaluate(() => {
        (document.activeElement as HTMLElement | null)?.blur();
        getSelection()?.removeAllRanges();
      });
      await page.mouse.move(0, 0);
      await page.screenshot({ path: readmeScreenshotPath(`screenshot-panel-${name}.png`) });
    }
    assert.equal(backgrounds.size, 4, `the panel follows each theme: ${[...backgrounds].join(', ')}`);
  });
});
