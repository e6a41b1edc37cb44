// Fox Chat in a real VS Code (code-server + Chromium) whose display language is German: the
// command titles come from package.nls.de.json, the panel's strings and the runtime messages from
// l10n/bundle.l10n.de.json. Every expected text is read from those files, never copied here.
//
// No German language pack can be downloaded here, and without one VS Code falls back to English
// for extensions too; the profile gets the minimal pack in test/fixtures/language-pack-de
// (see languagePacks.ts for why and how it is registered).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { PROFILE_PRESETS } from '../../src/config/profiles';
import { MOCK_ANSWER } from '../fixtures/mockGateway';
import type { MockGateway, RecordedRequest } from '../fixtures/mockGateway';
import {
  QUICK_INPUT,
  REPO_ROOT,
  chatFrame,
  openChatPanel,
  quickInputValue,
  runCommand,
  useWorkbench,
  visibleRowLabels,
  waitForMessageCount,
  waitForMessageState,
  waitForQuickInputHidden,
  waitUntil,
} from './harness';

const LANGUAGE_PACK_DE = path.join(REPO_ROOT, 'test', 'fixtures', 'language-pack-de');

function readJson<T>(relPath: string): T {
  return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, relPath), 'utf8')) as T;
}

interface CommandContribution {
  command: string;
  title: string;
  category?: string;
}

const manifest = readJson<{ contributes: { commands: CommandContribution[] } }>('package.json');
const nls = readJson<Record<string, string>>('package.nls.json');
const nlsDe = readJson<Record<string, string>>('package.nls.de.json');
const bundleDe = readJson<Record<string, string>>('l10n/bundle.l10n.de.json');

/** The German of a runtime string (an `l10n.t` key). */
function de(english: string): string {
  const german = bundleDe[english];
  assert.ok(german, `l10n/bundle.l10n.de.json has no entry for ${JSON.stringify(english)}`);
  assert.notEqual(german, english, `l10n/bundle.l10n.de.json does not translate ${JSON.stringify(english)}`);
  return german;
}

/** `{0}`, `{1}`… of `template` replaced by `args`, as vscode.l10n.t does. */
function format(template: string, ...args: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => (args[Number(index)] ?? whole).toString());
}

