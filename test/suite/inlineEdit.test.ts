// Inline edits ("Refactor Selection…") inside the real extension host, against the mock gateway:
// what the document holds while the answer streams, after Accept / Undo / Reject / Stop, after an
// error, after the user types into the range, on save, in a CRLF file. Document-level assertions;
// the CodeLens in the real UI is covered by test/e2e/inlineEdit.test.ts.
//
// Like extension.test.ts this suite shares the `vscode` API object with the extension, so a
// call-through spy on `commands.executeCommand` sees the extension's `setContext` calls and spies
// on `window.show*Message` see its notifications.

import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { REFACTOR_CODE, startMockGateway, type MockGateway, type RecordedRequest } from '../fixtures/mockGateway';
import { wordFrequenciesLines } from '../fixtures/sampleCode';
import { formatInputBoxRequest, UI_BRIDGE_ENV, UI_BRIDGE_PLAYWRIGHT } from './bridge';

const EXTENSION_ID = 'foxchat.fox-chat';
const ACTIVE_KEY = 'foxChat.inlineEditActive';
const STREAMING_KEY = 'foxChat.inlineEditStreaming';
const WAIT_MS = 20_000;

type AnyFn = (...args: never[]) => unknown;

function replaceMethod<T extends object>(owner: T, name: string, replacement: (original: AnyFn) => AnyFn): () => void {
  const record = owner as unknown as Record<string, AnyFn>;
  const original = record[name];
  if (typeof original !== 'function') throw new Error(`${name} is not a function on the vscode API object`);
  record[name] = replacement(original.bind(owner));
  return () => {
    record[name] = original;
  };
}

async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The sample: a function (lines 3-10, 1-based) with a scenario marker for the mock inside it. */
function sample(marker: string, eol = '\n'): { text: string; before: string; selected: string; after: string } {
  const before = ['// Fox Chat inline edit sample', '// a line above the function', ''].join(eol);
  const selected = wordFrequenciesLines(marker).join(eol);
  const after = [eol, "console.log(wordFrequencies('the quick brown fox'));", ''].join(eol);
  return { text: before + selected + after, before, selected, after };
}

