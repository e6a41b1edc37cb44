import { strict as assert } from 'node:assert';
import type { SelectionContext } from '../../../src/chat/prompts';
import { buildRefactorMessages, findPreset, REFACTOR_PRESETS, REFACTOR_SYSTEM_PROMPT, resolveInstruction } from '../../../src/chat/refactorPrompt';

const selection: SelectionContext = {
  kind: 'selection',
  fileName: 'src/math.ts',
  languageId: 'typescript',
  startLine: 3,
  endLine: 5,
  text: 'function add(a, b) {\n  return a + b;\n}',
};

describe('refactor prompt', () => {
  it('sends the selection with file name, language and line range, and asks for the replacement code only', () => {
    const [system, user] = buildRefactorMessages(selection, 'Simplify it.');
    assert.deepEqual(system, { role: 'system', content: REFACTOR_SYSTEM_PROMPT });
    assert.match(REFACTOR_SYSTEM_PROMPT, /replacement code only/);
    assert.equal(user?.role, 'user');
    const content = user.content as string;
    assert.ok(content.startsWith('Simplify it.\n\n'), content);
    assert.ok(content.includes('only the code that replaces lines 3-5'), content);
    assert.ok(content.endsWith('File: src/math.ts (language: typescript, lines 3-5)\n```typescript\nfunction add(a, b) {\n  return a + b;\n}\n```'), content);
  });

  it('says "line" for a one-line selection', () => {
    const content = buildRefactorMessages({ ...selection, startLine: 4, endLine: 4, text: 'x();' }, 'Fix it.')[1]?.content as string;
    assert.ok(content.includes('replaces line 4 '), content);
  });

  it('turns preset ids and names into their instructions, and keeps anything else as typed', () => {
    assert.equal(REFACTOR_PRESETS.length, 5);
    for (const preset of REFACTOR_PRESETS) {
      assert.equal(findPreset(preset.id), preset);
      assert.equal(findPreset(preset.name.toUpperCase()), preset);
      assert.equal(resolveInstruction(preset.name), preset.instruction);
    }
    assert.equal(resolveInstruction('add types'), findPreset('addTypes')?.instruction);
    assert.equal(resolveInstruction('  Use a for-of loop  '), 'Use a for-of loop');
    assert.equal(findPreset('Simplify the loop'), undefined);
  });
});
