import { strict as assert } from 'node:assert';
import { LineBreakNormaliser, normaliseLineBreaks } from '../../../src/text/lineBreaks';

/** Feeds `pieces` one after the other; returns the output before end() and in total. */
function feed(pieces: readonly string[]): { beforeEnd: string; total: string } {
  const normaliser = new LineBreakNormaliser();
  let beforeEnd = '';
  for (const piece of pieces) beforeEnd += normaliser.push(piece);
  return { beforeEnd, total: beforeEnd + normaliser.end() };
}

describe('line breaks', () => {
  it('turns CRLF and lone CR into LF and leaves LF alone (whole text)', () => {
    assert.equal(normaliseLineBreaks('a\r\nb\rc\nd'), 'a\nb\nc\nd');
    assert.equal(normaliseLineBreaks('\r\r\n\n\r'), '\n\n\n\n');
    assert.equal(normaliseLineBreaks('no breaks'), 'no breaks');
    assert.equal(normaliseLineBreaks(''), '');
  });

  it('a CRLF split between two chunks is one line break', () => {
    const { beforeEnd, total } = feed(['a\r', '\nb']);
    assert.equal(beforeEnd, 'a\nb');
    assert.equal(total, 'a\nb');
  });

  it('a chunk ending in CR holds it back until the next chunk says what it was', () => {
    const normaliser = new LineBreakNormaliser();
    assert.equal(normaliser.push('a\r'), 'a', 'the CR may be the start of a CRLF');
    assert.equal(normaliser.push('b'), '\nb', 'a lone CR is a line break of its own');
  });

  it('a lone CR at the very end becomes a line break when the text ends', () => {
    assert.deepEqual(feed(['x\r']), { beforeEnd: 'x', total: 'x\n' });
    assert.deepEqual(feed(['\r']), { beforeEnd: '', total: '\n' });
    assert.deepEqual(feed(['x\r\n']), { beforeEnd: 'x\n', total: 'x\n' });
  });

  it('chunks of nothing but CR, or empty chunks, keep the count of line breaks', () => {
    assert.equal(feed(['\r', '\r', '', '\n', '\r']).total, '\n\n\n');
    assert.equal(feed(['', '\r', '', '\n']).total, '\n');
  });

  it('mixed line endings give the same text for every cutting into two and three pieces', () => {
    const text = 'one\r\ntwo\rthree\nfour\r\r\nfive\n\r';
    const expected = normaliseLineBreaks(text);
    assert.equal(expected, 'one\ntwo\nthree\nfour\n\nfive\n\n');
    for (let i = 0; i <= text.length; i++) {
      assert.equal(feed([text.slice(0, i), text.slice(i)]).total, expected, `cut at ${i}`);
      for (let j = i; j <= text.length; j++) {
        assert.equal(feed([text.slice(0, i), text.slice(i, j), text.slice(j)]).total, expected, `cut at ${i} and ${j}`);
      }
    }
    assert.equal(feed(Array.from(text)).total, expected, 'one character at a time');
  });

  it('end() starts over: a normaliser can be used for a second text', () => {
    const normaliser = new LineBreakNormaliser();
    normaliser.push('a\r');
    assert.equal(normaliser.end(), '\n');
    assert.equal(normaliser.push('\nb'), '\nb', 'the "\\n" of a new text is not joined to the old "\\r"');
  });
});
