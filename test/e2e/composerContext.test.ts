// @-context in the composer, in a real VS Code (code-server + Chromium): `@` opens the completion
// list, @file asks for a workspace file with a quick pick (secret files not offered) and attaches it
// as a chip whose text goes out with the next question; a chip removed from the keyboard is not sent;
// @selection attaches the editor's selection.

import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import type { MockGateway, RecordedRequest } from '../fixtures/mockGateway';
import {
  EXAMPLE_FILE,
  EXAMPLE_TS,
  QUICK_INPUT,
  focusedRowLabel,
  linesOf,
  nextChatRequest,
  openChatPanel,
  openFile,
  quickInputValue,
  selectLines,
  sendFromComposer,
  useWorkbench,
  visibleRowLabels,
  waitForMessageState,
  waitForQuickInputHidden,
  waitUntil,
  lastUserText,
  typeUntilOption,
} from './harness';

const NOTES_FILE = 'src/notes.ts';
const NOTES_MARKER = 'composer-context-marker-4711';
const SECRET = 'AKIA-composer-context-secret';
const DIFF_MARKER = 'diff-marker-815';

/** Makes the workspace a Git repository with everything committed, then changes notes.ts and the .env. */
function commitThenChange(folder: string): void {
  const git = (...args: string[]): void => {
    execFileSync('git', ['-c', 'user.name=Fox Test', '-c', 'user.email=fox@example.invalid', ...args], { cwd: folder, stdio: 'ignore' });
  };
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'initial');
  fs.appendFileSync(path.join(folder, NOTES_FILE), `export const CHANGED = '${DIFF_MARKER}';\n`);
  fs.writeFileSync(path.join(folder, '.env'), `API_KEY=${SECRET}\n`);
}



/** Chooses @file in the composer, then `file` in the quick pick; returns the rows the pick offered for ".env". */
async function attachFile(page: Page, frame: Frame, file: string): Promise<string[]> {
  await typeUntilOption(frame, '@fi', '@file');
  await frame.locator('textarea#composer-input').press('Enter');
  await page.locator(QUICK_INPUT).waitFor({ state: 'visible', timeout: 15_000 });
  const box = page.locator(`${QUICK_INPUT} .quick-input-box input`);
  await waitUntil('the file list to be loaded', async () => (await visibleRowLabels(page)).length > 0, 20_000);
  await box.fill('.env');
  // The pick filters as it is typed; give it the query and read what it shows for it.
  await waitUntil('the pick to filter for .env', async () => (await quickInputValue(page)) === '.env', 5_000);
  const envRows = await visibleRowLabels(page);
  await box.fill(file.split('/').pop() ?? file);
  await waitUntil(`${file} to be the highlighted file`, async () => (await focusedRowLabel(page)) === file.split('/').pop(), 10_000);
  await page.keyboard.press('Enter');
  await waitForQuickInputHidden(page);
  return envRows;
}

async function askAndWait(frame: Frame, mock: MockGateway, question: string): Promise<RecordedRequest> {
  const since = mock.requests.length;
  const before = await sendFromComposer(frame, question);
  const request = await nextChatRequest(mock, since);
  await waitForMessageState(frame, before + 1, ['done', 'error', 'stopped']);
  return request;
}

