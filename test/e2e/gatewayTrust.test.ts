// The API key goes only where the user stored it, in a real VS Code (code-server + Chromium): a
// cloned repository's .vscode/settings.json pointing foxChat.baseUrl at another gateway gets no
// request until the user allows it in a modal dialog, and the panel shows where requests go.

import * as assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { MOCK_ANSWER, startMockGateway } from '../fixtures/mockGateway';
import type { MockGateway, RecordedRequest } from '../fixtures/mockGateway';
import {
  QUICK_INPUT,
  answerInputBox,
  nextChatRequest,
  openChatPanel,
  runCommand,
  sendFromComposer,
  transcript,
  useWorkbench,
  visibleRowLabels,
  waitForMessageState,
  waitUntil,
} from './harness';

const DIALOG = '.monaco-dialog-box';

describe('Fox Chat gateway trust (code-server + Chromium)', function () {
  /** The workspace's gateway: the key was not stored for it. */
  let other: MockGateway;
  let mock: MockGateway;
  let page: Page;
  let frame: Frame;
  let otherOrigin = '';

  // Filled in by the hook below, which runs before useWorkbench's (hooks run in the order they are
  // registered), so the workspace is created with its .vscode/settings.json already in place.
  const files: Record<string, string> = {};
  before(async () => {
    other = await startMockGateway();
    otherOrigin = new URL(other.baseUrl).origin;
    files['.vscode/settings.json'] = JSON.stringify({ 'foxChat.baseUrl': other.baseUrl }, null, 2);
  });
  after(async () => {
    // Unset when `before` failed before starting it.
    await (other as MockGateway | undefined)?.close();
  });
  // User settings point at `mock`; "Set API Key" binds the key to it.
  const suite = useWorkbench({ setKey: true, files });
  before(() => {
    ({ mock, page } = suite);
  });

  const carriesKey = (request: RecordedRequest): boolean => String(request.headers.authorization ?? '').includes(mock.apiKey);
  const chatRequests = (gateway: MockGateway): RecordedRequest[] =>
    gateway.requests.filter((request) => request.method === 'POST' && request.path === '/v1/chat/completions');
  const dialog = () => page.locator(DIALOG).first();
  const dialogButton = (label: string) => dialog().locator('.monaco-button', { hasText: label }).first();

  it('the panel header shows the workspace\'s gateway origin', async function () {
    frame = await openChatPanel(page);
    const label = frame.locator('#gateway-label');
    await waitUntil(`the header to show ${otherOrigin}`, async () => (await label.textContent())?.trim() === otherOrigin, 20_000);
    assert.match((await label.getAttribute('title')) ?? '', new RegExp(otherOrigin.replace(/[.:/]/g, '\\$&')));
  });

  it('asks before the key goes to the workspace\'s gateway; "Not Now" sends nothing and keeps the text', async function () {
    const question = 'Where does my key go?';
    const before = (await transcript(frame)).length;
    const mockBefore = mock.requests.length;
    await sendFromComposer(frame, question);

    await dialog().waitFor({ state: 'visible', timeout: 20_000 });
    const text = await dialog().innerText();
    assert.ok(text.includes(`This workspace points Fox Chat at ${otherOrigin}. Send your OfoxAI key there?`), text);
    assert.ok(text.includes(new URL(mock.baseUrl).origin), `the dialog names where the key was stored for: ${text}`);
    assert.deepEqual(other.requests.filter(carriesKey), [], 'no request with the key reached the workspace\'s gateway');
    assert.deepEqual(chatRequests(other), [], 'no chat request reached the workspace\'s gateway at all');

    await dialogButton('Not Now').click();
    await dialog().waitFor({ state: 'hidden', timeout: 10_000 });
    const input = frame.locator('textarea#composer-input');
    await waitUntil('the composer to get the question back', async () => (await input.inputValue()) === question, 10_000);
    assert.deepEqual(chatRequests(other), [], 'Not Now sends nothing');
    assert.deepEqual(other.requests.filter(carriesKey), []);
    assert.deepEqual(mock.requests.slice(mockBefore), [], 'nor does the request go to the key\'s own gateway instead');
    assert.equal((await transcript(frame)).length, before, 'the question was not added to the conversation');
  });

  it('"Allow for This Workspace" sends the request with the key, and the answer appears; later questions do not ask again', async function () {
    let since = other.requests.length;
    const before = await sendFromComposer(frame, 'Now you may send it.');
    await dialog().waitFor({ state: 'visible', timeout: 20_000 });
    assert.deepEqual(chatRequests(other), [], 'nothing before the click');
    await dialogButton('Allow for This Workspace').click();

    const request = await nextChatRequest(other, since);
    assert.equal(request.headers.authorization, `Bearer ${mock.apiKey}`);
    const messages = await waitForMessageState(frame, before + 1, ['done', 'error', 'stopped']);
    assert.equal(messages[before + 1]?.state, 'done', JSON.stringify(messages[before + 1]));
    assert.equal(messages[before + 1]?.text, MOCK_ANSWER);

    since = other.requests.length;
    const again = await sendFromComposer(frame, 'And again?');
    await nextChatRequest(other, since);
    assert.equal(await dialog().isVisible(), false, 'the allowance is remembered');
    const answered = await waitForMessageState(frame, again + 1, ['done', 'error', 'stopped']);
    assert.equal(answered[again + 1]?.text, MOCK_ANSWER);
  });

  it('a secret header set with "Set Secret Header…" goes with the key, read from secret storage', async function () {
    await runCommand(page, 'Fox Chat: Set Secret Header…');
    await waitUntil('the secret header picker', async () => (await visibleRowLabels(page)).some((row) => row.includes('Add a secret header')), 15_000);
    await page.keyboard.press('Enter');
    const message = (text: string) => page.locator(`${QUICK_INPUT} .quick-input-message`, { hasText: text }).first();
    await message('The header\'s name').waitFor({ state: 'visible', timeout: 15_000 });
    // The value box follows in the same widget, which so never hides in between: type and Enter here.
    await page.locator(`${QUICK_INPUT} .quick-input-box input`).fill('Ocp-Apim-Subscription-Key');
    await page.keyboard.press('Enter');
    await message('The value of Ocp-Apim-Subscription-Key').waitFor({ state: 'visible', timeout: 15_000 });
    await answerInputBox(page, 'sub-secret-123', { password: true });

    const since = other.requests.length;
    const before = await sendFromComposer(frame, 'With the header?');
    const request = await nextChatRequest(other, since);
    assert.equal(request.headers['ocp-apim-subscription-key'], 'sub-secret-123');
    assert.equal(request.headers.authorization, `Bearer ${mock.apiKey}`);
    await waitForMessageState(frame, before + 1, ['done', 'error', 'stopped']);
  });
});
