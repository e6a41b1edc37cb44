import { strict as assert } from 'node:assert';
import {
  approxTokens,
  capText,
  exceedsPendingLimit,
  formatProblems,
  makeAttachment,
  MAX_ATTACHMENT_CHARS,
  plainTerminalText,
  withoutIgnoredFiles,
} from '../../../src/chat/contextAttachments';
import { parsePersistedConversations } from '../../../src/chat/history';
import { formatUserContent, type AttachmentContext, type SelectionContext } from '../../../src/chat/prompts';
import { IgnoreList } from '../../../src/tools/ignoreList';

const DIFF = [
  'diff --git a/src/app.ts b/src/app.ts',
  'index 1111111..2222222 100644',
  '--- a/src/app.ts',
  '+++ b/src/app.ts',
  '@@ -1,2 +1,2 @@',
  '-const a = 1;',
  '+const a = 2;',
  'diff --git a/.env b/.env',
  'index 3333333..4444444 100644',
  '--- a/.env',
  '+++ b/.env',
  '@@ -1 +1 @@',
  '-API_KEY=old-secret',
  '+API_KEY=new-secret',
  'diff --git a/config/id_rsa b/config/id_rsa',
  'new file mode 100644',
  '--- /dev/null',
  '+++ b/config/id_rsa',
  '@@ -0,0 +1 @@',
  '+-----BEGIN OPENSSH PRIVATE KEY-----',
  'diff --git a/README.md b/README.md',
  '--- a/README.md',
  '+++ b/README.md',
  '@@ -1 +1 @@',
  '-old',
  '+new',
  '',
].join('\n');

