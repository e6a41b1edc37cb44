// Integration suite that runs INSIDE the extension host (desktop VS Code via runElectron.ts, or
// code-server's extension host via runInCodeServer.ts) and checks Fox Chat through the public API,
// against the mock gateway started here (a real HTTP server on 127.0.0.1 speaking SSE).
//
// Two observation points need a word:
// - The suite and the extension share one `vscode` API object: the extension host hands out one
//   API instance per extension, chosen by the requiring file's path, and both dist/extension.js
//   and out/test/suite/*.js lie inside the extension's folder. So a call-through spy on
//   `vscode.commands.executeCommand` sees the extension's `setContext foxChat.isStreaming` calls
//   (context keys cannot be read through the API), and a spy on `window.show*Message` sees the
//   notifications it shows. The first test that relies on this fails loudly if it stops holding.
// - The Set API Key password box is answered by the code-server runner through the real UI
//   (see bridge.ts); without such a runner (desktop VS Code) `window.showInputBox` is replaced
//   for that one call, and the options the extension passed are checked instead.
//
// Tests run in order and share one conversation and one mock; each waits on conditions (requests
// reaching the mock, context-key changes), never on fixed sleeps.

import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startMockGateway, type MockGateway, type RecordedRequest } from '../fixtures/mockGateway';
import { formatInputBoxRequest, UI_BRIDGE_ENV, UI_BRIDGE_PLAYWRIGHT } from './bridge';

const EXTENSION_ID = 'foxchat.fox-chat';
const COMMANDS = [
  'foxChat.ask',
  'foxChat.explainSelection',
  'foxChat.stop',
  'foxChat.newChat',
  'foxChat.setApiKey',
  'foxChat.clearApiKey',
  'foxChat.showLog',
] as const;
const STREAMING_KEY = 'foxChat.isStreaming';
const DEFAULT_MODEL = 'openai/gpt-4o';
const WAIT_MS = 15_000;

// ---------------------------------------------------------------------------------------------
// Helpers

type AnyFn = (...args: never[]) => unknown;

/** Replaces `owner[name]` (call-through or not is up to `replacement`); returns the undo. */
function replaceMethod<T extends object>(owner: T, name: string, replacement: (original: AnyFn) => AnyFn): () => void {
  const record = owner as unknown as Record<string, AnyFn>;
  const original = record[name];
  if (typeof original !== 'function') {
    throw new Error(`${name} is not a function on the vscode API object`);
  }
  record[name] = replacement(original.bind(owner));
  return () => {
    record[name] = original;
  };
}

