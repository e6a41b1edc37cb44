// The walking skeleton, end to end: the packaged extension installed into a real VS Code
// (code-server 4.100.3), driven through the workbench UI in Chromium, talking to the local mock
// gateway. Each test asserts what the user sees (webview DOM) and what the gateway received.
//
// The tests run in order and share one workbench: the API key set in "ask from the palette" is used
// by the tests after it.

import * as assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { MOCK_ANSWER } from '../fixtures/mockGateway';
import type { MockGateway, RecordedRequest } from '../fixtures/mockGateway';
import {
  EXAMPLE_FILE,
  EXAMPLE_TS,
  readmeScreenshotPath,
  answerInputBox,
  chatFrame,
  editorContextMenuLabels,
  isContainerOpen,
  linesOf,
  openFile,
  runCommand,
  selectLines,
  selectionStatus,
  transcript,
  waitForMessageCount,
  waitForMessageState,
  waitForMessageText,
  useWorkbench,
  messageCountNow,
  contentText,
} from './harness';

const CMD = {
  ask: 'Fox Chat: Ask…',
  explain: 'Fox Chat: Explain Selection',
  setApiKey: 'Fox Chat: Set API Key',
  clearNotifications: 'Notifications: Clear All Notifications',
} as const;

interface ChatMessage {
  role?: unknown;
  content?: unknown;
}

function lastMessage(request: RecordedRequest): ChatMessage {
  const body = request.body as { messages?: ChatMessage[] } | undefined;
  const messages = body?.messages ?? [];
  assert.ok(messages.length > 0, `request has no messages: ${request.rawBody}`);
  return messages[messages.length - 1] as ChatMessage;
}

