// Inline edit in the real workbench UI (code-server 4.100.3 = VS Code 1.100, Chromium): select a
// function, open the editor context menu's "Fox Chat" submenu, choose Refactor Selection…, pick the
// "Simplify" preset, watch the answer replace the selection, click the Accept CodeLens, Undo; then
// once more with Reject. Saves the README picture screenshot-inline-edit.png (see readmeScreenshotPath) with the CodeLens visible.

import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { REFACTOR_CODE } from '../fixtures/mockGateway';
import type { MockGateway, RecordedRequest } from '../fixtures/mockGateway';
import {
  ACTIVE_EDITOR,
  readmeScreenshotPath,
  answerInputBox,
  codeLens,
  editorLines,
  openFile,
  runCommand,
  selectLines,
  waitUntil,
  useWorkbench,
  nextChatRequest,
  openSelectionContextMenu,
} from './harness';
import { wordFrequenciesLines } from '../fixtures/sampleCode';

const FILE = 'inline-edit.ts';
/** Lines 3-10 are the function; the marker comment picks the mock's [refactor] answer. */
const ORIGINAL_LINES = [
  '// Fox Chat: select the function and run Refactor Selection…',
  '',
  ...wordFrequenciesLines('[refactor]'),
  '',
  "console.log(wordFrequencies('the quick brown fox jumps over the lazy dog'));",
  '',
];
const ORIGINAL = ORIGINAL_LINES.join('\n');

/** Right-clicks the selection, opens the "Fox Chat" submenu and returns its labels (menu left open). */
async function openFoxChatSubmenu(page: Page): Promise<string[]> {
  const menu = await openSelectionContextMenu(page);
  const labels = (await menu.locator('.action-item .action-label').allInnerTexts()).map((text) => text.trim());
  assert.ok(labels.includes('Fox Chat'), `the editor context menu has a "Fox Chat" submenu: ${JSON.stringify(labels)}`);
  await menu.locator('.action-item .action-label', { hasText: /^Fox Chat$/ }).first().hover();
  const submenu = page.locator('.context-view .monaco-submenu .monaco-menu, .context-view .monaco-menu').nth(1);
  await submenu.waitFor({ state: 'visible', timeout: 10_000 });
  return (await submenu.locator('.action-item .action-label').allInnerTexts()).map((text) => text.trim()).filter(Boolean);
}

describe('Fox Chat inline edit (code-server + Chromium)', function () {
  let mock: MockGateway;
  let page: Page;


  /** Starts a refactor of lines 3-10 through the context menu and the "Simplify" preset. */
  async function refactorThroughContextMenu(): Promise<RecordedRequest> {
    await selectLines(page, 3, 10);
    const items = await openFoxChatSubmenu(page);
    for (const label of ['Explain Selection', 'Refactor Selection…', 'Ask About Selection…', 'Add Selection to Chat']) {
      assert.ok(items.includes(label), `the Fox Chat submenu offers ${label}: ${JSON.stringify(items)}`);
    }
    const since = mock.requests.length;
    // Hovering a menu item focuses it; Enter runs it (a synthetic click on a freshly opened submenu
    // item is sometimes swallowed by the menu's own mouse handling).
    await page.locator('.context-view .action-item .action-label', { hasText: 'Refactor Selection…' }).first().hover();
    await waitUntil('"Refactor Selection…" to be focused in the submenu', () =>
      page
        .locator('.context-view .action-item.focused .action-label', { hasText: 'Refactor Selection…' })
        .count()
        .then((count) => count > 0),
    5_000);
    await page.keyboard.press('Enter');
    await page.locator('.context-view .monaco-menu').first().waitFor({ state: 'hidden', timeout: 5_000 });
    // The quick pick of presets; typing filters it, Enter takes the highlighted preset.
    await answerInputBox(page, 'Simplify');
    return nextChatRequest(mock, since);
  }

  const suite = useWorkbench({ setKey: true, files: { [FILE]: ORIGINAL }, settings: { 'workbench.colorTheme': 'Default Dark Modern', 'editor.codeLens': true } });
  before(() => {
    ({ mock, page } = suite);
  });

  it('streams the new code into the editor, shows Accept / Reject CodeLens, Accept keeps it and Undo restores', async function () {
    await openFile(page, FILE);
    const request = await refactorThroughContextMenu();
    const messages = (request.body as { messages: { role: string; content: string }[] }).messages;
    const user = messages[messages.length - 1]!.content;
    assert.ok(user.startsWith('Simplify this code'), `the preset's instruction: ${user.slice(0, 120)}`);
    assert.ok(user.includes(`${FILE} (language: typescript, lines 3-10)`), user);

    // The refactor makes two separated changes: Accept All / Reject All above it (hunkReview.test.ts
    // covers the per-hunk lenses).
    const accept = codeLens(page, 'Accept All');
    await accept.waitFor({ state: 'visible', timeout: 20_000 });
    await codeLens(page, 'Reject All').waitFor({ state: 'visible' });
    await codeLens(page, 'Show Diff').waitFor({ state: 'visible' });
    const expected = [...ORIGINAL_LINES.slice(0, 2), ...REFACTOR_CODE.split('\n'), ...ORIGINAL_LINES.slice(10)];
    await waitUntil('the new code in the editor', async () => JSON.stringify(await editorLines(page)) === JSON.stringify(expected), 10_000);

    // The README's screenshot: the new code decorated, with its CodeLens.
    await page.keyboard.press('Escape');
    await runCommand(page, 'Notifications: Clear All Notifications');
    await page.screenshot({ path: readmeScreenshotPath('screenshot-inline-edit.png') });

    await accept.click();
    await accept.waitFor({ state: 'hidden', timeout: 10_000 });
    assert.deepEqual(await editorLines(page), expected, 'Accept keeps the new code');

    await page.locator(`${ACTIVE_EDITOR} .view-lines`).first().click();
    await page.keyboard.press('Control+z');
    await waitUntil('Undo to bring the original back', async () => (await editorLines(page)).join('\n') === ORIGINAL, 10_000);
  });

  it('Reject through its CodeLens puts the original back, and a file saved before is not left modified', async function () {
    await openFile(page, FILE);
    const activeTab = page.locator('.editor-group-container.active .tab.active');
    const isDirty = async (): Promise<boolean> => ((await activeTab.getAttribute('class')) ?? '').split(/\s+/).includes('dirty');
    // The test before leaves an undone edit behind (modified); start from a saved file.
    await page.keyboard.press('Control+S');
    await waitUntil('the file to be saved', async () => !(await isDirty()), 10_000);
    await refactorThroughContextMenu();
    const reject = codeLens(page, 'Reject All');
    await codeLens(page, 'Accept All').waitFor({ state: 'visible', timeout: 20_000 });
    await reject.click();
    await reject.waitFor({ state: 'hidden', timeout: 10_000 });
    await waitUntil('the original in the editor', async () => (await editorLines(page)).join('\n') === ORIGINAL, 10_000);
    // The file had no unsaved changes before and has its text back: it does not ask to be saved.
    await waitUntil('the tab to lose its modified mark', async () => !(await isDirty()), 10_000);
  });
});
