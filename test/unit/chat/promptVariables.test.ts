import { strict as assert } from 'node:assert';
import { expandVariables, formatDiagnostics, inputVariables, localLinks, usedVariables } from '../../../src/chat/promptVariables';

describe('prompt variables', () => {
  const environment = {
    selection: 'const a = 1;',
    file: 'src/a.ts',
    fileBasename: 'a.ts',
    language: 'typescript',
    workspaceFolder: '/home/fox/project',
    clipboard: 'copied',
    diagnostics: 'src/a.ts:1: error: nope',
  };

  it('replaces every editor variable', () => {
    const body = '${selection}|${file}|${fileBasename}|${language}|${workspaceFolder}|${clipboard}|${diagnostics}';
    assert.equal(expandVariables(body, environment), 'const a = 1;|src/a.ts|a.ts|typescript|/home/fox/project|copied|src/a.ts:1: error: nope');
  });

  it('fills inputs by name, the same input twice with one answer, and takes selectedText for selection', () => {
    const body = 'Rename to ${input:newName:the new name} (${input:newName}) in ${selectedText}';
    assert.equal(expandVariables(body, environment, { newName: 'total' }), 'Rename to total (total) in const a = 1;');
  });

  it('leaves unknown variables as written and missing values empty', () => {
    assert.equal(expandVariables('${HOME} ${env:PATH} ${selection}.', {}), '${HOME} ${env:PATH} .');
  });

  it('does not expand variables inside a value (a selection of template code stays as it is)', () => {
    assert.equal(expandVariables('Fix: ${selection}', { selection: '`${clipboard}`', clipboard: 'secret' }), 'Fix: `${clipboard}`');
  });

  it('lists the inputs in order of first appearance, each once, with their placeholders', () => {
    assert.deepEqual(inputVariables('${input:b:Second thing} ${input:a} ${input:b:again} ${input:c:with: colon}'), [
      { name: 'b', placeholder: 'Second thing' },
      { name: 'a', placeholder: '' },
      { name: 'c', placeholder: 'with: colon' },
    ]);
    assert.deepEqual(inputVariables('no inputs ${selection}'), []);
  });

  it('tells which editor variables are used, so the clipboard is only read when asked for', () => {
    assert.deepEqual([...usedVariables('${selection} ${input:clipboard} ${file}')].sort(), ['file', 'selection']);
    assert.equal(usedVariables('plain').size, 0);
  });

  it('finds relative links to files and images, each once, and skips web links, anchors and absolute paths', () => {
    const body = [
      'See [the style guide](../docs/style.md) and [again](../docs/style.md#intro).',
      '![diagram](images/flow%20chart.png "Flow")',
      '[web](https://example.com) [mail](mailto:a@b.c) [cmd](command:foxChat.ask) [anchor](#top)',
      '[abs](/etc/passwd) [angle](<src/my file.ts>)',
    ].join('\n');
    assert.deepEqual(localLinks(body), [
      { target: '../docs/style.md', image: false },
      { target: 'images/flow chart.png', image: true },
      { target: 'src/my file.ts', image: false },
    ]);
  });

  it('formats diagnostics one per line, and says when there are none', () => {
    assert.equal(
      formatDiagnostics('a.ts', [
        { line: 3, severity: 'error', message: 'Cannot find name x.', source: 'ts' },
        { line: 9, severity: 'warning', message: 'Unused.' },
      ]),
      'a.ts:3: error: Cannot find name x. (ts)\na.ts:9: warning: Unused.',
    );
    assert.equal(formatDiagnostics('a.ts', []), 'No problems in a.ts.');
  });
});
