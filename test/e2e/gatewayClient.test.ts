// The hardened gateway client as a user meets it in a real VS Code (code-server + Chromium):
// Select Model from the gateway's live /models, a 429 that recovers with a visible countdown,
// fallback models, request settings (checked before sending, then on the wire) and the cURL copy.

import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { MOCK_ANSWER } from '../fixtures/mockGateway';
import type { MockGateway, RecordedRequest } from '../fixtures/mockGateway';
import {
  QUICK_INPUT,
  answerInputBox,
  chatFrame,
  runCommand,
  updateUserSettings,
  visibleRowLabels,
  waitForMessageCount,
  waitForMessageState,
  waitForQuickInputHidden,
  waitUntil,
  useWorkbench,
  transcript,
} from './harness';
import type { CodeServer } from './harness';

const FALLBACK_MODEL = 'google/gemini-3-flash-preview';

describe('Fox Chat gateway client (code-server + Chromium)', function () {
  let mock: MockGateway;
  let server: CodeServer | undefined;
  let page: Page;

  const chatRequests = (since: number): RecordedRequest[] =>
    mock.requests.slice(since).filter((r) => r.method === 'POST' && r.path === '/v1/chat/completions');

  const updateSettings = (change: Record<string, unknown>): Promise<void> => updateUserSettings(page, server!, change);

  const statusBarModel = (model: string) => page.locator('.statusbar-item', { hasText: model }).first();

  /**
   * Asks from the palette and returns the index of the question in the transcript (its answer is
   * the next message). Found by its text, which is unique per test, because the panel may rebuild
   * its webview while the question goes out.
   */
  async function ask(question: string): Promise<number> {
    await runCommand(page, 'Fox Chat: Ask…');
    await answerInputBox(page, question);
    const position = await waitUntil(`"${question}" in the transcript`, async () => {
      const messages = await transcript(await chatFrame(page, 1_000));
      return messages.findIndex((message) => message.role === 'user' && message.text === question) + 1;
    });
    return position - 1;
  }

  const suite = useWorkbench({
    setKey: true,
    settings: {
      'foxChat.maxRetries': 1,
      'foxChat.profiles': { ofoxai: { fallbackModels: [FALLBACK_MODEL] } },
      'workbench.colorTheme': 'Default Light Modern',
    },
  });
  before(() => {
    ({ mock, server, page } = suite);
  });

  it('Select Model lists the gateway\'s live /models, and the pick is used and shown in the status bar', async function () {
    await statusBarModel('openai/gpt-4o').waitFor({ state: 'visible', timeout: 20_000 });
    const since = mock.requests.length;
    await runCommand(page, 'Fox Chat: Select Model');
    const listed = await waitUntil(
      'the model quick pick to list the mock\'s models',
      async () => {
        const rows = await visibleRowLabels(page);
        return rows.includes('anthropic/claude-sonnet-4.5') ? rows : undefined;
      },
      20_000,
    );
    assert.deepEqual([...listed].sort(), ['anthropic/claude-sonnet-4.5', 'google/gemini-3-flash-preview', 'gpt-4o-mini', 'openai/gpt-4o']);
    const modelsRequest = mock.requests.slice(since).find((r) => r.method === 'GET' && r.path === '/v1/models');
    assert.ok(modelsRequest, 'the picker asked GET /v1/models');
    assert.equal(modelsRequest.headers.authorization, `Bearer ${mock.apiKey}`);

    await page.locator(`${QUICK_INPUT} .quick-input-list .monaco-list-row`, { hasText: 'anthropic/claude-sonnet-4.5' }).click();
    await waitForQuickInputHidden(page);
    await statusBarModel('anthropic/claude-sonnet-4.5').waitFor({ state: 'visible', timeout: 20_000 });

    const askedAt = mock.requests.length;
    await ask('Which model are you?');
    const request = await mock.waitForRequest((r) => mock.requests.indexOf(r) >= askedAt && r.path === '/v1/chat/completions');
    assert.equal((request.body as { model?: string }).model, 'anthropic/claude-sonnet-4.5');
  });

  it('a 429 shows a countdown with Retry Now, and retrying now gets the answer', async function () {
    const since = mock.requests.length;
    const before = await ask('[flaky:1:429:30] are you busy?');
    const frame = await chatFrame(page);
    await waitForMessageCount(frame, before + 2);
    const retryBox = frame.locator('#transcript .message').nth(before + 1).locator('.message-retry');
    await retryBox.waitFor({ state: 'visible', timeout: 20_000 });
    const text = await retryBox.innerText();
    assert.match(text, /rate limiting requests \(429\)/);
    assert.match(text, /Retrying in (30|29|28) s \(attempt 2 of 2\)/);
    assert.equal(chatRequests(since).length, 1, 'the retry waits for Retry-After (or Retry Now)');

    await retryBox.locator('button[data-action="retryNow"]').click();
    const messages = await waitForMessageState(frame, before + 1, ['done', 'error', 'stopped'], 20_000);
    assert.equal(messages[before + 1]?.state, 'done', JSON.stringify(messages[before + 1]));
    assert.equal(messages[before + 1]?.text, MOCK_ANSWER);
    assert.equal(chatRequests(since).length, 2, 'one failed attempt, one retry');
    assert.equal(await retryBox.count(), 0, 'the countdown is gone once the answer flows');
  });

  it('a model that keeps failing falls back to the next model, and the panel says which answered', async function () {
    const since = mock.requests.length;
    const before = await ask('[down:anthropic/claude-sonnet-4.5] who answers?');
    const frame = await chatFrame(page);
    const messages = await waitForMessageState(frame, before + 1, ['done', 'error', 'stopped'], 30_000);
    assert.equal(messages[before + 1]?.state, 'done', JSON.stringify(messages[before + 1]));
    const answer = frame.locator('#transcript .message').nth(before + 1);
    assert.equal((await answer.locator('.message-header').innerText()).trim(), FALLBACK_MODEL);
    assert.match(await answer.locator('.message-fallback').innerText(), new RegExp(`fallback model ${FALLBACK_MODEL.replace(/[./]/g, '\\$&')}`));
    const models = chatRequests(since).map((r) => (r.body as { model?: string }).model);
    assert.deepEqual(models, ['anthropic/claude-sonnet-4.5', 'anthropic/claude-sonnet-4.5', FALLBACK_MODEL]);
  });

  it('an out-of-range setting is named with its range and nothing is sent', async function () {
    await updateSettings({ 'foxChat.temperature': 5 });
    // The status bar turns into a warning once VS Code has read the bad value.
    await waitUntil('the status bar to show the settings warning', async () => (await page.locator('.statusbar-item', { hasText: /^\s*Fox Chat\s*$/ }).count()) > 0, 20_000);
    const since = mock.requests.length;
    await runCommand(page, 'Fox Chat: Ask…');
    await answerInputBox(page, 'Too hot?');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'foxChat.temperature' });
    await toast.waitFor({ state: 'visible', timeout: 20_000 });
    assert.equal(
      (await toast.locator('.notification-list-item-message').innerText()).trim(),
      'The setting foxChat.temperature must be a number from 0 to 2 (it is 5).',
    );
    assert.deepEqual(await toast.locator('.notification-list-item-buttons-container .monaco-button').allInnerTexts(), ['Open Settings']);
    assert.deepEqual(chatRequests(since), [], 'no request with a bad setting');
    await toast.hover();
    await toast.locator('.codicon-notifications-clear').click();
  });

  it('request settings, the provider object and extraBody reach the wire; unset fields, and tools turned off, do not', async function () {
    await updateSettings({
      'foxChat.tools.enabled': false,
      'foxChat.temperature': 0.3,
      'foxChat.maxTokens': 256,
      'foxChat.provider': { order: ['openai', 'azure'], allow_fallbacks: true },
      'foxChat.extraBody': { seed: 42 },
      'foxChat.model': 'gpt-4o-mini',
    });
    await statusBarModel('gpt-4o-mini').waitFor({ state: 'visible', timeout: 20_000 });
    const since = mock.requests.length;
    await ask('Settings check');
    const request = await mock.waitForRequest((r) => mock.requests.indexOf(r) >= since && r.path === '/v1/chat/completions');
    const body = request.body as Record<string, unknown>;
    assert.equal(body.model, 'gpt-4o-mini');
    assert.equal(body.temperature, 0.3);
    assert.equal(body.max_tokens, 256);
    assert.deepEqual(body.provider, { order: ['openai', 'azure'], allow_fallbacks: true });
    assert.equal(body.seed, 42);
    assert.deepEqual(body.stream_options, { include_usage: true });
    for (const unset of ['top_p', 'frequency_penalty', 'presence_penalty', 'response_format', 'tools', 'tool_choice']) {
      assert.equal(unset in body, false, `${unset} must be omitted when unset (tools: when turned off)`);
    }
  });

  it('Copy Last Request as cURL copies the request with the key masked', async function () {
    await runCommand(page, 'Fox Chat: Copy Last Request as cURL');
    await page.locator('.notifications-toasts .notification-toast', { hasText: 'copied as a cURL command' }).waitFor({ timeout: 20_000 });
    const copied = await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText());
    assert.match(copied, /^curl -N -X POST '.*\/v1\/chat\/completions'/);
    assert.ok(copied.includes('Settings check'), copied);
    assert.ok(copied.includes('"seed":42'), copied);
    assert.ok(!copied.includes(mock.apiKey), 'the key must be masked');
    assert.match(copied, /Authorization: Bearer fox…-key/);
  });
});
