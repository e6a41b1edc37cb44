// Prompt files in the real workbench (code-server 4.100.3 = VS Code 1.100, Chromium): a repository
// with two .prompt.md files in .github/prompts (and a broken one, reported without hiding the others).
// "Fox Chat: Run Prompt…" lists them; one asks an ${input:…} and sends it with the ${selection} to the
// chat panel, the other (`output: replace-selection`) rewrites the selection through the inline edit
// flow and is accepted. "Save as Prompt" on the question writes a new prompt file; `/name` typed in
// the composer runs a prompt as the palette does.

import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { MOCK_ANSWER, REFACTOR_CODE } from '../fixtures/mockGateway';
import type { MockGateway } from '../fixtures/mockGateway';
import {
  QUICK_INPUT,
  answerInputBox,
  chatFrame,
  codeLens,
  editorLines,
  messageCountNow,
  nextChatRequest,
  openFile,
  quickInputValue,
  runCommand,
  selectLines,
  useWorkbench,
  visibleRowLabels,
  waitForMessageState,
  waitUntil,
  lastUserText,
  typeUntilOption,
  openChatPanel,
} from './harness';

const FILE = 'totals.ts';
const ORIGINAL_LINES = [
  '// Prompt files: select the function and run Fox Chat: Run Prompt…',
  '',
  'export function total(prices: number[]): number {',
  '  var sum = 0;',
  '  for (var i = 0; i < prices.length; i++) {',
  '    sum = sum + prices[i];',
  '  }',
  '  return sum;',
  '}',
  '',
];

const EXPLAIN_PROMPT = [
  '---',
  "description: 'Explain the selection with a focus you choose'",
  'mode: ask',
  'model: gpt-4o-mini',
  'argument-hint: ignored by Fox Chat',
  '---',
  'Explain this code, focusing on ${input:focus:What should the explanation focus on?}.',
  '',
  '${selection}',
  '',
].join('\n');

const TIDY_PROMPT = ['---', 'description: Tidy the selected code in place', 'output: replace-selection', 'model: anthropic/claude-sonnet-4.5', '---', '[refactor] Tidy this code.', ''].join('\n');

const NOTES_MARKER = 'Totals are kept in cents, never in floats.';
/** Over the 600 KB a linked text file may have: refused by its size, before it is read. */
const BIG_LOG_BYTES = 700 * 1024;
const LINKS_PROMPT = ['---', 'description: Explain with the team notes', '---', 'Explain totals. Read [the notes](../../notes.md) and [the log](../../big.log) first.', ''].join('\n');

const BROKEN_PROMPT = ['---', 'description: fine', "tools: ['unclosed'", '---', 'Never loaded.', ''].join('\n');


/** Runs "Fox Chat: Run Prompt…" and picks `name` from its quick pick; returns the labels it listed. */
async function runPrompt(page: Page, name: string): Promise<string[]> {
  await runCommand(page, 'Fox Chat: Run Prompt…');
  let labels: string[] = [];
  await waitUntil(
    'the prompt quick pick to list the prompts',
    async () => {
      labels = (await visibleRowLabels(page)).map((label) => label.trim());
      return labels.includes(name);
    },
    20_000,
  );
  await answerInputBox(page, name);
  return labels;
}

