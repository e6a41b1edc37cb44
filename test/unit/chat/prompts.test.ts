import { strict as assert } from 'node:assert';
import { describeLineRange, formatSelection, formatUserContent, type SelectionContext } from '../../../src/chat/prompts';

const selection: SelectionContext = {
  kind: 'selection',
  fileName: 'src/example.ts',
  languageId: 'typescript',
  startLine: 3,
  endLine: 7,
  text: 'function add(a: number, b: number) {\n  return a + b;\n}',
};

describe('prompts', () => {
  it('names the file, language and line range and fences the code with its language', () => {
    const text = formatSelection(selection);
    assert.equal(
      text,
      'File: src/example.ts (language: typescript, lines 3-7)\n```typescript\nfunction add(a: number, b: number) {\n  return a + b;\n}\n```',
    );
  });

  it('uses a fence longer than any backtick run inside the selection', () => {
    const text = formatSelection({ ...selection, text: 'const md = "```js\\n```";\nconst four = "````";' });
    assert.ok(text.includes('\n`````typescript\n'), text);
    assert.ok(text.endsWith('\n`````'), text);
  });

  it('describes a one-line range as a single number', () => {
    assert.equal(describeLineRange({ startLine: 4, endLine: 4 }), '4');
    assert.equal(describeLineRange({ startLine: 4, endLine: 9 }), '4-9');
  });

  it('puts the question first and each selection after it', () => {
    assert.equal(formatUserContent('Why?', []), 'Why?');
    assert.equal(formatUserContent('Why?', [selection]), `Why?\n\n${formatSelection(selection)}`);
  });
});
