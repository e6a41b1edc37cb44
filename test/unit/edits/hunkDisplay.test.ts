import { strict as assert } from 'node:assert';
import { displayHunks } from '../../../src/edits/hunkDisplay';
import { computeHunks } from '../../../src/edits/hunks';

function display(original: string, proposed: string) {
  const hunks = computeHunks(original, proposed).map((hunk) => ({
    start: hunk.proposedStart,
    end: hunk.proposedEnd,
    original: original.slice(hunk.originalStart, hunk.originalEnd),
  }));
  return displayHunks(proposed, hunks);
}

describe('displayHunks', () => {
  it('marks inserted lines and shows each removed line beside the line that replaced it', () => {
    const result = display('a\n  old one\nb\nc\n', 'a\n  new one\nb\nc\n');
    assert.deepEqual(result.insertedLines, [1]);
    assert.deepEqual(result.removed, [{ line: 1, text: 'old one', full: '  old one\n' }]);
  });

  it('puts the rest of a longer removed run on the last inserted line, and a pure removal beside the line before it', () => {
    const result = display('a\nx1\nx2\nx3\nb\ngone\nc', 'a\nY\nb\nc');
    assert.deepEqual(result.insertedLines, [1]);
    assert.deepEqual(
      result.removed.map(({ line, text }) => [line, text]),
      [
        [1, 'x1  ⏎  x2  ⏎  x3'],
        [2, 'gone'],
      ],
    );
  });

  it('CRLF line breaks are not shown; a removal at the very start goes beside the first line', () => {
    const result = display('gone\r\nkeep\r\n', 'keep\r\n');
    assert.deepEqual(result.removed, [{ line: 0, text: 'gone', full: 'gone\r\n' }]);
    assert.deepEqual(result.insertedLines, []);
  });
});
