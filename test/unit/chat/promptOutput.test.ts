import { strict as assert } from 'node:assert';
import { codeOfAnswer, routePrompt } from '../../../src/chat/promptOutput';

const editor = { hasEditor: true, hasSelection: true, readOnly: false };

describe('prompt output routing', () => {
  it('sends chat and new-document answers where they go whatever the editor', () => {
    const none = { hasEditor: false, hasSelection: false, readOnly: false };
    assert.deepEqual(routePrompt('chat', none, true), { kind: 'chat' });
    assert.deepEqual(routePrompt('new-document', none, false), { kind: 'new-document' });
  });

  it('replaces a selection only in a writable editor with a selection, and without images', () => {
    assert.deepEqual(routePrompt('replace-selection', editor, false), { kind: 'replace-selection' });
    assert.deepEqual(routePrompt('replace-selection', { ...editor, hasSelection: false }, false), { kind: 'refused', reason: 'needsSelection' });
    assert.deepEqual(routePrompt('replace-selection', { ...editor, readOnly: true }, false), { kind: 'refused', reason: 'readOnly' });
    assert.deepEqual(routePrompt('replace-selection', { hasEditor: false, hasSelection: false, readOnly: false }, false), { kind: 'refused', reason: 'needsEditor' });
    assert.deepEqual(routePrompt('replace-selection', editor, true), { kind: 'refused', reason: 'imagesInEdit' });
  });

  it('inserts at the cursor of a writable editor, with or without a selection', () => {
    assert.deepEqual(routePrompt('insert', { ...editor, hasSelection: false }, true), { kind: 'insert' });
    assert.deepEqual(routePrompt('insert', { ...editor, readOnly: true }, false), { kind: 'refused', reason: 'readOnly' });
    assert.deepEqual(routePrompt('insert', { hasEditor: false, hasSelection: false, readOnly: false }, false), { kind: 'refused', reason: 'needsEditor' });
  });

  it('takes the first fenced block of an answer with the language it names', () => {
    const answer = 'Here you go:\n\n```python\nprint("hi")\n```\n\nand\n```js\nno\n```';
    assert.deepEqual(codeOfAnswer(answer), { code: 'print("hi")', language: 'python', fenced: true });
    assert.deepEqual(codeOfAnswer('~~~~\na\n```\nb\n~~~~'), { code: 'a\n```\nb', language: '', fenced: true });
    assert.deepEqual(codeOfAnswer('````md\n```ts\nx\n```\n````'), { code: '```ts\nx\n```', language: 'md', fenced: true });
  });

  it('takes the whole answer when it has no block, and an unclosed block up to the end', () => {
    assert.deepEqual(codeOfAnswer('  just text\n'), { code: 'just text', language: '', fenced: false });
    assert.deepEqual(codeOfAnswer('```rust\nfn main() {}\n'), { code: 'fn main() {}\n', language: 'rust', fenced: true });
  });
});
