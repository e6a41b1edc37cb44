import { strict as assert } from 'node:assert';
import { changedLines, MAX_EDIT_LENGTH } from '../../../src/edits/lineDiff';

const numbered = (count: number, prefix = 'line'): string[] => Array.from({ length: count }, (_, i) => `${prefix} ${i}`);
const changedIndexes = (flags: boolean[]): number[] => flags.flatMap((changed, index) => (changed ? [index] : []));

describe('changedLines', () => {
  it('marks lines that are new or changed, not those kept from the original', () => {
    assert.deepEqual(changedLines('a\nb\nc', 'a\nB\nc\nd'), [false, true, false, true]);
    assert.deepEqual(changedLines('a\r\nb', 'a\nb'), [false, false], 'line endings do not count');
    assert.deepEqual(changedLines('x', ''), [true]);
    assert.deepEqual(changedLines('', 'new'), [true]);
    assert.deepEqual(changedLines('a  \nb', 'a\nb\t'), [false, false], 'trailing whitespace does not count');
  });

  it('marks only the changed lines of a large text (5 000 against 5 000 lines, a few changes)', () => {
    const original = numbered(5000);
    const current = original.slice();
    current[10] = 'changed 10';
    current[2500] = 'changed 2500';
    current.splice(4000, 0, 'inserted before 4000');
    current.splice(4500, 1); // a deletion marks nothing in the new text
    current[4998] = 'changed near the end';
    const flags = changedLines(original.join('\n'), current.join('\n'));
    assert.equal(flags.length, current.length);
    assert.deepEqual(changedIndexes(flags), [10, 2500, 4000, 4998]);
  });

  it('insertions and deletions at the start and at the end', () => {
    const original = numbered(6);
    const text = (lines: string[]): string => lines.join('\n');
    assert.deepEqual(changedIndexes(changedLines(text(original), text(['new', 'newer', ...original]))), [0, 1], 'inserted at the start');
    assert.deepEqual(changedIndexes(changedLines(text(original), text([...original, 'new']))), [6], 'inserted at the end');
    assert.deepEqual(changedLines(text(original), text(original.slice(2))), [false, false, false, false], 'deleted at the start');
    assert.deepEqual(changedLines(text(original), text(original.slice(0, -2))), [false, false, false, false], 'deleted at the end');
    assert.deepEqual(changedIndexes(changedLines(text(original), text(['first', ...original.slice(1, -1), 'last']))), [0, 5], 'both ends replaced');
  });

  it('CRLF input, on either side or both, compares like LF', () => {
    const lf = 'one\ntwo\nthree\n';
    const crlf = lf.replace(/\n/g, '\r\n');
    assert.deepEqual(changedLines(crlf, crlf.replace('two', 'TWO')), [false, true, false, false]);
    assert.deepEqual(changedLines(crlf, lf), [false, false, false, false]);
    assert.deepEqual(changedLines(lf, `zero\r\n${crlf}`), [true, false, false, false, false]);
  });

  it('a middle that differs in more lines than the edit budget counts as changed, the kept ends do not', () => {
    const middle = MAX_EDIT_LENGTH; // as many lines removed as inserted: twice the budget
    const original = ['head', ...numbered(middle, 'old'), 'tail'];
    const current = ['head', ...numbered(middle, 'new'), 'tail'];
    const flags = changedLines(original.join('\n'), current.join('\n'));
    assert.deepEqual(changedIndexes(flags), Array.from({ length: middle }, (_, i) => i + 1));
  });
});
