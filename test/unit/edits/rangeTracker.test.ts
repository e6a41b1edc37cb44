import { strict as assert } from 'node:assert';
import { classifyChange, trackChange, type TextChange, type TrackedRange } from '../../../src/edits/rangeTracker';
import { mulberry32 } from '../../fixtures/random';

function apply(text: string, change: TextChange): string {
  return text.slice(0, change.offset) + change.text + text.slice(change.offset + change.length);
}

//                0123456789
const DOC = 'abcdefghijklmnop';
const RANGE: TrackedRange = { start: 4, end: 8, text: 'efgh' };

describe('rangeTracker', () => {
  it('moves the range by the size of changes before it, touching its start included', () => {
    assert.deepEqual(trackChange(RANGE, { offset: 0, length: 2, text: 'XYZW' }), { range: { start: 6, end: 10, text: 'efgh' }, effect: 'before' });
    assert.deepEqual(trackChange(RANGE, { offset: 4, length: 0, text: '++' }).range, { start: 6, end: 10, text: 'efgh' }, 'insertion at the start');
    assert.deepEqual(trackChange(RANGE, { offset: 1, length: 3, text: '' }).range, { start: 1, end: 5, text: 'efgh' }, 'deletion up to the start');
  });

  it('ignores changes after it, touching its end included', () => {
    for (const change of [
      { offset: 8, length: 0, text: 'x' },
      { offset: 8, length: 3, text: '' },
      { offset: 12, length: 1, text: 'long text' },
    ]) {
      assert.deepEqual(trackChange(RANGE, change), { range: RANGE, effect: 'after' });
    }
  });

  it('grows and shrinks around changes inside it, and keeps its text in step', () => {
    assert.deepEqual(trackChange(RANGE, { offset: 5, length: 1, text: 'FFF' }), { range: { start: 4, end: 10, text: 'eFFFgh' }, effect: 'inside' });
    assert.deepEqual(trackChange(RANGE, { offset: 4, length: 4, text: '' }), { range: { start: 4, end: 4, text: '' }, effect: 'inside' });
  });

  it('becomes the union with a change across one of its ends', () => {
    assert.deepEqual(trackChange(RANGE, { offset: 2, length: 4, text: '#' }), { range: { start: 2, end: 5, text: '#gh' }, effect: 'overlap' });
    assert.deepEqual(trackChange(RANGE, { offset: 6, length: 4, text: '#' }), { range: { start: 4, end: 7, text: 'ef#' }, effect: 'overlap' });
  });

  it('collapses onto the new text when a change covers it and more', () => {
    assert.deepEqual(trackChange(RANGE, { offset: 3, length: 6, text: 'NEW' }), { range: { start: 3, end: 6, text: 'NEW' }, effect: 'contains' });
    assert.equal(classifyChange({ start: 5, end: 5 }, { offset: 4, length: 2, text: '' }), 'contains', 'an empty range inside a deletion');
    assert.equal(classifyChange({ start: 5, end: 5 }, { offset: 5, length: 0, text: 'x' }), 'before', 'an insertion at an empty range');
  });

  it('always describes the same text as the document (random changes)', () => {
    const random = mulberry32(42);
    for (let run = 0; run < 2000; run++) {
      let doc = DOC;
      let range: TrackedRange = RANGE;
      for (let step = 0; step < 6; step++) {
        const offset = Math.floor(random() * (doc.length + 1));
        const length = Math.floor(random() * Math.min(5, doc.length - offset + 1));
        const text = 'XYZ'.slice(0, Math.floor(random() * 4));
        const change = { offset, length, text };
        doc = apply(doc, change);
        range = trackChange(range, change).range;
        assert.ok(range.start >= 0 && range.start <= range.end && range.end <= doc.length, JSON.stringify({ doc, range }));
        assert.equal(doc.slice(range.start, range.end), range.text, JSON.stringify({ doc, range, change }));
      }
    }
  });
});
