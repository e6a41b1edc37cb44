// Per-hunk review of a refactor in the real workbench UI (code-server = VS Code 1.100, Chromium),
// with `files.autoSave: afterDelay` (100 ms) on for the whole suite: the mock's refactor of a
// CRLF file makes two separated changes, shown as two hunks with their own CodeLens; rejecting one
// and accepting the other leaves exactly the expected bytes on disk; Accept All then one Undo
// restores the original; a slow streaming refactor is auto-saved while it streams and can still
// be accepted. Saves the README picture screenshot-hunk-review.png (see readmeScreenshotPath).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { REFACTOR_CODE } from '../fixtures/mockGateway';
import type { MockGateway } from '../fixtures/mockGateway';
import {
  ACTIVE_EDITOR,
  answerInputBox,
  codeLens,
  editorLines,
  nextChatRequest,
  openFile,
  readmeScreenshotPath,
  runCommand,
  selectLines,
  useWorkbench,
  waitUntil,
} from './harness';
import { wordFrequenciesLines } from '../fixtures/sampleCode';

/** Lines 2-9 are the function; the marker comment picks the mock's [refactor] answer (REFACTOR_CODE). */
const ORIGINAL_LINES = ['// Fox Chat: per-hunk review', ...wordFrequenciesLines('[refactor]'), '', "console.log(wordFrequencies('the fox'));", ''];
const SLOW_LINES = ['// Fox Chat: auto-save while streaming', ...wordFrequenciesLines('[refactor-slow]'), ''];
const CRLF_FILE = 'hunk-review.ts';
const SLOW_FILE = 'auto-save.ts';
const ACCEPT_ALL_FILE = 'accept-all.ts';
const NEW_CODE = REFACTOR_CODE.split('\n');
/** The refactor's two changes: the marker comment removed (hunk 1), the loop rewritten (hunk 2). */
const REWRITTEN_LOOP = NEW_CODE[2]!;