/** A pattern for `template` with any text in place of its placeholders. */
function templatePattern(template: string): string {
  return template
    .split(/\{\d+\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.+?');
}

/** The palette title of `commandId` ("Category: Title") in the language of `messages`. */
function commandTitle(commandId: string, messages: Record<string, string>): string {
  const command = manifest.contributes.commands.find((c) => c.command === commandId);
  assert.ok(command, `package.json contributes no command ${commandId}`);
  const key = /^%(.+)%$/.exec(command.title)?.[1];
  assert.ok(key, `${commandId}: the title ${command.title} is not localised`);
  const title = messages[key];
  assert.ok(title, `no message for ${key}`);
  return command.category ? `${command.category}: ${title}` : title;
}

function normalise(text: string): string {
  return text.replace(/\.\.\./g, '…').replace(/\s+/g, ' ').trim();
}

/**
 * The title, message (the prompt, or the validation message), placeholder and input type of the
 * open input box. VS Code appends its own hint to a prompt ("(Press 'Enter' to confirm…)", English
 * here: the test language pack leaves VS Code's own strings alone); `message` is without it.
 */
async function inputBoxTexts(page: Page): Promise<{ title: string; message: string; placeholder: string; type: string }> {
  const widget = page.locator(QUICK_INPUT);
  const input = widget.locator('.quick-input-box input');
  return {
    title: ((await widget.locator('.quick-input-title').textContent()) ?? '').trim(),
    message: ((await widget.locator('.quick-input-message').textContent()) ?? '').replace(/\s*\(Press 'Enter'[^)]*\)\s*$/, '').trim(),
    placeholder: (await input.getAttribute('placeholder')) ?? '',
    type: (await input.getAttribute('type')) ?? '',
  };
}

/** Waits for an extension's input box (not the palette's own input, whose value starts with '>'). */
async function waitForInputBox(page: Page): Promise<void> {
  await waitUntil(
    'an extension input box to open',
    async () => {
      const value = await quickInputValue(page);
      return value !== undefined && !value.startsWith('>');
    },
    15_000,
  );
}

describe('Fox Chat in German (code-server + Chromium, display language de)', function () {
  let mock: MockGateway;
  let page: Page;

  const suite = useWorkbench({ locale: 'de', extensions: [LANGUAGE_PACK_DE] });
  before(() => {
    ({ mock, page } = suite);
  });

  const chatRequests = (since: number): RecordedRequest[] =>
    mock.requests.slice(since).filter((r) => r.method === 'POST' && r.path === '/v1/chat/completions');

  it('the command palette lists the commands with their German titles (category "Fox Chat" kept)', async function () {
    const commandIds = [
      'foxChat.ask',
      'foxChat.setApiKey',
      'foxChat.newChat',
      'foxChat.showHistory',
      'foxChat.selectModel',
      'foxChat.selectProfile',
      'foxChat.attachImage',
      'foxChat.copyLastRequestAsCurl',
    ];
    for (const commandId of commandIds) {
      const german = commandTitle(commandId, nlsDe);
      const english = commandTitle(commandId, nls);
      assert.ok(german.startsWith('Fox Chat: '), german);
      assert.notEqual(german, english, `${commandId} has no German title`);
      // The palette builds its list when it opens: retry with a fresh one if the first was too early.
      let rows: string[] = [];
      await waitUntil(
        `"${german}" in the command palette`,
        async () => {
          if (await page.locator(QUICK_INPUT).isVisible()) {
            await page.keyboard.press('Escape');
            await waitForQuickInputHidden(page);
          }
          await page.keyboard.press('F1');
          const input = page.locator(`${QUICK_INPUT} .quick-input-box input`);
          await input.waitFor({ state: 'visible', timeout: 5_000 });
          await input.fill(`>${german}`);
          return waitUntil(
            `a palette row labelled "${german}"`,
            async () => {
              rows = (await visibleRowLabels(page)).map(normalise);
              return rows.includes(normalise(german));
            },
            5_000,
          ).catch(() => false);
        },
        30_000,
        0,
      ).catch((error: Error) => {
        throw new Error(`${error.message}\nrows: ${JSON.stringify(rows)}`);
      });
      await page.keyboard.press('Escape');
      await waitForQuickInputHidden(page);
    }
  });

  it('the chat panel shows the German strings the host sends it', async function () {
    const frame = await openChatPanel(page);
    const placeholder = de('Ask Fox Chat… (Enter to send, Shift+Enter for a new line)');
    const composer = frame.locator('textarea#composer-input');
    // The strings arrive with the host's answer to the webview's `ready`.
    await waitUntil('the German composer placeholder', async () => (await composer.getAttribute('placeholder')) === placeholder, 30_000);

    const attribute = (selector: string, name: string): Promise<string | null> => frame.locator(selector).getAttribute(name);
    const text = async (selector: string): Promise<string> => ((await frame.locator(selector).textContent()) ?? '').trim();
    assert.deepEqual(
      {
        lang: await attribute('html', 'lang'),
        placeholder: await composer.getAttribute('placeholder'),
        composerLabel: await composer.getAttribute('aria-label'),
        send: await attribute('#send-button', 'title'),
        sendLabel: await attribute('#send-button', 'aria-label'),
        stop: await attribute('#stop-button', 'title'),
        attach: await attribute('#attach-button', 'title'),
        selectModel: await attribute('#model-label', 'title'),
        transcript: await attribute('#transcript', 'aria-label'),
        emptyTitle: await text('#empty-state .empty-title'),
        emptyHint: await text('#empty-state .empty-hint'),
      },
      {
        lang: 'de',
        placeholder,
        composerLabel: de('Message to Fox Chat'),
        send: de('Send'),
        sendLabel: de('Send'),
        stop: de('Stop Generating'),
        attach: de('Attach Image'),
        selectModel: de('Select Model'),
        transcript: de('Conversation'),
        emptyTitle: de('Ask anything about your code.'),
        emptyHint: de('Select code and run "Fox Chat: Explain Selection", or type a question below.'),
      },
    );
  });

  it('asking without a key: German input boxes, warning, validation and confirmation, then the answer with a German footer', async function () {
    const since = mock.requests.length;
    await runCommand(page, commandTitle('foxChat.ask', nlsDe));
    await waitForInputBox(page);
    assert.deepEqual(await inputBoxTexts(page), {
      title: de('Fox Chat: Ask'),
      message: de('Ask a question; the answer streams into the Fox Chat panel.'),
      placeholder: de('How do I debounce a function in TypeScript?'),
      type: 'text',
    });
    const question = 'Was sagt der Fuchs?';
    await page.locator(`${QUICK_INPUT} .quick-input-box input`).fill(question);
    await page.keyboard.press('Enter');
    await waitForQuickInputHidden(page);

    // No key yet: a German warning with a German button, and nothing sent.
    const warning = page.locator('.notifications-toasts .notification-toast', {
      hasText: format(de('Fox Chat needs an API key for {0}.'), mock.baseUrl),
    });
    await warning.waitFor({ state: 'visible', timeout: 20_000 });
    const buttons = warning.locator('.notification-list-item-buttons-container .monaco-button');
    assert.deepEqual((await buttons.allInnerTexts()).map((label) => label.trim()), [de('Set API Key')]);
    assert.deepEqual(chatRequests(since), []);

    // Its button opens the German key prompt.
    await buttons.first().click();
    await waitForInputBox(page);
    const ofoxai = PROFILE_PRESETS.find((preset) => preset.id === 'ofoxai');
    assert.ok(ofoxai);
    assert.deepEqual(await inputBoxTexts(page), {
      title: de('Fox Chat: Set API Key'),
      message: format(de("Paste the API key for {0}. It is kept in VS Code's secret storage, never in settings."), ofoxai.label),
      placeholder: '',
      type: 'password',
    });
    const keyInput = page.locator(`${QUICK_INPUT} .quick-input-box input`);
    await keyInput.fill('   ');
    const empty = de('The API key cannot be empty.');
    await waitUntil('the German validation message', async () => (await inputBoxTexts(page)).message === empty, 10_000);
    await keyInput.fill(mock.apiKey);
    await page.keyboard.press('Enter');
    await waitForQuickInputHidden(page);
    await page
      .locator('.notifications-toasts .notification-toast', { hasText: de('Fox Chat: API key saved.') })
      .waitFor({ state: 'visible', timeout: 20_000 });

    // The question then goes out, and the panel labels the exchange in German.
    await mock.waitForRequest((r) => mock.requests.indexOf(r) >= since && r.method === 'POST' && r.path === '/v1/chat/completions', 20_000);
    const frame: Frame = await chatFrame(page);
    await waitForMessageCount(frame, 2);
    const messages = await waitForMessageState(frame, 1, ['done', 'stopped', 'error']);
    assert.equal(messages[1]?.state, 'done', JSON.stringify(messages[1]));
    assert.equal(messages[1].text, MOCK_ANSWER);
    const user = frame.locator('#transcript .message[data-role="user"]').first();
    assert.equal(((await user.locator('.message-header').textContent()) ?? '').trim(), de('You'));

    const answer = frame.locator('#transcript .message[data-role="assistant"]').first();
    const meta = ((await answer.locator('.message-footer .message-meta').textContent()) ?? '').trim();
    for (const template of [de('finish: {0}'), de('{0} prompt + {1} completion = {2} tokens'), de('first token after {0} s')]) {
      assert.match(meta, new RegExp(templatePattern(template)), `footer ${JSON.stringify(meta)} lacks ${JSON.stringify(template)}`);
    }
    assert.ok(meta.includes(format(de('finish: {0}'), 'stop')), meta);
    // Icon buttons: their German labels are the accessible name and the tooltip.
    assert.deepEqual(
      await answer
        .locator('.message-footer button.message-action')
        .evaluateAll((buttons) => buttons.map((button) => [button.getAttribute('aria-label'), button.getAttribute('title')])),
      [
        [de('Copy'), de('Copy')],
        [de('Regenerate'), de('Regenerate')],
      ],
    );
  });
});