describe('Inline edit (Refactor Selection) in the extension host', function () {
  let mock: MockGateway;
  let folder: vscode.Uri;
  const contextKeys: { key: string; value: boolean }[] = [];
  const errors: { message: string; items: string[] }[] = [];
  const warnings: string[] = [];
  const infos: string[] = [];
  const undo: (() => void)[] = [];
  let fileCount = 0;

  const keyValue = (key: string): boolean | undefined => [...contextKeys].reverse().find((entry) => entry.key === key)?.value;

  /** Writes a sample file, opens it and selects the function. */
  async function openSample(marker: string, eol = '\n') {
    const content = sample(marker, eol);
    const uri = vscode.Uri.joinPath(folder, `inline-${process.pid}-${++fileCount}.ts`);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(content.text, 'utf8'));
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document);
    const start = document.positionAt(content.before.length);
    const end = document.positionAt(content.before.length + content.selected.length);
    editor.selection = new vscode.Selection(start, end);
    return { ...content, uri, document, editor };
  }

  const nextChatRequest = (from: number): Promise<RecordedRequest> =>
    mock.waitForRequest((request) => mock.requests.indexOf(request) >= from && request.path === '/v1/chat/completions', WAIT_MS);

  /** Runs the command and waits for its request at the mock. */
  async function refactor(instruction: string): Promise<RecordedRequest> {
    const from = mock.requests.length;
    const started = await vscode.commands.executeCommand('foxChat.refactorSelection', { instruction });
    assert.equal(started, true, 'the refactor started');
    return nextChatRequest(from);
  }

  /** Until streamed text replaced the selection (the first edit of the answer). */
  const waitForStreamedText = (document: vscode.TextDocument, selected: string): Promise<void> =>
    waitUntil('streamed text in place of the selection', () => !document.getText().includes(selected));

  const waitForReview = (): Promise<void> =>
    waitUntil(`review: ${ACTIVE_KEY} true and ${STREAMING_KEY} false`, () => keyValue(ACTIVE_KEY) === true && keyValue(STREAMING_KEY) === false);
  const waitForEnd = (): Promise<void> => waitUntil(`the inline edit to end (${ACTIVE_KEY} false)`, () => keyValue(ACTIVE_KEY) === false);

  before(async function () {
    this.timeout(60_000);
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is not installed in this host`);
    await extension.activate();
    mock = await startMockGateway({ acceptAnyKey: false });
    const workspace = vscode.workspace.workspaceFolders?.[0];
    folder = workspace ? workspace.uri : vscode.Uri.file(os.tmpdir());

    undo.push(
      replaceMethod(vscode.commands, 'executeCommand', (original) => ((...args: unknown[]) => {
        if (args[0] === 'setContext' && (args[1] === ACTIVE_KEY || args[1] === STREAMING_KEY)) {
          contextKeys.push({ key: args[1], value: args[2] === true });
        }
        return (original as (...a: unknown[]) => unknown)(...args);
      })),
      replaceMethod(vscode.window, 'showErrorMessage', (original) => ((message: string, ...rest: unknown[]) => {
        errors.push({ message, items: rest.filter((item): item is string => typeof item === 'string') });
        return (original as (...a: unknown[]) => unknown)(message, ...rest);
      })),
      replaceMethod(vscode.window, 'showWarningMessage', (original) => ((message: string, ...rest: unknown[]) => {
        warnings.push(message);
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

    if (process.env[UI_BRIDGE_ENV] === UI_BRIDGE_PLAYWRIGHT) {
      const done = vscode.commands.executeCommand('foxChat.setApiKey');
      console.log(formatInputBoxRequest({ value: mock.apiKey, title: 'Set API Key', password: true }));
      await done;
    } else {
      const restore = replaceMethod(vscode.window, 'showInputBox', () => (() => Promise.resolve(mock.apiKey)));
      try {
        await vscode.commands.executeCommand('foxChat.setApiKey');
      } finally {
        restore();
      }
    }
  });

  afterEach(async function () {
    // Leave nothing running for the next test.
    if (keyValue(ACTIVE_KEY)) {
      await vscode.commands.executeCommand('foxChat.rejectInlineEdit');
      await waitForEnd().catch(() => undefined);
    }
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async function () {
    try {
      await vscode.commands.executeCommand('foxChat.clearApiKey');
      await vscode.workspace.getConfiguration('foxChat').update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
    } finally {
      undo.reverse().forEach((restore) => restore());
      // Unset when `before` failed before starting it.
      await (mock as MockGateway | undefined)?.close();
    }
  });

  it('streams the new code in place of the selection, then Accept keeps it and one Undo brings the original back', async function () {
    const { document, editor, before, selected, after, text, uri } = await openSample('[refactor-slow]');
    const request = await refactor('Simplify');

    // What the model was asked.
    const messages = (request.body as { messages: { role: string; content: string }[] }).messages;
    assert.equal(messages[0]?.role, 'system');
    assert.match(messages[0].content, /replacement code only/);
    const user = messages[messages.length - 1]!.content;
    const name = path.basename(uri.path);
    assert.ok(user.startsWith('Simplify this code'), `the preset's instruction comes first: ${user.slice(0, 80)}`);
    assert.ok(user.includes(`${name} (language: typescript, lines 3-10)`), `file, language and lines: ${user}`);
    assert.ok(user.includes(`\`\`\`typescript\n${selected}\n\`\`\``), 'the selected code');
    assert.ok(!user.includes('a line above the function'), 'nothing outside the selection');

    // While streaming: part of the new code is in the document, and the original is gone.
    await waitUntil('part of the answer in place of the selection', () => !document.getText().includes(selected));
    const partial = document.getText();
    assert.ok(partial.startsWith(before) && partial.endsWith(after), 'text around the range is untouched');
    assert.ok(!partial.includes(REFACTOR_CODE), 'not the whole answer yet: it streams');
    assert.ok(!partial.includes(selected), 'the selection was replaced');
    assert.equal(keyValue(STREAMING_KEY), true, `${STREAMING_KEY} is true while streaming`);

    await waitForReview();
    const expected = before + REFACTOR_CODE + after;
    assert.equal(document.getText(), expected, 'the whole answer, no trailing line break (the selection had none)');

    await vscode.commands.executeCommand('foxChat.acceptInlineEdit');
    await waitForEnd();
    assert.equal(document.getText(), expected, 'Accept keeps the new code');

    await vscode.window.showTextDocument(document, editor.viewColumn);
    await vscode.commands.executeCommand('undo');
    await waitUntil('one Undo to restore the original', () => document.getText() === text, 5_000);
    await vscode.commands.executeCommand('redo');
    await waitUntil('Redo to bring the new code back', () => document.getText() === expected, 5_000);
  });

  it('Reject puts the original back byte for byte in a CRLF file, with the fences of the answer stripped', async function () {
    const { document, before, after, text, uri } = await openSample('[refactor-fenced]', '\r\n');
    assert.equal(document.eol, vscode.EndOfLine.CRLF);
    await refactor('Add Types');
    await waitForReview();
    assert.equal(document.getText(), before + REFACTOR_CODE.replace(/\n/g, '\r\n') + after, 'fences stripped, CRLF line ends');

    await vscode.commands.executeCommand('foxChat.rejectInlineEdit');
    await waitForEnd();
    assert.equal(document.getText(), text, 'the original, byte for byte');
    assert.equal(document.eol, vscode.EndOfLine.CRLF);
    await document.save();
    assert.deepEqual(Buffer.from(await vscode.workspace.fs.readFile(uri)), Buffer.from(text, 'utf8'), 'the file on disk is as before');
  });

  it('Stop ends the request and keeps the partial code for review; Reject then restores', async function () {
    const { document, text, selected } = await openSample('[refactor-slow]');
    const request = await refactor('Simplify');
    await waitForStreamedText(document, selected);
    await vscode.commands.executeCommand('foxChat.stopInlineEdit');
    await mock.waitForRequest((candidate) => candidate === request && candidate.aborted === true, WAIT_MS);
    await waitForReview();
    const stopped = document.getText();
    assert.notEqual(stopped, text);
    await new Promise((resolve) => setTimeout(resolve, 400)); // ~3 ticks of the mock: nothing more may arrive
    assert.equal(document.getText(), stopped, 'no more text after Stop');

    await vscode.commands.executeCommand('foxChat.rejectInlineEdit');
    await waitForEnd();
    assert.equal(document.getText(), text);
  });

  it('an error mid-stream puts the original back and offers Retry and Open Log', async function () {
    const { document, text } = await openSample('[refactor-error]');
    const errorsBefore = errors.length;
    await refactor('Fix Bug');
    await waitUntil('the error message', () => errors.length > errorsBefore);
    const error = errors[errorsBefore]!;
    assert.match(error.message, /Upstream model overloaded/);
    assert.ok(error.items.includes('Retry') && error.items.includes('Open Log'), `actions: ${JSON.stringify(error.items)}`);
    await waitForEnd();
    assert.equal(document.getText(), text, 'the original is back');
  });

  it('Retry after an error sends the same request again for the restored original', async function () {
    const { document, text } = await openSample('[refactor-error]');
    let retried = false;
    const restore = replaceMethod(vscode.window, 'showErrorMessage', (original) => ((message: string, ...items: unknown[]) => {
      if (!retried && /could not finish rewriting/.test(message)) {
        retried = true;
        return Promise.resolve('Retry'); // the user clicks Retry
      }
      return (original as (...a: unknown[]) => unknown)(message, ...items);
    }));
    try {
      const errorsBefore = errors.length;
      const first = await refactor('Fix Bug');
      const second = await nextChatRequest(mock.requests.indexOf(first) + 1);
      assert.deepEqual((second.body as { messages: unknown }).messages, (first.body as { messages: unknown }).messages, 'the same question');
      await waitUntil('the second error message', () => errors.length > errorsBefore);
    } finally {
      restore();
    }
    await waitForEnd();
    assert.equal(document.getText(), text);
  });

  it('typing inside the range while it streams stops and restores the original; an edit above it is kept', async function () {
    const { document, editor, text, before, selected } = await openSample('[refactor-slow]');
    const warningsBefore = warnings.length;
    await refactor('Simplify');
    await waitForStreamedText(document, selected);

    // Someone inserts a line at the top (outside the range) while it streams.
    assert.ok(await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), '// added above\n')));
    assert.equal(keyValue(STREAMING_KEY), true, 'an edit outside the range does not stop the stream');

    // The user types into the code being written.
    // (At least "export " has arrived: three characters into the range is inside the streamed text.)
    const rangeStart = '// added above\n'.length + before.length;
    assert.equal(document.getText().slice(rangeStart, rangeStart + 3), 'exp');
    const inside = document.positionAt(rangeStart + 3);
    editor.selection = new vscode.Selection(inside, inside);
    await vscode.commands.executeCommand('type', { text: 'X' });
    await waitForEnd();
    assert.equal(document.getText(), `// added above\n${text}`, 'original restored, the edit above kept');
    assert.ok(document.getText().startsWith(`// added above\n${before}`));
    assert.ok(
      warnings.slice(warningsBefore).some((message) => /edited the code Fox Chat was rewriting/.test(message)),
      `the user is told why (seen: ${JSON.stringify(warnings.slice(warningsBefore))})`,
    );
  });

  it('saving while it streams saves the original, never half-written code', async function () {
    const { document, text, uri, selected } = await openSample('[refactor-slow]');
    await refactor('Simplify');
    await waitForStreamedText(document, selected);
    assert.ok(await document.save(), 'the save went through');
    assert.equal(Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8'), text, 'the file on disk holds the original');
    await waitForEnd();
    assert.equal(document.getText(), text);
  });

  it('refuses a second refactor in the same file while one is running', async function () {
    const { document, editor, text, selected } = await openSample('[refactor-slow]');
    await refactor('Simplify');
    await waitForStreamedText(document, selected);
    const infosBefore = infos.length;
    editor.selection = new vscode.Selection(0, 0, 1, 0);
    const second = await vscode.commands.executeCommand('foxChat.refactorSelection', { instruction: 'Simplify [refactor]' });
    assert.equal(second, false, 'the second refactor did not start');
    assert.ok(infos.slice(infosBefore).some((message) => /already rewriting code in this file/.test(message)), JSON.stringify(infos.slice(infosBefore)));
    await vscode.commands.executeCommand('foxChat.rejectInlineEdit');
    await waitForEnd();
    assert.equal(document.getText(), text);
  });

  it('Show Diff opens the original beside the new code', async function () {
    const { document, text } = await openSample('[refactor]');
    await refactor('Simplify');
    await waitForReview();
    await vscode.commands.executeCommand('foxChat.showInlineEditDiff');
    let diff: vscode.TabInputTextDiff | undefined;
    await waitUntil('a diff tab', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      diff = input instanceof vscode.TabInputTextDiff ? input : undefined;
      return diff !== undefined;
    });
    assert.equal(diff!.original.scheme, 'fox-chat-original');
    assert.equal(diff!.modified.toString(), document.uri.toString());
    const original = await vscode.workspace.openTextDocument(diff!.original);
    assert.equal(original.getText(), text, 'the left side is the file with the original code');
    await vscode.commands.executeCommand('foxChat.rejectInlineEdit', document.uri.toString());
    await waitForEnd();
    assert.equal(document.getText(), text);
  });

  it('reverting and closing the file while it streams leaves it as it was', async function () {
    const { document, text, uri, selected } = await openSample('[refactor-slow]');
    await refactor('Simplify');
    await waitForStreamedText(document, selected);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitForEnd();
    assert.equal(Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8'), text, 'the file on disk');
    if (!document.isClosed) assert.equal(document.getText(), text, 'the document, if still open');
  });
});
