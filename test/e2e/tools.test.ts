// Function calling in a real VS Code (code-server + Chromium): the mock gateway plays a model that
// calls Fox Chat's workspace tools; the tests check what the panel shows, what went back to the
// gateway as `tool` messages, and what the editor holds after a proposed edit.

import * as assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { RE2JS } from 're2js';
import { MOCK_TEST_PLAN, PROPOSED_TEXT, PROPOSE_EDIT_ANSWER_PREFIX, READ_FILE_ANSWER, TOOL_RESULT_ANSWER_PREFIX } from '../fixtures/mockGateway';
import type { MockGateway, RecordedRequest } from '../fixtures/mockGateway';
import {
  EXAMPLE_FILE,
  EXAMPLE_TS,
  readmeScreenshotPath,
  codeLens,
  editorLines,
  nextChatRequest,
  openChatPanel,
  openFile,
  runCommand,
  selectLines,
  transcript,
  useWorkbench,
  waitUntil,
  sendFromComposer,
} from './harness';

interface WireMessage {
  role?: string;
  content?: unknown;
  tool_call_id?: string;
  tool_calls?: Array<{ id?: string; function?: { name?: string; arguments?: string } }>;
}
interface WireBody {
  messages?: WireMessage[];
  tools?: Array<{ function?: { name?: string } }>;
  tool_choice?: unknown;
  response_format?: { type?: string; json_schema?: { name?: string } };
}
const bodyOf = (request: RecordedRequest): WireBody => request.body as WireBody;

/** The secret in the workspace's .env: no request body may ever hold it. */
const ENV_SECRET = 'sk-live-7c1d9e55f0a4b2';
const PARSER_TS = Array.from(
  { length: 40 },
  (_, index) =>
    `export const parseConfigurationEntryWithDefaultsAndValidation${index} = readConfigurationValueFromEnvironmentOrDefault${index}(options);`,
).join('\n');

const toolCard = (frame: Frame, tool: string) => frame.locator(`#transcript .tool-card[data-tool="${tool}"]`).last();

