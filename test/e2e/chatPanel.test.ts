// The chat panel as a user meets it in a real VS Code (code-server + Chromium): images pasted into
// the composer, history across a reload, model output that tries to run script, and the themes.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { MARKDOWN_CODE, MOCK_ANSWER } from '../fixtures/mockGateway';
import type { MockGateway, RecordedRequest } from '../fixtures/mockGateway';
import {
  EXAMPLE_FILE,
  EXAMPLE_TS,
  REPO_ROOT,
  readmeScreenshotPath,
  chatFrame,
  openChatPanel,
  openFile,
  transcript,
  updateUserSettings,
  waitForExtension,
  waitForMessageCount,
  waitForMessageState,
  waitUntil,
  useWorkbench,
  nextChatRequest,
  sendFromComposer,
} from './harness';
import type { CodeServer, MessageSnapshot } from './harness';

interface ContentPart {
  type?: string;
  text?: string;
  image_url?: { url?: string; detail?: string };
}

function lastUserContent(request: RecordedRequest): unknown {
  const messages = (request.body as { messages?: { role?: string; content?: unknown }[] }).messages ?? [];
  return messages.filter((message) => message.role === 'user').pop()?.content;
}

/** Pastes a PNG drawn on a canvas into the composer, as Ctrl+V with a screenshot would. */
async function pasteScreenshot(frame: Frame, name: string): Promise<void> {
  await frame.evaluate(async (fileName) => {
    const doc = (globalThis as unknown as { document: Document }).document;
    const canvas = doc.createElement('canvas');
    canvas.width = 64;
    canvas.height = 40;
    const context = canvas.getContext('2d');
    if (context) {
      context.fillStyle = '#e66b1f';
      context.fillRect(0, 0, 64, 40);
    }
    const blob = await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('toBlob'))), 'image/png'));
    const transfer = new DataTransfer();
    transfer.items.add(new File([blob], fileName, { type: 'image/png' }));
    const input = doc.getElementById('composer-input') as HTMLTextAreaElement;
    input.focus();
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
  }, name);
}