describe('Fox Chat walking skeleton (code-server + Chromium)', function () {
  let mock: MockGateway;
  let page: Page;

  /** Chat-completion requests the mock received after index `since`. */
  const chatRequests = (since: number): RecordedRequest[] =>
    mock.requests.slice(since).filter((r) => r.method === 'POST' && r.path === '/v1/chat/completions');

  const nextChatRequest = (since: number, timeoutMs = 20_000): Promise<RecordedRequest> =>
    mock.waitForRequest(
      (r) => mock.requests.indexOf(r) >= since && r.method === 'POST' && r.path === '/v1/chat/completions',
      timeoutMs,
    );

  const suite = useWorkbench({ settings: { 'workbench.colorTheme': 'Default Dark Modern' } });
  before(() => {
    ({ mock, page } = suite);
  });

  it('asking without an API key offers "Set API Key" and sends nothing', async function () {
    const since = mock.requests.length;
    await runCommand(page, CMD.ask);
    await answerInputBox(page, 'Is there anybody out there?');

    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Fox Chat needs an API key' });
    await toast.waitFor({ state: 'visible', timeout: 20_000 });
    assert.equal(
      (await toast.locator('.notification-list-item-message').innerText()).trim(),
      `Fox Chat needs an API key for ${mock.baseUrl}.`,
    );
    const buttons = (await toast.locator('.notification-list-item-buttons-container .monaco-button').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(buttons, ['Set API Key']);
    assert.deepEqual(chatRequests(since), [], 'nothing may be sent without a key');

    // Dismiss it (so the pending prompt resolves), and check it is gone.
    await toast.hover();
    await toast.locator('.codicon-notifications-clear').click();
    await toast.waitFor({ state: 'hidden' });
    assert.deepEqual(chatRequests(since), [], 'dismissing the prompt must not send the question');
  });

  it('a. sets the API key from the palette, asks from the palette and streams the answer into the panel', async function () {
    await runCommand(page, CMD.setApiKey);
    await answerInputBox(page, mock.apiKey, { password: true });

    const before = await messageCountNow(page);
    const since = mock.requests.length;
    const question = 'What does the fox say?';
    await runCommand(page, CMD.ask);
    await answerInputBox(page, question);

    const request = await nextChatRequest(since);
    assert.equal(request.headers.authorization, `Bearer ${mock.apiKey}`);
    const body = request.body as { model?: unknown; stream?: unknown };
    assert.equal(body.model, 'openai/gpt-4o');
    assert.equal(body.stream, true);
    const last = lastMessage(request);
    assert.equal(last.role, 'user');
    assert.ok(contentText(last.content).includes(question), `last message content: ${JSON.stringify(last.content)}`);

    // The panel opened by itself and shows the exchange.
    assert.ok(await isContainerOpen(page, 'Fox Chat'), 'the Fox Chat container should be open');
    const frame = await chatFrame(page);
    await waitForMessageCount(frame, before + 2);
    const messages = await waitForMessageState(frame, before + 1, ['done', 'stopped', 'error']);
    const [user, assistant] = [messages[before], messages[before + 1]];
    assert.equal(user?.role, 'user');
    assert.equal(user.text, question);
    assert.equal(assistant?.role, 'assistant');
    assert.equal(assistant.state, 'done', `assistant message: ${JSON.stringify(assistant)}`);
    assert.equal(assistant.text, MOCK_ANSWER);
    assert.equal(assistant.error, '');
    assert.equal(messages.length, before + 2);
    assert.equal(chatRequests(since).length, 1, 'exactly one request per question');

    // The README's screenshot: the workbench with the panel showing the answer, next to the example.
    await openFile(page, EXAMPLE_FILE);
    await runCommand(page, CMD.clearNotifications);
    await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'hidden' });
    await frame.locator('#stop-button').waitFor({ state: 'hidden' });
    await page.screenshot({ path: readmeScreenshotPath('screenshot-panel.png') });
  });

  it('b. explains the editor selection with its file, language, lines and code', async function () {
    await openFile(page, EXAMPLE_FILE);
    await selectLines(page, 3, 7);
    const selected = linesOf(EXAMPLE_TS, 3, 7);
    const menu = await editorContextMenuLabels(page);
    // Explain, Refactor and Ask About Selection live in the menu's "Fox Chat" submenu (the inline
    // edit suite opens it and runs Refactor from there).
    assert.ok(menu.includes('Fox Chat'), `editor context menu: ${JSON.stringify(menu)}`);
    assert.match(await selectionStatus(page), /^Ln 7, Col \d+ \(\d+ selected\)/, 'the selection survives the context menu');

    const before = await messageCountNow(page);
    const since = mock.requests.length;
    await runCommand(page, CMD.explain);

    const request = await nextChatRequest(since);
    const last = lastMessage(request);
    assert.equal(last.role, 'user');
    const text = contentText(last.content);
    for (const needle of [EXAMPLE_FILE, 'typescript', '3-7', selected]) {
      assert.ok(text.includes(needle), `the user message should contain ${JSON.stringify(needle)}; it was:\n${text}`);
    }

    const frame = await chatFrame(page);
    await waitForMessageCount(frame, before + 2);
    const messages = await waitForMessageState(frame, before + 1, ['done', 'stopped', 'error']);
    const [user, assistant] = [messages[before], messages[before + 1]];
    assert.equal(user?.role, 'user');
    assert.deepEqual(user.chips, [`${EXAMPLE_FILE}:3-7`]);
    assert.equal(assistant?.state, 'done', `assistant message: ${JSON.stringify(assistant)}`);
    assert.equal(assistant.text, MOCK_ANSWER);
  });

  it('c. stops a streaming answer: state "stopped", partial text kept, request aborted, no more text', async function () {
    const before = await messageCountNow(page);
    const since = mock.requests.length;
    await runCommand(page, CMD.ask);
    await answerInputBox(page, '[slow] count for me, please');

    const request = await nextChatRequest(since);
    const frame = await chatFrame(page);
    await waitForMessageCount(frame, before + 2);
    await waitForMessageText(frame, before + 1, 'tick 2');
    const stop = frame.locator('#stop-button');
    assert.ok(await stop.isVisible(), '#stop-button should be visible while streaming');
    assert.equal((await transcript(frame))[before + 1]?.state, 'streaming');

    await stop.click();
    const messages = await waitForMessageState(frame, before + 1, ['stopped', 'done', 'error'], 10_000);
    const stopped = messages[before + 1];
    assert.equal(stopped?.state, 'stopped', `assistant message: ${JSON.stringify(stopped)}`);
    assert.match(stopped.text, /^tick 1 tick 2\b/);
    await mock.waitForRequest((r) => r === request && r.aborted === true, 10_000);
    await stop.waitFor({ state: 'hidden', timeout: 10_000 });

    // The text must not grow any more: the mock ticks every 150 ms, so ~7 ticks would arrive in
    // this window if the stream were still being read. (A negative check needs a window.)
    const frozen = (await transcript(frame))[before + 1]?.text ?? '';
    const grew = await frame
      .waitForFunction(
        ([i, text]) => {
          const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ querySelector(s: string): { textContent: string | null } | null }> } }).document;
          const body = doc.querySelectorAll('#transcript .message')[i]?.querySelector('.message-body');
          return (body?.textContent ?? '').trim() !== text;
        },
        [before + 1, frozen] as const,
        { timeout: 1_000 },
      )
      .then(() => true, () => false);
    assert.equal(grew, false, 'the stopped message kept growing');
    assert.equal(chatRequests(since).length, 1);
  });

  it('d. sends from the composer with Enter (webview -> host -> gateway -> webview)', async function () {
    const frame = await chatFrame(page);
    const before = await messageCountNow(page);
    const since = mock.requests.length;
    const text = '[echo] hello from the composer';
    const input = frame.locator('textarea#composer-input');
    await input.click();
    await input.fill(text);
    await input.press('Enter');

    const request = await nextChatRequest(since);
    const last = lastMessage(request);
    assert.equal(last.role, 'user');
    assert.equal(contentText(last.content), text);

    await waitForMessageCount(frame, before + 2);
    const messages = await waitForMessageState(frame, before + 1, ['done', 'stopped', 'error']);
    assert.equal(messages[before]?.role, 'user');
    assert.equal(messages[before].text, text);
    assert.equal(messages[before + 1]?.state, 'done', `assistant message: ${JSON.stringify(messages[before + 1])}`);
    assert.equal(messages[before + 1]?.text, `You said: ${text}`);
    assert.equal(await input.inputValue(), '', 'the composer should be cleared after sending');
  });

  it('e. a rejected key (401) shows an error in the panel with a "Set API Key" action that works', async function () {
    await runCommand(page, CMD.setApiKey);
    await answerInputBox(page, 'wrong-key', { password: true });

    const before = await messageCountNow(page);
    const since = mock.requests.length;
    await runCommand(page, CMD.ask);
    await answerInputBox(page, 'Will this key work?');

    const request = await nextChatRequest(since);
    assert.equal(request.headers.authorization, 'Bearer wrong-key');

    const frame: Frame = await chatFrame(page);
    await waitForMessageCount(frame, before + 2);
    const messages = await waitForMessageState(frame, before + 1, ['error', 'done', 'stopped']);
    const failed = messages[before + 1];
    assert.equal(failed?.state, 'error', `assistant message: ${JSON.stringify(failed)}`);
    assert.match(failed.error, /rejected the API key/i);
    assert.match(failed.error, /401/);
    assert.ok(failed.actions.includes('setApiKey'), `actions: ${JSON.stringify(failed.actions)}`);

    // The action button goes back to the host and opens the password input box; restore the key.
    const errorBox = frame.locator('#transcript .message').nth(before + 1);
    await errorBox.locator('button[data-action="setApiKey"]').click();
    await answerInputBox(page, mock.apiKey, { password: true });
  });
});