describe('Fox Chat per-hunk review (code-server + Chromium, auto-save after 100 ms)', function () {
  let mock: MockGateway;
  let page: Page;
  const suite = useWorkbench({
    setKey: true,
    files: { [CRLF_FILE]: ORIGINAL_LINES.join('\r\n'), [ACCEPT_ALL_FILE]: ORIGINAL_LINES.join('\r\n'), [SLOW_FILE]: SLOW_LINES.join('\n') },
    settings: {
      'workbench.colorTheme': 'Default Dark Modern',
      'editor.codeLens': true,
      'files.autoSave': 'afterDelay',
      'files.autoSaveDelay': 100,
    },
  });
  before(() => {
    ({ mock, page } = suite);
  });
  const onDisk = (file: string): string => fs.readFileSync(path.join(suite.server.workspace, file), 'utf8');

  /** Refactors lines 2-9 of the active editor with the "Simplify" preset. */
  async function refactorFunction(): Promise<void> {
    await selectLines(page, 2, 9);
    const since = mock.requests.length;
    await runCommand(page, 'Fox Chat: Refactor Selection…');
    await answerInputBox(page, 'Simplify');
    await nextChatRequest(mock, since);
  }

  it('two separated changes are two hunks; rejecting one and accepting the other leaves exactly the expected bytes (CRLF)', async function () {
    await openFile(page, CRLF_FILE);
    await refactorFunction();
    const rejectFirst = codeLens(page, 'Reject change 1 of 2');
    await rejectFirst.waitFor({ state: 'visible', timeout: 30_000 });
    for (const label of ['Accept All', 'Reject All', 'Show Diff', 'Accept change 1 of 2', 'Accept change 2 of 2', 'Reject change 2 of 2']) {
      await codeLens(page, label).waitFor({ state: 'visible', timeout: 5_000 });
    }
    const proposed = [ORIGINAL_LINES[0]!, ...NEW_CODE, ...ORIGINAL_LINES.slice(9)];
    await waitUntil('the new code in the editor', async () => JSON.stringify(await editorLines(page)) === JSON.stringify(proposed), 10_000);
    // The removed lines are shown beside the new ones: the marker comment and the old loop.
    const removedTexts = async (): Promise<string> =>
      page.evaluate((selector) => {
        const found: string[] = [];
        for (const line of Array.from(document.querySelectorAll(`${selector} .view-line span`))) {
          const after = getComputedStyle(line, '::after').content;
          if (after && after !== 'none' && after !== 'normal') found.push(after);
        }
        return found.join('\n');
      }, ACTIVE_EDITOR);
    await waitUntil('the removed lines beside the new ones', async () => {
      const removed = await removedTexts();
      return removed.includes('// [refactor]') && removed.includes('for (const word of text.toLowerCase().split(');
    }, 10_000);

    // The README's screenshot: both hunks with their CodeLens and removed lines.
    await page.keyboard.press('Escape');
    await runCommand(page, 'Notifications: Clear All Notifications');
    await page.screenshot({ path: readmeScreenshotPath('screenshot-hunk-review.png') });

    await rejectFirst.click();
    const withComment = [ORIGINAL_LINES[0]!, NEW_CODE[0]!, ORIGINAL_LINES[2]!, ...NEW_CODE.slice(1), ...ORIGINAL_LINES.slice(9)];
    await waitUntil('the marker comment back, the rest still proposed', async () => JSON.stringify(await editorLines(page)) === JSON.stringify(withComment), 10_000);
    await rejectFirst.waitFor({ state: 'hidden', timeout: 10_000 });
    const acceptSecond = codeLens(page, 'Accept change 2 of 2');
    await acceptSecond.click();
    await acceptSecond.waitFor({ state: 'hidden', timeout: 10_000 });
    await codeLens(page, 'Accept All').waitFor({ state: 'hidden', timeout: 10_000 });
    assert.deepEqual(await editorLines(page), withComment);
    assert.ok(withComment.includes(REWRITTEN_LOOP) && withComment.includes('  // [refactor]'));
    // Auto-save writes it: exactly the original bytes with only the second change applied.
    const expected = withComment.join('\r\n');
    await waitUntil('the file on disk to hold exactly the expected text', () => onDisk(CRLF_FILE) === expected, 10_000);
  });

  it('Accept All then one Undo brings the original back', async function () {
    await openFile(page, ACCEPT_ALL_FILE);
    await refactorFunction();
    const acceptAll = codeLens(page, 'Accept All');
    await acceptAll.waitFor({ state: 'visible', timeout: 30_000 });
    await acceptAll.click();
    await acceptAll.waitFor({ state: 'hidden', timeout: 10_000 });
    const accepted = [ORIGINAL_LINES[0]!, ...NEW_CODE, ...ORIGINAL_LINES.slice(9)];
    assert.deepEqual(await editorLines(page), accepted);
    await page.locator(`${ACTIVE_EDITOR} .view-lines`).first().click();
    await page.keyboard.press('Control+z');
    await waitUntil('one Undo to bring the original back', async () => JSON.stringify(await editorLines(page)) === JSON.stringify(ORIGINAL_LINES), 10_000);
    await waitUntil('auto-save to write the original back byte for byte', () => onDisk(ACCEPT_ALL_FILE) === ORIGINAL_LINES.join('\r\n'), 10_000);
  });

  it('a streaming refactor is auto-saved while it streams, goes on to review and can be accepted', async function () {
    await openFile(page, SLOW_FILE);
    const original = SLOW_LINES.join('\n');
    const expected = [SLOW_LINES[0]!, ...NEW_CODE, ''];
    await refactorFunction();
    // An auto-save lands mid-stream: the file on disk holds part of the new code, neither the
    // original nor the finished refactor (the buffer only holds all of it once streaming is over).
    // VS Code holds CodeLens updates back while a document keeps changing, so the "rewriting"
    // lens is no signal that streaming is still going on; the partial file on disk is.
    await waitUntil('an auto-save while the refactor streams', () => {
      const disk = onDisk(SLOW_FILE);
      return disk !== original && disk !== expected.join('\n') && disk.startsWith(SLOW_LINES[0]!) && !disk.includes('[refactor-slow]');
    }, 20_000);
    const acceptAll = codeLens(page, 'Accept All');
    await acceptAll.waitFor({ state: 'visible', timeout: 30_000 });
    await acceptAll.click();
    await acceptAll.waitFor({ state: 'hidden', timeout: 10_000 });
    assert.deepEqual(await editorLines(page), expected);
    await waitUntil('auto-save to write the accepted code', () => onDisk(SLOW_FILE) === expected.join('\n'), 10_000);
  });
});