describe('Fox Chat panel (code-server + Chromium)', function () {
  let mock: MockGateway;
  let server: CodeServer | undefined;
  let page: Page;



  const suite = useWorkbench({ setKey: true });
  before(() => {
    ({ mock, server, page } = suite);
  });

  it('a pasted screenshot shows as a thumbnail chip and goes out as an image_url part with a PNG data: URL', async function () {
    const frame = await openChatPanel(page);
    // The frame's markup exists before its script runs: paste only once the panel has its strings,
    // i.e. the script listens and the host has answered `ready` (on a busy machine that takes a while).
    await waitUntil('the panel script to have its strings', async () => ((await frame.locator('#composer-input').getAttribute('placeholder')) ?? '') !== '', 30_000);
    await pasteScreenshot(frame, 'screenshot.png');
    const chip = frame.locator('#composer-context .context-chip[data-kind="image"]');
    await chip.waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(await chip.locator('img.thumbnail').getAttribute('alt'), 'screenshot.png');
    assert.match((await chip.locator('img.thumbnail').getAttribute('src')) ?? '', /^data:image\/png;base64,/);
    // The README's picture of an attached screenshot, taken from this run.
    await page.screenshot({ path: readmeScreenshotPath('screenshot-image-paste.png') });

    const since = mock.requests.length;
    const before = await sendFromComposer(frame, 'What colour is this?');
    const request = await nextChatRequest(mock, since);
    const userContent = lastUserContent(request);
    // JSON.stringify gives undefined when nothing was sent, though its type says string.
    assert.ok(Array.isArray(userContent), `content should be parts: ${(JSON.stringify(userContent) as string | undefined)?.slice(0, 200)}`);
    const content = userContent as ContentPart[];
    assert.deepEqual(content[0], { type: 'text', text: 'What colour is this?' });
    assert.equal(content[1]?.type, 'image_url');
    assert.match(content[1].image_url?.url ?? '', /^data:image\/png;base64,iVBORw0KGgo/);
    assert.equal(content[1].image_url?.detail, 'auto');
    assert.equal(await frame.locator('#composer-context .context-chip').count(), 0, 'the chip is used up by sending');

    const messages = await waitForMessageState(frame, before + 1, ['done', 'error', 'stopped']);
    assert.equal(messages[before + 1]?.text, MOCK_ANSWER);
    const sent = frame.locator('#transcript .message').nth(before);
    assert.equal(await sent.locator('.context-chip[data-kind="image"] img.thumbnail').count(), 1, 'the question shows its image');
  });

  it('a removed chip is not sent, and a model without vision is explained with Select Model', async function () {
    const frame = await chatFrame(page);
    await pasteScreenshot(frame, 'first.png');
    await frame.locator('#composer-context .context-chip').first().waitFor();
    await frame.locator('#composer-context .context-chip button').first().click();
    await frame.locator('#composer-context .context-chip').first().waitFor({ state: 'detached' });

    await pasteScreenshot(frame, 'second.png');
    await frame.locator('#composer-context .context-chip').first().waitFor();
    const since = mock.requests.length;
    const before = await sendFromComposer(frame, '[no-vision] can you see it?');
    const request = await nextChatRequest(mock, since);
    const parts = lastUserContent(request) as ContentPart[];
    assert.equal(parts.filter((part) => part.type === 'image_url').length, 1, 'only the image still attached is sent');

    const messages = await waitForMessageState(frame, before + 1, ['error', 'done', 'stopped']);
    assert.equal(messages[before + 1]?.state, 'error');
    assert.match(messages[before + 1]?.error ?? '', /does not accept images/);
    assert.ok(messages[before + 1]?.actions.includes('selectModel'), JSON.stringify(messages[before + 1]?.actions));
  });

  it('model output that tries to run script runs nothing', async function () {
    const frame = await chatFrame(page);
    const since = mock.requests.length;
    const before = await sendFromComposer(frame, '[xss] show me some html');
    await nextChatRequest(mock, since);
    const messages = await waitForMessageState(frame, before + 1, ['done', 'error', 'stopped']);
    assert.equal(messages[before + 1]?.state, 'done');
    const answer = frame.locator('#transcript .message').nth(before + 1);
    // Let any injected element try to load, fire and toggle before looking.
    await answer.locator('.message-body').hover();
    const findings = await frame.evaluate(() => {
      const win = globalThis as unknown as { __foxXss?: number; document: Document };
      const body = win.document.querySelectorAll('#transcript .message');
      const last = body[body.length - 1] as Element;
      const handlers = Array.from(last.querySelectorAll('*')).flatMap((element) =>
        Array.from(element.attributes)
          .filter((attribute) => attribute.name.startsWith('on') || /^\s*javascript:/i.test(attribute.value))
          .map((attribute) => `${element.tagName}.${attribute.name}`),
      );
      return {
        marker: win.__foxXss,
        scripts: last.querySelectorAll('script, iframe, object, embed').length,
        handlers,
      };
    });
    assert.deepEqual(findings, { marker: undefined, scripts: 0, handlers: [] });
    assert.match(messages[before + 1]?.text ?? '', /Here you go/);
  });

  it('renders markdown (heading, list, table, highlighted code) and Insert at Cursor puts the code into the editor', async function () {
    await openFile(page, EXAMPLE_FILE);
    const frame = await openChatPanel(page);
    const since = mock.requests.length;
    const before = await sendFromComposer(frame, '[markdown] how do I double a number?');
    await nextChatRequest(mock, since);
    await waitForMessageState(frame, before + 1, ['done', 'error', 'stopped']);
    const answer = frame.locator('#transcript .message').nth(before + 1).locator('.message-body');
    assert.equal(await answer.locator('h2').innerText(), 'Doubling');
    assert.equal(await answer.locator('ul > li').count(), 2);
    assert.deepEqual(await answer.locator('table td').allInnerTexts(), ['2', '4']);
    const block = answer.locator('.code-block[data-lang="ts"]');
    assert.equal((await block.locator('pre code').innerText()).trim(), MARKDOWN_CODE);
    assert.ok((await block.locator('.hljs-keyword').count()) > 0, 'the code is highlighted');
    assert.deepEqual(await block.locator('.code-actions button').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-action'))), [
      'copy',
      'insert',
      'apply',
      'newFile',
    ]);

    await block.locator('.code-actions button[data-action="insert"]').click();
    const firstLine = page.locator('.editor-group-container.active .monaco-editor .view-line').first();
    await waitUntil(
      'the code to be inserted at the cursor',
      async () => (await firstLine.innerText()).replace(/\u00a0/g, ' ').startsWith('export function double(value: number): number {'),
      15_000,
    );
    // One Undo takes the whole insertion back.
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').click();
    await page.keyboard.press('Control+z');
    await waitUntil(
      'Undo to restore the file',
      async () => (await firstLine.innerText()).replace(/\u00a0/g, ' ') === EXAMPLE_TS.split('\n')[0],
      15_000,
    );
  });

  it('the conversation survives a window reload', async function () {
    const frame = await chatFrame(page);
    const since = mock.requests.length;
    const before = await sendFromComposer(frame, 'Remember me after a reload');
    await nextChatRequest(mock, since);
    const beforeReload = await waitForMessageState(frame, before + 1, ['done', 'error', 'stopped']);
    const expected = beforeReload.map((message) => [message.role, message.text]);

    await page.reload();
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await waitForExtension(page);
    // The workbench restores the open sidebar by itself; clicking its icon while it restores would
    // close it again, so click only if the chat does not come back on its own.
    const reloaded = await chatFrame(page, 20_000).catch(() => openChatPanel(page));
    // Answers are rendered on animation frames: wait for the transcript to settle on the same turns.
    const restored = (messages: MessageSnapshot[]): string => JSON.stringify(messages.map((message) => [message.role, message.text]));
    await waitForMessageCount(reloaded, expected.length, 30_000);
    await waitUntil('the reopened transcript to show the same turns', async () => restored(await transcript(reloaded)) === JSON.stringify(expected), 30_000).catch(
      () => undefined,
    );
    assert.deepEqual((await transcript(reloaded)).map((message) => [message.role, message.text]), expected);
  });

  it('looks right in dark, light and high-contrast themes (screenshots)', async function () {
    const themes: [string, string][] = [
      ['Default Dark Modern', 'dark'],
      ['Default Light Modern', 'light'],
      ['Default High Contrast', 'high-contrast'],
    ];
    const dir = path.join(REPO_ROOT, 'test-results', 'themes');
    fs.mkdirSync(dir, { recursive: true });
    const backgrounds = new Set<string>();
    for (const [theme, name] of themes) {
      await updateUserSettings(page, server!, { 'workbench.colorTheme': theme });
      await page.locator(`.monaco-workbench.${name === 'high-contrast' ? 'hc-black' : name === 'light' ? 'vs' : 'vs-dark'}`).waitFor({ timeout: 20_000 });
      const frame = await openChatPanel(page);
      await frame.locator('#transcript .message').first().waitFor();
      const background = await frame.evaluate(() => getComputedStyle((globalThis as unknown as { document: Document }).document.body).backgroundColor);
      backgrounds.add(background);
      await page.screenshot({ path: path.join(dir, `panel-${name}.png`) });
    }
    assert.equal(backgrounds.size, 3, `the panel follows the theme: ${[...backgrounds].join(', ')}`);
  });
});