/** Polls `condition` until it holds; fails with `what` after `timeoutMs`. */
async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for: ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function withTimeout<T>(what: string, promise: PromiseLike<T>, timeoutMs = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve(promise),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Timed out after ${timeoutMs} ms waiting for: ${what}`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

interface WireMessage {
  role: string;
  content: unknown;
}

function messagesOf(request: RecordedRequest): WireMessage[] {
  const body = request.body as { messages?: unknown } | undefined;
  assert.ok(body && Array.isArray(body.messages), `request body has no messages array: ${request.rawBody.slice(0, 300)}`);
  return body.messages as WireMessage[];
}

function lastUserContent(request: RecordedRequest): string {
  const last = messagesOf(request).filter((message) => message.role === 'user').pop();
  assert.ok(last, 'request has no user message');
  assert.equal(typeof last.content, 'string', 'user message content is a string');
  return last.content as string;
}

// ---------------------------------------------------------------------------------------------

describe('Fox Chat in the extension host', function () {
  let mock: MockGateway;
  /** Values the extension gave the foxChat.isStreaming context key, in order. */
  const streaming: boolean[] = [];
  const warnings: { message: string; items: string[] }[] = [];
  const infos: string[] = [];
  const undo: (() => void)[] = [];
  /** Set by the Set API Key test. Without a key every ask stops at a warning, so the tests that need one fail at once. */
  let keyStored = false;
  const requireKey = (): void => assert.ok(keyStored, 'needs the API key stored by the "Set API Key" test, which failed');

  /** Waits until the key went true and then false again after `from` (one answer streamed and ended). */
  const waitForStreamingCycle = (what: string, from: number, timeoutMs = WAIT_MS): Promise<void> =>
    waitUntil(
      `${what}: ${STREAMING_KEY} true, then false (seen: ${JSON.stringify(streaming.slice(from))})`,
      () => {
        const since = streaming.slice(from);
        const on = since.indexOf(true);
        return on >= 0 && since.indexOf(false, on) > on;
      },
      timeoutMs,
    );

  /** The next chat request the mock receives after `from` requests. */
  const nextChatRequest = (from: number): Promise<RecordedRequest> =>
    mock.waitForRequest((request) => mock.requests.indexOf(request) >= from && request.path === '/v1/chat/completions', WAIT_MS);

  before(async function () {
    mock = await startMockGateway({ acceptAnyKey: false });

    undo.push(
      replaceMethod(vscode.commands, 'executeCommand', (original) => ((...args: unknown[]) => {
        if (args[0] === 'setContext' && args[1] === STREAMING_KEY) {
          streaming.push(args[2] === true);
        }
        return (original as (...a: unknown[]) => unknown)(...args);
      })),
      replaceMethod(vscode.window, 'showWarningMessage', (original) => ((message: string, ...rest: unknown[]) => {
        warnings.push({ message, items: rest.filter((item): item is string => typeof item === 'string') });
        return (original as (...a: unknown[]) => unknown)(message, ...rest);
      })),
      replaceMethod(vscode.window, 'showInformationMessage', (original) => ((message: string, ...rest: unknown[]) => {
        infos.push(message);
        return (original as (...a: unknown[]) => unknown)(message, ...rest);
      })),
    );

    const config = vscode.workspace.getConfiguration('foxChat');
    await config.update('baseUrl', mock.baseUrl, vscode.ConfigurationTarget.Global);
    await config.update('model', undefined, vscode.ConfigurationTarget.Global);
    await waitUntil('foxChat.baseUrl to point at the mock', () => vscode.workspace.getConfiguration('foxChat').get('baseUrl') === mock.baseUrl);
  });

  after(async function () {
    try {
      await vscode.commands.executeCommand('foxChat.stop');
      await vscode.commands.executeCommand('foxChat.clearApiKey');
      await vscode.workspace.getConfiguration('foxChat').update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    } finally {
      undo.reverse().forEach((restore) => restore());
      // Unset when `before` failed before starting it.
      await (mock as MockGateway | undefined)?.close();
    }
  });

  it('is installed, activates, and registers all its commands', async function () {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is not installed in this host`);
    await extension.activate();
    assert.equal(extension.isActive, true, 'extension is active after activate()');

    const registered = new Set(await vscode.commands.getCommands(true));
    // Every command the manifest contributes must be backed by a registration.
    const contributed = (extension.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map(
      (command) => command.command,
    );
    assert.deepEqual(
      [...COMMANDS].filter((id) => !contributed.includes(id)),
      [],
      'the commands this suite drives are contributed',
    );
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `commands not registered: ${missing.join(', ')}`);
  });

  it('asking without an API key shows a warning offering "Set API Key" and sends no request', async function () {
    await vscode.commands.executeCommand('foxChat.clearApiKey');
    const requestsBefore = mock.requests.length;
    const warningsBefore = warnings.length;

    let settled = false;
    const asked = Promise.resolve(vscode.commands.executeCommand('foxChat.ask', 'Is anybody there? [echo]')).finally(() => {
      settled = true;
    });

    await waitUntil('the missing-key warning', () => warnings.length > warningsBefore);
    const warning = warnings[warningsBefore]!;
    assert.ok(warning.message.includes(mock.baseUrl), `warning names the gateway ${mock.baseUrl}: "${warning.message}"`);
    assert.match(warning.message, /API key/);
    assert.deepEqual(warning.items, ['Set API Key']);
    assert.equal(settled, false, 'the command waits for the user to answer the warning');

    // Dismiss the notification like a user closing it: the command then gives up.
    await waitUntil('the ask command to finish once the warning is dismissed', async () => {
      await vscode.commands.executeCommand('notifications.clearAll');
      return settled;
    });
    await asked;
    assert.deepEqual(
      mock.requests.slice(requestsBefore).map((request) => `${request.method} ${request.path}`),
      [],
      'no request reaches the gateway without a key',
    );
  });

  it('Set API Key stores the key typed into its password box', async function () {
    const infosBefore = infos.length;
    const bridged = process.env[UI_BRIDGE_ENV] === UI_BRIDGE_PLAYWRIGHT;

    if (bridged) {
      // The runner types into the real quick input (only if it is a password box titled so).
      const done = vscode.commands.executeCommand('foxChat.setApiKey');
      console.log(formatInputBoxRequest({ value: mock.apiKey, title: 'Set API Key', password: true }));
      await withTimeout('the runner to answer the Set API Key box', done, 30_000);
    } else {
      const seen: vscode.InputBoxOptions[] = [];
      const restore = replaceMethod(vscode.window, 'showInputBox', () => ((options?: vscode.InputBoxOptions) => {
        seen.push(options ?? {});
        return Promise.resolve(`  ${mock.apiKey}  `); // pasted with stray blanks: must be trimmed
      }));
      try {
        await withTimeout('foxChat.setApiKey', vscode.commands.executeCommand('foxChat.setApiKey'));
      } finally {
        restore();
      }
      assert.equal(seen.length, 1, 'Set API Key asked exactly once');
      const options = seen[0]!;
      assert.equal(options.password, true, 'the key is typed into a password box');
      assert.equal(options.ignoreFocusOut, true, 'the box survives focus moving away (pasting)');
      assert.match(options.title ?? '', /Set API Key/);
      assert.ok(options.validateInput !== undefined, 'empty keys are rejected in the box');
      assert.ok(options.validateInput('   '), 'a blank key is reported as invalid');
      assert.ok(!options.validateInput('sk-something'), 'a key is accepted');
    }

    // The confirmation is shown (without being awaited) before the command resolves.
    assert.ok(
      infos.slice(infosBefore).some((message) => /API key saved/.test(message)),
      `"API key saved" is confirmed (seen: ${JSON.stringify(infos.slice(infosBefore))})`,
    );
    keyStored = true;
  });

  it('foxChat.ask sends the question given as argument to POST /v1/chat/completions with the stored key', async function () {
    requireKey();
    const from = mock.requests.length;
    const streamFrom = streaming.length;
    const question = 'How do I debounce a function in TypeScript? [echo]';

    await vscode.commands.executeCommand('foxChat.ask', `  ${question}\n`);
    const request = await nextChatRequest(from);

    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/v1/chat/completions');
    assert.equal(request.headers.authorization, `Bearer ${mock.apiKey}`);
    assert.match(String(request.headers['content-type']), /application\/json/);
    const body = request.body as { model?: unknown; stream?: unknown };
    assert.equal(body.stream, true);
    assert.equal(body.model, DEFAULT_MODEL);
    const messages = messagesOf(request);
    assert.equal(messages[0]?.role, 'system');
    assert.equal(lastUserContent(request), question, 'the question arrives trimmed, as the last user message');

    await waitForStreamingCycle('the [echo] answer', streamFrom);
    assert.equal(request.aborted, undefined, 'the stream was read to its end, not cut off');
  });

  it('keeps the conversation (a follow-up carries the streamed answer) and New Chat starts over', async function () {
    requireKey();
    await vscode.commands.executeCommand('foxChat.newChat');

    const first = 'first question [echo]';
    let from = mock.requests.length;
    let streamFrom = streaming.length;
    await vscode.commands.executeCommand('foxChat.ask', first);
    await nextChatRequest(from);
    await waitForStreamingCycle('the first answer', streamFrom);

    const second = 'second question [echo]';
    from = mock.requests.length;
    streamFrom = streaming.length;
    await vscode.commands.executeCommand('foxChat.ask', second);
    const followUp = await nextChatRequest(from);
    assert.deepEqual(
      messagesOf(followUp).slice(1),
      [
        { role: 'user', content: first },
        { role: 'assistant', content: `You said: ${first}` },
        { role: 'user', content: second },
      ],
      'the follow-up carries the first question and the whole streamed answer',
    );
    await waitForStreamingCycle('the second answer', streamFrom);

    await vscode.commands.executeCommand('foxChat.newChat');
    const third = 'fresh start [echo]';
    from = mock.requests.length;
    streamFrom = streaming.length;
    await vscode.commands.executeCommand('foxChat.ask', third);
    const fresh = await nextChatRequest(from);
    assert.deepEqual(
      messagesOf(fresh).map((message) => message.role),
      ['system', 'user'],
      'after New Chat only the system prompt and the new question are sent',
    );
    assert.equal(lastUserContent(fresh), third);
    await waitForStreamingCycle('the answer after New Chat', streamFrom);
  });

  it('foxChat.isStreaming is true while an answer streams; foxChat.stop aborts the request and clears it', async function () {
    requireKey();
    await vscode.commands.executeCommand('foxChat.newChat');
    let from = mock.requests.length;
    const streamFrom = streaming.length;

    await vscode.commands.executeCommand('foxChat.ask', 'Count slowly [slow]');
    const slow = await nextChatRequest(from);
    await waitUntil(`${STREAMING_KEY} to become true`, () => streaming.slice(streamFrom).includes(true));
    assert.equal(slow.aborted, undefined, 'the request is still open while streaming');
    assert.equal(streaming[streaming.length - 1], true, `${STREAMING_KEY} stays true while the answer streams`);

    await vscode.commands.executeCommand('foxChat.stop');
    await mock.waitForRequest((request) => request === slow && request.aborted === true, WAIT_MS);
    await waitForStreamingCycle('Stop to end the stream', streamFrom);
    assert.equal(streaming[streaming.length - 1], false);

    // The conversation goes on after a Stop: the stopped question stays in it. (Whether the partial
    // answer is sent back depends on how much text arrived before the Stop, which the extension
    // host cannot observe; the Playwright e2e waits for text in the panel and covers that.)
    from = mock.requests.length;
    const streamAfter = streaming.length;
    await vscode.commands.executeCommand('foxChat.ask', 'go on [echo]');
    const next = await nextChatRequest(from);
    assert.deepEqual(
      messagesOf(next)
        .filter((message) => message.role === 'user')
        .map((message) => message.content),
      ['Count slowly [slow]', 'go on [echo]'],
    );
    await waitForStreamingCycle('the answer after Stop', streamAfter);
  });

  it('learns that a gateway rejects stream_options, shows it under Show Gateway Capabilities, and Reset forgets it', async function () {
    requireKey();
    await vscode.commands.executeCommand('foxChat.resetGatewayCapabilities');
    await vscode.commands.executeCommand('foxChat.newChat');
    const from = mock.requests.length;
    const streamFrom = streaming.length;
    await vscode.commands.executeCommand('foxChat.ask', 'Hello [no-stream-options]');
    await waitForStreamingCycle('the answer after one retry', streamFrom);
    const sent = mock.requests.slice(from).filter((request) => request.path === '/v1/chat/completions');
    assert.deepEqual(sent.map((request) => 'stream_options' in (request.body as object)), [true, false], 'refused once, asked again without');

    const shown = async (): Promise<string> => {
      // Each call opens a new untitled document; an older one may still be around.
      const before = new Set(vscode.workspace.textDocuments);
      const fresh = (): vscode.TextDocument | undefined =>
        vscode.workspace.textDocuments.find((document) => !before.has(document) && document.isUntitled && document.languageId === 'markdown');
      await vscode.commands.executeCommand('foxChat.showGatewayCapabilities');
      await waitUntil('the capabilities document to open', () => fresh() !== undefined);
      const text = fresh()?.getText() ?? '';
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      return text;
    };
    const learned = await shown();
    assert.ok(learned.includes(mock.baseUrl.toLowerCase()), learned);
    assert.match(learned, /stream_options/);

    const infosBefore = infos.length;
    await vscode.commands.executeCommand('foxChat.resetGatewayCapabilities');
    await waitUntil('the reset to be confirmed', () => infos.slice(infosBefore).some((message) => /forgot/.test(message)));
    // Forgotten: the next question asks with stream_options again and learns anew.
    const again = mock.requests.length;
    const streamAgain = streaming.length;
    await vscode.commands.executeCommand('foxChat.ask', 'Again [no-stream-options]');
    await waitForStreamingCycle('the answer after the reset', streamAgain);
    const resent = mock.requests.slice(again).filter((request) => request.path === '/v1/chat/completions');
    assert.deepEqual(resent.map((request) => 'stream_options' in (request.body as object)), [true, false]);
  });

  describe('Explain Selection', function () {
    const LINES = [
      '// Fox Chat integration sample',
      'export function debounce<T extends unknown[]>(fn: (...args: T) => void, ms: number) {',
      '  let timer: ReturnType<typeof setTimeout> | undefined;',
      '  return (...args: T) => {',
      '    clearTimeout(timer);',
      '    timer = setTimeout(() => fn(...args), ms);',
      '  };',
      '}',
      '',
    ];
    let fileUri: vscode.Uri;
    let expectedName: string;

    before(async function () {
      const folder = vscode.workspace.workspaceFolders?.[0];
      const name = `explain-sample-${process.pid}.ts`;
      fileUri = folder ? vscode.Uri.joinPath(folder.uri, name) : vscode.Uri.file(path.join(os.tmpdir(), name));
      // Relative to the workspace when there is one; the whole path otherwise.
      expectedName = folder ? name : fileUri.fsPath;
      await vscode.workspace.fs.writeFile(fileUri, Buffer.from(LINES.join('\n'), 'utf8'));
    });

    after(async function () {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(fileUri).then(undefined, () => undefined);
    });

    it('with an empty selection asks the user to select code and sends nothing', async function () {
      const document = await vscode.workspace.openTextDocument(fileUri);
      const editor = await vscode.window.showTextDocument(document);
      editor.selection = new vscode.Selection(1, 4, 1, 4);
      const from = mock.requests.length;
      const infosBefore = infos.length;

      await vscode.commands.executeCommand('foxChat.explainSelection');
      assert.ok(
        infos.slice(infosBefore).some((message) => /Select some code/.test(message)),
        `a hint to select code is shown (seen: ${JSON.stringify(infos.slice(infosBefore))})`,
      );
      assert.equal(mock.requests.length, from, 'no request without a selection');
    });

    it('sends the file name, language, 1-based line range and the selected code', async function () {
      requireKey();
      await vscode.commands.executeCommand('foxChat.newChat');
      const document = await vscode.workspace.openTextDocument(fileUri);
      assert.equal(document.languageId, 'typescript', 'a .ts file opens as TypeScript');
      const editor = await vscode.window.showTextDocument(document);
      // Lines 3..6 (1-based). The selection ends at column 0 of line 7, which therefore is not part of it.
      editor.selection = new vscode.Selection(2, 0, 6, 0);
      assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), fileUri.toString());

      const from = mock.requests.length;
      const streamFrom = streaming.length;
      await vscode.commands.executeCommand('foxChat.explainSelection');
      const request = await nextChatRequest(from);

      assert.equal(request.headers.authorization, `Bearer ${mock.apiKey}`);
      const content = lastUserContent(request);
      const selected = `${LINES.slice(2, 6).join('\n')}\n`;
      const block = `File: ${expectedName} (language: typescript, lines 3-6)\n\`\`\`typescript\n${selected}\n\`\`\``;
      assert.ok(content.endsWith(block), `user message ends with the selection block.\nExpected ending:\n${block}\nGot:\n${content}`);
      const instruction = content.slice(0, content.length - block.length).trim();
      assert.ok(instruction.length > 0, 'an instruction precedes the code');
      assert.ok(!instruction.includes('debounce'), 'the instruction is not code');
      assert.ok(!content.includes(LINES[1]!), 'line 2 (outside the selection) is not sent');
      assert.ok(!content.includes(LINES[6]!), 'line 7 (the selection ends at its column 0) is not sent');
      await waitForStreamingCycle('the explanation', streamFrom);
    });
  });
});