describe('context attachments (chat/contextAttachments.ts)', () => {
  it('formats a file attachment as a fenced block headed by its path, in the order attached, after the question', () => {
    const file = makeAttachment({ source: 'file', label: 'src/app.ts', heading: 'File: src/app.ts (language: typescript)', text: 'const a = 1;', languageId: 'typescript' });
    const selection: SelectionContext = { kind: 'selection', fileName: 'b.ts', languageId: 'typescript', startLine: 2, endLine: 3, text: 'let b;' };
    const content = formatUserContent('What does this do?', [file, selection]);
    assert.equal(
      content,
      'What does this do?\n\nFile: src/app.ts (language: typescript)\n```typescript\nconst a = 1;\n```\n\n' +
        'File: b.ts (language: typescript, lines 2-3)\n```typescript\nlet b;\n```',
    );
  });

  it('caps an attachment and says so in the request; a terminal keeps the end of its output', () => {
    const lines = Array.from({ length: 20_000 }, (_, index) => `line ${index}`).join('\n');
    const file = makeAttachment({ source: 'file', label: 'big.txt', heading: 'File: big.txt', text: lines });
    assert.ok(file.text.length <= MAX_ATTACHMENT_CHARS);
    assert.ok(file.text.startsWith('line 0\n'));
    assert.ok(file.text.endsWith(`line ${file.text.split('\n').length - 1}`), 'cut at a line break');
    assert.equal(file.truncatedFrom, lines.length);
    const formatted = formatUserContent('q', [file]);
    assert.ok(typeof formatted === 'string' && formatted.endsWith(`(Truncated: only ${file.text.length} of ${lines.length} characters are attached.)`));

    const terminal = makeAttachment({ source: 'terminal', label: 't', heading: 'Terminal output', text: lines, keep: 'end' });
    assert.ok(terminal.text.endsWith('line 19999'));
    assert.ok(terminal.text.startsWith('line '), 'starts at a whole line');
    assert.ok(terminal.text.length <= MAX_ATTACHMENT_CHARS);

    assert.deepEqual(capText('short'), { text: 'short' });
    assert.deepEqual(capText('abcdefghij', 4), { text: 'abcd', truncatedFrom: 10 });
  });

  it('refuses an attachment that would take the question past the total cap', () => {
    const big = (chars: number): AttachmentContext => ({ kind: 'attachment', source: 'file', label: 'x', heading: 'x', languageId: '', text: 'x'.repeat(chars) });
    assert.equal(exceedsPendingLimit([big(50)], big(40), 100), false);
    assert.equal(exceedsPendingLimit([big(50)], big(51), 100), true);
    assert.equal(approxTokens(0), 0);
    assert.equal(approxTokens(9), 3);
  });

  it('leaves the changes of ignored files out of a diff, whichever side names them', () => {
    const list = new IgnoreList({ ignoreFile: 'private/\n' });
    const isIgnored = (path: string): boolean => list.match(path) !== undefined;
    const { diff, omitted } = withoutIgnoredFiles(DIFF, isIgnored);
    assert.ok(diff.includes('+const a = 2;') && diff.includes('+new'), diff);
    assert.ok(!diff.includes('secret') && !diff.includes('PRIVATE KEY'), diff);
    assert.deepEqual(omitted.sort(), ['.env', 'config/id_rsa']);

    const renamed = ['diff --git a/notes.txt b/private/notes.txt', 'similarity index 90%', 'rename from notes.txt', 'rename to private/notes.txt', '@@ -1 +1 @@', '-a', '+b'].join('\n');
    assert.equal(withoutIgnoredFiles(renamed, isIgnored).diff, '', 'a rename into an ignored folder is ignored');
    const quoted = ['diff --git "a/sp ace/.env" "b/sp ace/.env"', '--- "a/sp ace/.env"', '+++ "b/sp ace/.env"', '@@ -1 +1 @@', '-A=1', '+A=2'].join('\n');
    assert.equal(withoutIgnoredFiles(quoted, isIgnored).diff, '', 'quoted paths are read too');
    const quotedKept = quoted.replace(/\.env/g, 'ok.ts');
    assert.equal(withoutIgnoredFiles(quotedKept, isIgnored).diff, quotedKept, 'a quoted path that is not ignored is kept');
    assert.deepEqual(withoutIgnoredFiles('diff --git nonsense\n+x', isIgnored), { diff: '', omitted: ['?'] }, 'an unreadable section is left out');
  });

  it('formats problems one per line with 1-based positions, sorted', () => {
    const text = formatProblems([
      { line: 9, character: 0, severity: 'warning', message: 'unused', source: 'eslint', code: 'no-unused-vars' },
      { line: 1, character: 4, severity: 'error', message: "Type 'string' is not assignable to type 'number'.", source: 'ts', code: 2322 },
    ]);
    assert.equal(text, "2:5 error: Type 'string' is not assignable to type 'number'. (ts 2322)\n10:1 warning: unused (eslint no-unused-vars)");
  });

  it('turns terminal output into plain text: no escape sequences, redrawn lines kept as last drawn', () => {
    const raw = '\x1b]633;C\x07\x1b[32mPASS\x1b[0m src/a.test.ts\r\nprogress 10%\rprogress 100%\r\n\x1b[1mdone\x1b[22m\r\n';
    assert.equal(plainTerminalText(raw), 'PASS src/a.test.ts\nprogress 100%\ndone');
  });

  it('keeps attachments in stored history and drops malformed ones', () => {
    const attachment: AttachmentContext = { kind: 'attachment', source: 'diff', label: 'Working tree diff', heading: 'Working tree diff of repo', languageId: 'diff', text: '+x' };
    const stored = [
      {
        id: 'c1',
        title: 't',
        createdAt: 1,
        updatedAt: 2,
        turns: [{ id: 'u1', role: 'user', text: 'q', context: [attachment, { kind: 'attachment', source: 'nope', label: 'x', heading: 'x', languageId: '', text: '' }] }],
      },
    ];
    const [conversation] = parsePersistedConversations(stored, () => undefined);
    const turn = conversation?.turns[0];
    assert.ok(turn?.role === 'user');
    assert.deepEqual(turn.context, [attachment]);
  });
});