describe('@-context in the composer (code-server + Chromium)', function () {
  let mock: MockGateway;
  let page: Page;

  const suite = useWorkbench({
    setKey: true,
    // The harness turns Git off to keep other suites quiet; @diff needs it.
    settings: { 'git.enabled': true },
    files: {
      [NOTES_FILE]: `// Notes the model should see.\nexport const MARKER = '${NOTES_MARKER}';\n`,
      '.env': 'API_KEY=committed-placeholder\n',
    },
    prepareWorkspace: commitThenChange,
  });
  before(() => {
    ({ mock, page } = suite);
  });

  it('@file adds a chip for the picked file (secret files not offered) whose content is in the request body', async function () {
    const frame = await openChatPanel(page);
    const envRows = await attachFile(page, frame, NOTES_FILE);
    assert.ok(!envRows.some((row) => row.trim() === '.env'), `.env must not be offered: ${JSON.stringify(envRows)}`);

    const chip = frame.locator('#composer-context .context-chip[data-kind="attachment"]');
    await chip.waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(await chip.locator('.chip-label').innerText(), NOTES_FILE);
    assert.match(await frame.locator('#composer-context .context-tokens').innerText(), /^≈ \d+ tokens$/);
    assert.equal(await frame.locator('textarea#composer-input').inputValue(), '', 'the @fi typed is gone');

    const request = await askAndWait(frame, mock, 'What does this file export?');
    const text = lastUserText(request);
    assert.ok(text.startsWith('What does this file export?'), text);
    assert.ok(text.includes(`File: ${NOTES_FILE} (language: typescript)`), text);
    assert.ok(text.includes(`export const MARKER = '${NOTES_MARKER}';`), text);
    assert.ok(!JSON.stringify(request.body).includes(SECRET), 'the .env never goes out');
    assert.equal(await frame.locator('#composer-context .context-chip').count(), 0, 'sent: the composer has no chips left');
  });

  it('a chip removed with the keyboard is not in the next request', async function () {
    const frame = await openChatPanel(page);
    await attachFile(page, frame, NOTES_FILE);
    const chip = frame.locator('#composer-context .context-chip[data-kind="attachment"]');
    await chip.waitFor({ state: 'visible', timeout: 15_000 });
    await chip.focus();
    await chip.press('Delete');
    await chip.waitFor({ state: 'detached', timeout: 10_000 });
    await waitUntil(
      'focus back in the composer',
      () => frame.evaluate(() => document.activeElement?.id === 'composer-input'),
      5_000,
    );

    const request = await askAndWait(frame, mock, 'Anything attached now?');
    const text = lastUserText(request);
    assert.equal(text, 'Anything attached now?');
  });

  it('@selection attaches the editor selection with its file, language and lines', async function () {
    await openFile(page, EXAMPLE_FILE);
    await selectLines(page, 2, 4);
    const frame = await openChatPanel(page);
    await typeUntilOption(frame, 'Explain @sel', '@selection');
    await frame.locator('textarea#composer-input').press('Tab');
    const chip = frame.locator('#composer-context .context-chip[data-kind="selection"]');
    await chip.waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(await chip.locator('.chip-label').innerText(), `${EXAMPLE_FILE}:2-4`);
    assert.equal(await frame.locator('textarea#composer-input').inputValue(), 'Explain ');

    const request = await askAndWait(frame, mock, 'Explain this');
    const text = lastUserText(request);
    assert.ok(text.includes(`File: ${EXAMPLE_FILE} (language: typescript, lines 2-4)`), text);
    assert.ok(text.includes(linesOf(EXAMPLE_TS, 2, 4)), text);
  });

  it('@diff attaches the working tree changes from Git, without the changes to an ignored file', async function () {
    const frame = await openChatPanel(page);
    await typeUntilOption(frame, 'What changed? @dif', '@diff');
    await frame.locator('textarea#composer-input').press('Enter');
    const chip = frame.locator('#composer-context .context-chip[data-kind="attachment"][data-source="diff"]');
    await chip.waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await chip.locator('.chip-label').innerText(), 'Working tree diff');

    const request = await askAndWait(frame, mock, 'What changed?');
    const text = lastUserText(request);
    assert.match(text, /Working tree diff of fox-chat-ws-\w+ \(staged and unstaged changes; changes to 1 file\(s\) in the ignore list left out\)\n```+diff\n/);
    assert.ok(text.includes(`+export const CHANGED = '${DIFF_MARKER}';`), text);
    assert.ok(!JSON.stringify(request.body).includes(SECRET), 'the .env change never goes out');
    assert.ok(!text.includes('.env'), text);
  });

  it('@terminal without a terminal says what to do instead of attaching nothing silently', async function () {
    const frame = await openChatPanel(page);
    await typeUntilOption(frame, '@term', '@terminal');
    await frame.locator('textarea#composer-input').press('Enter');
    await page
      .locator('.notifications-toasts .notification-toast', { hasText: 'Open a terminal and run a command first' })
      .waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(await frame.locator('#composer-context .context-chip').count(), 0);
  });
});