describe('Fox Chat tools (code-server + Chromium)', function () {
  let mock: MockGateway;
  let page: Page;

  const suite = useWorkbench({
    setKey: true,
    // A dependency folder the user's search.exclude hides (VS Code's default), and a source file.
    // A few source files whose long runs of word characters make /^(\w+\s?)*$/ backtrack for
    // ages in a JavaScript RegExp, and a .env with a secret that must never reach the gateway.
    files: {
      'src/util.ts': 'export const wordFrequenciesHelper = 1;\n',
      'node_modules/dep/index.ts': 'export const wordFrequencies = 0;\n',
      'src/parser.ts': PARSER_TS,
      'src/tokens.ts': PARSER_TS.replace(/parse/g, 'tokenize'),
      '.env': `DATABASE_URL=postgres://app@localhost/app\nAPI_TOKEN=${ENV_SECRET}\n`,
    },
  });
  before(() => {
    ({ mock, page } = suite);
  });

  const chatRequests = (since: number): RecordedRequest[] =>
    mock.requests.slice(since).filter((request) => request.method === 'POST' && request.path === '/v1/chat/completions');


  /** Waits until the last message is a finished answer, and returns the transcript. */
  async function waitForFinalAnswer(frame: Frame, minimum: number): Promise<Awaited<ReturnType<typeof transcript>>> {
    await waitUntil('the final answer', async () => {
      const messages = await transcript(frame);
      const last = messages.at(-1);
      return messages.length >= minimum && last?.role === 'assistant' && last.state !== 'streaming';
    });
    return transcript(frame);
  }

  it('read_file: the model asks for a file, the panel shows the call, the file goes back in a tool message, then the answer streams', async function () {
    const frame = await openChatPanel(page);
    const since = mock.requests.length;
    const before = await sendFromComposer(frame, `[read-file:${EXAMPLE_FILE}] What does this file do?`);

    const card = toolCard(frame, 'read_file');
    await card.waitFor({ state: 'visible', timeout: 30_000 });
    await waitUntil('the read_file call to finish', async () => (await card.getAttribute('data-state')) === 'done');
    const summary = await card.locator('summary').innerText();
    assert.ok(summary.includes('read_file') && summary.includes(EXAMPLE_FILE), summary);

    const lineCount = EXAMPLE_TS.split('\n').length;
    const messages = await waitForFinalAnswer(frame, before + 4);
    assert.deepEqual(
      messages.slice(before).map((message) => message.role),
      ['user', 'assistant', 'tool', 'assistant'],
      'question, the answer that called the tool, the tool card, the final answer',
    );
    assert.equal(messages.at(-1)?.state, 'done');
    assert.equal(messages.at(-1)?.text, READ_FILE_ANSWER(lineCount));

    // The card folds open to show the arguments and the start of the result.
    await card.locator('summary').click();
    await card.locator('.tool-result').waitFor({ state: 'visible' });
    assert.match(await card.locator('.tool-arguments').innerText(), /"path": "example\.ts"/);
    assert.match(await card.locator('.tool-result').innerText(), /3: export function wordFrequencies/);
    // The README's picture of a tool call, taken from this run.
    await page.screenshot({ path: readmeScreenshotPath('screenshot-tools.png') });

    const [first, second] = chatRequests(since);
    assert.ok(first && second, `two chat requests expected, got ${chatRequests(since).length}`);
    const offered = (bodyOf(first).tools ?? []).map((tool) => tool.function?.name);
    assert.deepEqual(offered, ['read_file', 'list_files', 'search_text', 'get_diagnostics', 'get_selection', 'propose_edit']);
    assert.equal(bodyOf(first).tool_choice, 'auto');

    const sent = bodyOf(second).messages ?? [];
    const toolMessage = sent.at(-1);
    assert.equal(toolMessage?.role, 'tool');
    assert.equal(toolMessage.tool_call_id, 'call_read_1');
    const content = String(toolMessage.content);
    EXAMPLE_TS.split('\n').forEach((line, index) => assert.ok(content.includes(`${index + 1}: ${line}`), `line ${index + 1} in the tool result`));
    const caller = sent.at(-2);
    assert.equal(caller?.role, 'assistant');
    assert.equal(caller.tool_calls?.[0]?.id, 'call_read_1');
    assert.equal(caller.tool_calls[0].function?.name, 'read_file');
  });

  it('a path that leaves the workspace is refused with an error result, and the model still answers', async function () {
    const frame = await openChatPanel(page);
    const since = mock.requests.length;
    const before = await sendFromComposer(frame, '[read-file:../../etc/passwd] Read the password file.');
    const card = toolCard(frame, 'read_file');
    await waitUntil('the refused call', async () => (await card.getAttribute('data-state')) === 'error');
    await waitForFinalAnswer(frame, before + 4);

    const requests = chatRequests(since);
    assert.equal(requests.length, 2);
    const result = (bodyOf(requests[1]!).messages ?? []).at(-1);
    assert.equal(result?.role, 'tool');
    assert.match(String(result.content), /^Refused path "\.\.\/\.\.\/etc\/passwd": it leads outside the workspace\./);
    assert.doesNotMatch(String(result.content), /root:/);
  });

  it('list_files and search_text see the workspace as the explorer does: node_modules (search.exclude) is left out', async function () {
    const frame = await openChatPanel(page);
    for (const [marker, tool, expected] of [
      ['[list-files:**/*.ts]', 'list_files', ['example.ts', 'src/util.ts']],
      ['[search-text:wordFrequencies]', 'search_text', ['example.ts:3: export function wordFrequencies', 'src/util.ts:1: export const wordFrequenciesHelper']],
    ] as const) {
      const since = mock.requests.length;
      const before = await sendFromComposer(frame, `${marker} Look around.`);
      const messages = await waitForFinalAnswer(frame, before + 4);
      assert.equal(await toolCard(frame, tool).getAttribute('data-state'), 'done');
      const result = String((bodyOf(chatRequests(since)[1]!).messages ?? []).at(-1)?.content);
      for (const line of expected) assert.ok(result.includes(line), `${tool}: ${line} in ${result}`);
      assert.ok(!result.includes('node_modules'), `${tool} must not reach node_modules: ${result}`);
      assert.ok(messages.at(-1)?.text.startsWith(TOOL_RESULT_ANSWER_PREFIX));
    }
  });

  it('propose_edit waits for Allow, then goes through the inline edit; Accept changes the file and the model hears so', async function () {
    await openFile(page, EXAMPLE_FILE);
    const original = await editorLines(page);
    const frame = await openChatPanel(page);
    const since = mock.requests.length;
    const before = await sendFromComposer(frame, `[propose-edit:${EXAMPLE_FILE}:1:1] Add a better comment.`);

    const card = toolCard(frame, 'propose_edit');
    await waitUntil('the approval prompt', async () => (await card.getAttribute('data-state')) === 'awaitingApproval');
    assert.deepEqual(await editorLines(page), original, 'nothing changes before the user allows it');
    assert.equal(chatRequests(since).length, 1, 'the loop waits for the answer');

    await card.locator('button[data-action="allow"]').click();
    const accept = codeLens(page, 'Accept');
    await accept.waitFor({ state: 'visible', timeout: 20_000 });
    await waitUntil('the proposed line in the editor', async () => (await editorLines(page))[0] === PROPOSED_TEXT);
    await accept.click();

    const messages = await waitForFinalAnswer(frame, before + 4);
    assert.equal(await card.getAttribute('data-state'), 'done');
    const final = messages.at(-1)?.text ?? '';
    assert.ok(final.startsWith(`${PROPOSE_EDIT_ANSWER_PREFIX}call_edit_1=The user accepted the edit of lines 1-1 of ${EXAMPLE_FILE}`), final);
    assert.deepEqual(await editorLines(page), [PROPOSED_TEXT, ...original.slice(1)]);
  });

  it('Deny sends a refusal to the model and leaves the file alone', async function () {
    await openFile(page, EXAMPLE_FILE);
    const original = await editorLines(page);
    const frame = await openChatPanel(page);
    const since = mock.requests.length;
    const before = await sendFromComposer(frame, `[propose-edit:${EXAMPLE_FILE}:2:2] Change line 2.`);
    const card = toolCard(frame, 'propose_edit');
    await waitUntil('the approval prompt', async () => (await card.getAttribute('data-state')) === 'awaitingApproval');
    await card.locator('button[data-action="deny"]').click();
    await waitForFinalAnswer(frame, before + 4);
    assert.equal(await card.getAttribute('data-state'), 'denied');
    const result = (bodyOf(chatRequests(since)[1]!).messages ?? []).at(-1);
    assert.equal(result?.content, 'The user did not allow this tool call.');
    assert.deepEqual(await editorLines(page), original);
  });

  it('Stop while a proposed edit awaits review withdraws it: the original is back and its CodeLens gone', async function () {
    await openFile(page, EXAMPLE_FILE);
    const original = await editorLines(page);
    const frame = await openChatPanel(page);
    await sendFromComposer(frame, `[propose-edit:${EXAMPLE_FILE}:3:3] Change line 3.`);
    const card = toolCard(frame, 'propose_edit');
    await waitUntil('the approval prompt', async () => (await card.getAttribute('data-state')) === 'awaitingApproval');
    await card.locator('button[data-action="allow"]').click();
    const accept = codeLens(page, 'Accept');
    await accept.waitFor({ state: 'visible', timeout: 20_000 });
    await waitUntil('the proposed line in the editor', async () => (await editorLines(page))[2] === PROPOSED_TEXT);
    await frame.locator('#stop-button').click();
    await accept.waitFor({ state: 'hidden', timeout: 10_000 });
    await waitUntil('the original back', async () => JSON.stringify(await editorLines(page)) === JSON.stringify(original), 10_000);
  });

  it('a regex search with a catastrophic pattern answers within 2 s and the panel stays responsive', async function () {
    const frame = await openChatPanel(page);
    const since = mock.requests.length;
    const cards = frame.locator('#transcript .tool-card[data-tool="search_text"]');
    const cardsBefore = await cards.count();
    const before = await sendFromComposer(frame, '[search-regex:^(\\w+\\s?)*$] Find the lines made only of words.');
    const card = toolCard(frame, 'search_text');
    await waitUntil('the search_text card of this question', async () => (await cards.count()) > cardsBefore);
    // The panel takes typing while the tool runs (a frozen host would still let the webview type,
    // but not answer with the tool result below in time).
    const composer = frame.locator('textarea#composer-input');
    await composer.fill('typed during the search');
    assert.equal(await composer.inputValue(), 'typed during the search');
    assert.equal(await frame.evaluate(() => document.querySelectorAll('#transcript .tool-card').length > 0), true);

    const messages = await waitForFinalAnswer(frame, before + 4);
    assert.equal(await card.getAttribute('data-state'), 'done');
    const [withCall, withResult] = chatRequests(since);
    assert.ok(withCall && withResult, `two chat requests expected, got ${chatRequests(since).length}`);
    const took = withResult.receivedAt - withCall.receivedAt;
    assert.ok(took < 2_000, `the tool result came back ${took} ms after the request that got the tool call`);
    // Only the empty lines consist of nothing but words; judged with RE2 here too, as a JavaScript
    // RegExp would hang on the long lines of the other files.
    const result = String((bodyOf(withResult).messages ?? []).at(-1)?.content);
    const lineOfWords = RE2JS.compile('^[^:]+:\\d+: (\\w+\\s?)*$');
    const lines = result.split('\n');
    assert.ok(lines.includes('src/util.ts:2: '), result);
    for (const line of lines) assert.ok(lineOfWords.test(line), `not a line of words: ${line.slice(0, 200)}`);
    assert.ok(!result.includes('parseConfiguration'), 'no long line matched');
    assert.ok(messages.at(-1)?.text.startsWith(TOOL_RESULT_ANSWER_PREFIX));
    await composer.fill('');
  });

  it('read_file of .env is refused naming the rule; the secret never reaches the gateway, not even through search', async function () {
    const frame = await openChatPanel(page);
    const since = mock.requests.length;
    const before = await sendFromComposer(frame, '[read-file:.env] Read the environment file.');
    const card = toolCard(frame, 'read_file');
    await waitUntil('the refused call', async () => (await card.getAttribute('data-state')) === 'error');
    await waitForFinalAnswer(frame, before + 4);
    const requests = chatRequests(since);
    assert.equal(requests.length, 2);
    const result = (bodyOf(requests[1]!).messages ?? []).at(-1);
    assert.equal(result?.role, 'tool');
    assert.equal(result.tool_call_id, 'call_read_1');
    assert.equal(
      String(result.content),
      'Refused: .env matches ".env" in Fox Chat\'s built-in list of secret files, so it is not shared with the model. Do not try to read it another way; ask the user if you need something from it.',
    );

    // A search for the token's shape skips .env (the question holds the pattern, not the token).
    const searched = mock.requests.length;
    const again = await sendFromComposer(frame, '[search-regex:sk-live-\\w+] Where is the token?');
    await waitForFinalAnswer(frame, again + 4);
    const searchResult = String((bodyOf(chatRequests(searched)[1]!).messages ?? []).at(-1)?.content);
    assert.equal(searchResult, 'No matches for /sk-live-\\w+/.');

    const leaking = mock.requests.filter((request) => request.rawBody.includes(ENV_SECRET) || request.rawBody.includes('postgres://app@'));
    assert.deepEqual(leaking.map((request) => request.rawBody.slice(0, 200)), [], 'no request body holds anything from .env');
  });

  it('a gateway that rejects tools is asked again without them, and later questions to it go without tools', async function () {
    const frame = await openChatPanel(page);
    const since = mock.requests.length;
    const before = await sendFromComposer(frame, '[no-tools] First question.');
    await waitForFinalAnswer(frame, before + 2);
    const first = chatRequests(since);
    assert.deepEqual(first.map((request) => bodyOf(request).tools !== undefined), [true, false], 'rejected with tools, answered without');
    assert.equal((await transcript(frame)).at(-1)?.state, 'done');

    const next = mock.requests.length;
    const again = await sendFromComposer(frame, '[no-tools] Second question.');
    await waitForFinalAnswer(frame, again + 2);
    const second = chatRequests(next);
    assert.equal(second.length, 1, 'no second 400');
    assert.equal(bodyOf(second[0]!).tools, undefined);
  });

  it('Suggest Tests for Selection asks for a JSON test plan and the panel shows it as a foldable tree', async function () {
    await openFile(page, EXAMPLE_FILE);
    await selectLines(page, 3, 9);
    const since = mock.requests.length;
    await runCommand(page, 'Fox Chat: Suggest Tests for Selection');
    const request = await mock.waitForRequest((r) => mock.requests.indexOf(r) >= since && r.path === '/v1/chat/completions', 20_000);
    const body = bodyOf(request);
    assert.equal(body.response_format?.type, 'json_schema');
    assert.equal(body.response_format.json_schema?.name, 'test_plan');
    assert.equal(body.tools, undefined, 'a test plan needs no tools');

    const frame = await openChatPanel(page);
    const tree = frame.locator('#transcript .message').last().locator('[data-json-tree]');
    await tree.waitFor({ state: 'visible', timeout: 20_000 });
    const text = await tree.innerText();
    for (const test of MOCK_TEST_PLAN.tests) assert.ok(text.includes(test.name), `${test.name} in ${text}`);
    const folds = tree.locator('details');
    assert.ok((await folds.count()) >= 3, 'the object, its tests array and each test fold');
    await folds.nth(1).locator('summary').first().click();
    assert.equal(await folds.nth(1).evaluate((element) => (element as unknown as { open: boolean }).open), false, 'a fold closes');

    // Regenerate asks again the same way: as JSON, without tools.
    const again = mock.requests.length;
    await frame.locator('#transcript .message').last().locator('button[data-action="regenerate"]').click();
    const regenerated = bodyOf(await nextChatRequest(mock, again));
    assert.equal(regenerated.response_format?.json_schema?.name, 'test_plan');
    assert.equal(regenerated.tools, undefined);
    await frame.locator('#transcript .message').last().locator('[data-json-tree]').waitFor({ state: 'visible', timeout: 20_000 });
  });

  it('Explain Selection in .env is refused with a message naming the rule, and nothing is sent', async function () {
    await openFile(page, '.env');
    await selectLines(page, 1, 2);
    const since = mock.requests.length;
    await runCommand(page, 'Fox Chat: Explain Selection');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'so it is not sent' });
    await toast.waitFor({ state: 'visible', timeout: 20_000 });
    assert.equal(
      (await toast.locator('.notification-list-item-message').innerText()).trim(),
      '.env matches .env in Fox Chat\'s ignore list of secret files, so it is not sent. If this file holds nothing secret, change that rule (a "!" line in the foxChat.ignoreFiles setting re-includes a built-in pattern).',
    );
    await toast.locator('.codicon-notifications-clear').click();

    // The next request the gateway sees is the next question, without the selection.
    const frame = await openChatPanel(page);
    const before = await sendFromComposer(frame, 'Hello after the refusal.');
    await waitForFinalAnswer(frame, before + 2);
    const next = chatRequests(since)[0]!;
    assert.ok(next.rawBody.includes('Hello after the refusal.'), next.rawBody.slice(0, 300));
    assert.ok(!next.rawBody.includes(ENV_SECRET) && !next.rawBody.includes('postgres://app@'));
  });
});