describe('Fox Chat prompt files (code-server + Chromium)', function () {
  let mock: MockGateway;
  let page: Page;

  const suite = useWorkbench({
    setKey: true,
    files: {
      [FILE]: ORIGINAL_LINES.join('\n'),
      '.github/prompts/explain-focus.prompt.md': EXPLAIN_PROMPT,
      '.github/prompts/tidy.prompt.md': TIDY_PROMPT,
      '.github/prompts/broken.prompt.md': BROKEN_PROMPT,
      '.github/prompts/with-links.prompt.md': LINKS_PROMPT,
      'notes.md': `# Team notes\n\n${NOTES_MARKER}\n`,
      'big.log': 'x'.repeat(BIG_LOG_BYTES),
    },
    settings: { 'editor.codeLens': true },
  });
  before(() => {
    ({ mock, page } = suite);
  });

  it('Run Prompt… asks the ${input:…}, sends it with the ${selection} and the answer streams into the panel', async function () {
    await openFile(page, FILE);
    await selectLines(page, 3, 9);
    const before = await messageCountNow(page);
    const since = mock.requests.length;
    const labels = await runPrompt(page, 'explain-focus');
    assert.deepEqual([...labels].sort(), ['explain-focus', 'tidy', 'with-links'], 'the good prompts are listed, the broken one is not');
    await answerInputBox(page, 'the loop variable', { prompt: /focus/ });

    const request = await nextChatRequest(mock, since);
    const text = lastUserText(request);
    assert.ok(text.startsWith('Explain this code, focusing on the loop variable.'), text);
    assert.ok(text.includes('export function total(prices: number[]): number {\n  var sum = 0;'), `the selection is in the request:\n${text}`);
    assert.equal((request.body as { model?: unknown }).model, 'gpt-4o-mini', "the prompt's model is asked for");
    assert.equal(request.headers.authorization, `Bearer ${mock.apiKey}`, 'the key still goes to the configured gateway');

    const frame = await chatFrame(page);
    const messages = await waitForMessageState(frame, before + 1, ['done', 'stopped', 'error']);
    assert.equal(messages[before]?.role, 'user');
    assert.equal(messages[before + 1]?.state, 'done', JSON.stringify(messages[before + 1]));
    assert.equal(messages[before + 1]?.text, MOCK_ANSWER);

    // The malformed file is reported by name and line (its toast may have timed out: the notification
    // centre keeps it); it did not stop the others from loading.
    await runCommand(page, 'Notifications: Show Notifications');
    const report = page.locator('.notifications-center .notification-list-item', { hasText: 'broken.prompt.md' }).first();
    await report.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match((await report.innerText()).replace(/\s+/g, ' '), /\.github\/prompts\/broken\.prompt\.md was not loaded: line [345]:/);
    await runCommand(page, 'Notifications: Clear All Notifications');
  });

  it('a prompt with `output: replace-selection` streams into the selection, and Accept keeps it', async function () {
    await openFile(page, FILE);
    await selectLines(page, 3, 9);
    const since = mock.requests.length;
    const labels = await runPrompt(page, 'tidy');
    assert.equal(labels[0], 'explain-focus', 'the prompt used last comes first');

    const request = await nextChatRequest(mock, since);
    const messages = (request.body as { messages: { role: string; content: string }[] }).messages;
    assert.match(messages[0]?.content ?? '', /Reply with the replacement code only/, 'the request of the inline edit flow');
    const user = messages[messages.length - 1]?.content ?? '';
    assert.ok(user.startsWith('[refactor] Tidy this code.'), user);
    assert.ok(user.includes(`${FILE} (language: typescript, lines 3-9)`), user);
    assert.equal((request.body as { model?: unknown }).model, 'anthropic/claude-sonnet-4.5', "the prompt's model rewrites the selection");

    const accept = codeLens(page, 'Accept');
    await accept.waitFor({ state: 'visible', timeout: 20_000 });
    const expected = [...ORIGINAL_LINES.slice(0, 2), ...REFACTOR_CODE.split('\n'), ...ORIGINAL_LINES.slice(9)];
    await waitUntil('the new code in the editor', async () => JSON.stringify(await editorLines(page)) === JSON.stringify(expected), 10_000);
    await accept.click();
    await accept.waitFor({ state: 'hidden', timeout: 10_000 });
    assert.deepEqual(await editorLines(page), expected, 'Accept keeps the new code');
  });

  it('"Save as Prompt" on a question writes a prompt file with its text, which Run Prompt… then lists', async function () {
    const frame = await chatFrame(page);
    await frame.locator('.message[data-role="user"] button[data-action="saveAsPrompt"]').first().click();
    // The name box is followed at once by the folder pick in the same widget, so it never hides in between.
    await waitUntil('the name box, filled in from the question', async () => (await quickInputValue(page))?.startsWith('explain-this-code') === true, 15_000);
    await page.locator(`${QUICK_INPUT} .quick-input-box input`).fill('saved-question');
    await page.keyboard.press('Enter');
    await waitUntil('the folder pick', async () => (await visibleRowLabels(page)).some((label) => label.trim() === '.foxchat/prompts'), 15_000);
    await answerInputBox(page, '.foxchat/prompts');
    await page.locator('.tabs-container .tab.active[aria-label^="saved-question.prompt.md"]').waitFor({ state: 'visible', timeout: 15_000 });
    await waitUntil(
      'the question in the new prompt file',
      async () => (await editorLines(page)).some((line) => line.startsWith('Explain this code, focusing on the loop variable.')),
      10_000,
    );
    assert.deepEqual((await editorLines(page)).slice(0, 3), ['---', 'description: "Explain this code, focusing on the loop variable."', 'output: chat']);

    await runCommand(page, 'Fox Chat: Run Prompt…');
    await waitUntil('the saved prompt in the quick pick', async () => (await visibleRowLabels(page)).some((label) => label.trim() === 'saved-question'), 20_000);
    await page.keyboard.press('Escape');
    await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 10_000 });
  });

  it('`/name` in the composer runs that prompt: its ${input:…} is asked, the ${selection} sent, the answer streams into the panel', async function () {
    // The tidy prompt rewrote the function; the comment above it is still line 1.
    await openFile(page, FILE);
    await selectLines(page, 1, 1);
    const frame = await openChatPanel(page);
    const before = await messageCountNow(page);
    const since = mock.requests.length;
    await typeUntilOption(frame, '/expl', '/explain-focus');
    await frame.locator('textarea#composer-input').press('Enter');
    await answerInputBox(page, 'the comment', { prompt: /focus/ });

    const request = await nextChatRequest(mock, since);
    const text = lastUserText(request);
    assert.ok(text.startsWith('Explain this code, focusing on the comment.'), text);
    assert.ok(text.includes(ORIGINAL_LINES[0]!), `the selection is in the request:\n${text}`);
    assert.equal((request.body as { model?: unknown }).model, 'gpt-4o-mini', "the prompt's model is asked for");
    assert.equal(await frame.locator('textarea#composer-input').inputValue(), '', 'the /expl typed is gone');

    const messages = await waitForMessageState(frame, before + 1, ['done', 'stopped', 'error']);
    assert.equal(messages[before]?.role, 'user');
    assert.equal(messages[before + 1]?.state, 'done', JSON.stringify(messages[before + 1]));
    assert.equal(messages[before + 1]?.text, MOCK_ANSWER);
  });

  it('a linked workspace file goes along with the question; a linked file over the size limit does not, and the user is told', async function () {
    const frame = await openChatPanel(page);
    const before = await messageCountNow(page);
    const since = mock.requests.length;
    await runPrompt(page, 'with-links');

    const request = await nextChatRequest(mock, since);
    const text = lastUserText(request);
    assert.ok(text.startsWith('Explain totals.'), text);
    assert.ok(text.includes(NOTES_MARKER), `the linked notes are in the request:\n${text}`);
    assert.ok(!text.includes('x'.repeat(100)), 'the big log is not');
    assert.ok(JSON.stringify(request.body).length < BIG_LOG_BYTES / 2, 'nor anywhere else in the body');
    const warning = page.locator('.notifications-toasts .notification-toast', { hasText: 'big.log' }).first();
    await warning.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match((await warning.innerText()).replace(/\s+/g, ' '), /links to \.\.\/\.\.\/big\.log, which is not attached: it is too large or not text/);
    await waitForMessageState(frame, before + 1, ['done', 'stopped', 'error']);
    await runCommand(page, 'Notifications: Clear All Notifications');
  });
});
