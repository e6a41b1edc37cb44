import { strict as assert } from 'node:assert';
import { computeHunks, HunkReview, splitLines, type Hunk } from '../../../src/edits/hunks';
import { seededDraws } from '../../fixtures/random';

/** The proposed text rebuilt from the original and the hunks, each hunk taken (true) or not. */
function stitch(original: string, proposed: string, hunks: readonly Hunk[], take: (index: number) => boolean): string {
  let text = '';
  let at = 0;
  hunks.forEach((hunk, index) => {
    text += original.slice(at, hunk.originalStart);
    text += take(index) ? proposed.slice(hunk.proposedStart, hunk.proposedEnd) : original.slice(hunk.originalStart, hunk.originalEnd);
    at = hunk.originalEnd;
  });
  return text + original.slice(at);
}

describe('hunks', () => {
  it('splitLines keeps every character, line breaks included', () => {
    assert.deepEqual(splitLines('a\r\nb\nc'), ['a\r\n', 'b\n', 'c']);
    assert.deepEqual(splitLines('a\n'), ['a\n']);
    assert.deepEqual(splitLines(''), []);
  });

  it('two separated changes are two hunks; each side of each hunk is exact', () => {
    const original = 'one\ntwo\nthree\nfour\nfive\n';
    const proposed = 'one\nTWO\nthree\nfour\n';
    const hunks = computeHunks(original, proposed);
    assert.equal(hunks.length, 2);
    assert.deepEqual(
      hunks.map((hunk) => [original.slice(hunk.originalStart, hunk.originalEnd), proposed.slice(hunk.proposedStart, hunk.proposedEnd)]),
      [
        ['two\n', 'TWO\n'],
        ['five\n', ''],
      ],
    );
    assert.deepEqual(computeHunks('same', 'same'), []);
    assert.equal(stitch(original, proposed, hunks, () => true), proposed);
  });

  it('rejecting one hunk and accepting the other leaves exactly the expected text in a CRLF text', () => {
    const original = 'a\r\nb\r\nc\r\nd\r\ne';
    const proposed = 'a\r\nB\r\nc\r\nd\r\nE1\r\nE2';
    const review = new HunkReview(original, proposed);
    let text = proposed;
    const [first, second] = review.pending();
    assert.ok(first && second);
    assert.deepEqual([first.current, second.current], ['B\r\n', 'E1\r\nE2']);
    const edit = review.rejectEdit(first.id)!;
    text = text.slice(0, edit.from) + edit.text + text.slice(edit.to);
    review.rejected(first.id);
    review.accepted(second.id);
    assert.equal(text, 'a\r\nb\r\nc\r\nd\r\nE1\r\nE2');
    assert.equal(review.text, text);
    assert.deepEqual(review.pending(), []);
  });

  it('a change across two hunks merges them; rejecting the merged hunk restores the original of both and the text between', () => {
    const original = 'a\nb\nc\nd\n';
    const proposed = 'a\nB\nc\nD\n';
    const review = new HunkReview(original, proposed);
    assert.equal(review.total, 2);
    // Select from inside "B" to inside "D" and type "x".
    review.applyChange(2, 7, 'x');
    assert.equal(review.text, 'a\nx\n');
    const [merged] = review.pending();
    assert.ok(merged);
    assert.equal(merged.original, 'b\nc\nd\n');
    assert.equal(review.textWithPendingRejected(), original);
  });

  it('text typed next to a hunk is not part of it', () => {
    const review = new HunkReview('a\nb\nc\n', 'a\nc\n');
    const [deleted] = review.pending();
    assert.ok(deleted && deleted.start === 2 && deleted.end === 2);
    review.applyChange(2, 2, 'typed ');
    assert.equal(review.text, 'a\ntyped c\n');
    assert.equal(review.textWithPendingRejected(), 'a\nb\ntyped c\n');
  });

  describe('seeded faults: random texts, edits around and inside the hunks, decisions in any order', () => {
    const RUNS = Number(process.env.FOX_FAULT_RUNS ?? 400);
    const WORDS = ['alpha', 'beta', 'gamma', 'delta', '', '  indent', 'eps;'];

    it(`${RUNS} runs: every hunk's original comes back byte for byte, typed text outside a hunk is never dropped (FOX_FAULT_RUNS=n for more)`, function () {
      this.timeout(60_000);
      for (let run = 0; run < RUNS; run++) {
        try {
          oneRun(run);
        } catch (error) {
          if (error instanceof Error) error.message = `run ${run} (seed ${5000 + run}): ${error.message}`;
          throw error;
        }
      }
    });

    function oneRun(run: number): void {
      const { random, chance, int, pick } = seededDraws(5000 + run);

      const eol = chance(0.4) ? '\r\n' : '\n';
      const lines = Array.from({ length: int(12) }, () => pick(WORDS));
      const joinLines = (list: readonly string[], trailing: boolean): string => list.join(eol) + (trailing && list.length > 0 ? eol : '');
      const original = joinLines(lines, chance(0.6));
      const changed: string[] = [];
      for (const line of lines) {
        const roll = random();
        if (roll < 0.15) continue; // deleted
        if (roll < 0.3) changed.push(line.toUpperCase() + '!');
        else changed.push(line);
        if (chance(0.12)) changed.push(`NEW ${int(99)}`);
      }
      if (chance(0.2)) changed.unshift('HEAD');
      const proposed = joinLines(changed, chance(0.6));

      // The hunks describe the change exactly.
      const hunks = computeHunks(original, proposed);
      const context = (): string => JSON.stringify({ original, proposed, hunks });
      assert.equal(stitch(original, proposed, hunks, () => true), proposed, `all taken gives the proposed text: ${context()}`);
      assert.equal(stitch(original, proposed, hunks, () => false), original, context());
      hunks.forEach((hunk, index) => {
        assert.notEqual(original.slice(hunk.originalStart, hunk.originalEnd), proposed.slice(hunk.proposedStart, hunk.proposedEnd), context());
        const previous = hunks[index - 1];
        if (previous) assert.ok(hunk.originalStart > previous.originalEnd, `hunks are separated by kept lines: ${context()}`);
        const startsLine = (source: string, offset: number): boolean => offset === 0 || source[offset - 1] === '\n';
        assert.ok(startsLine(original, hunk.originalStart) && startsLine(proposed, hunk.proposedStart), `hunks start at a line start: ${context()}`);
      });
      if (original === proposed) assert.equal(hunks.length, 0);

      // A review of them, with the document as an array of characters that remember who typed them.
      const review = new HunkReview(original, proposed);
      assert.equal(review.total, hunks.length);
      interface Char {
        ch: string;
        /** Typed by the user where it belongs to no hunk: a reject must never remove it. */
        keep: boolean;
      }
      const doc: Char[] = Array.from(proposed, (ch) => ({ ch, keep: false }));
      const text = (): string => doc.map((c) => c.ch).join('');
      const decisions = new Map<number, 'accepted' | 'rejected'>();
      let userEdits = 0;
      let replacements = 0;

      const steps = int(14);
      for (let step = 0; step < steps; step++) {
        const pending = review.pending();
        const roll = random();
        if (roll < 0.45 && pending.length > 0) {
          const hunk = pick(pending);
          if (chance(0.5)) {
            const edit = review.rejectEdit(hunk.id)!;
            assert.equal(text().slice(edit.from, edit.to), hunk.current, 'the reject edit replaces exactly the hunk');
            const removed = doc.slice(edit.from, edit.to);
            if (replacements === 0) assert.ok(!removed.some((c) => c.keep), `a reject removed typed text: ${JSON.stringify({ text: text(), edit })}`);
            doc.splice(edit.from, edit.to - edit.from, ...Array.from(edit.text, (ch) => ({ ch, keep: false })));
            review.rejected(hunk.id);
            decisions.set(hunk.ordinal, 'rejected');
          } else {
            review.accepted(hunk.id);
            decisions.set(hunk.ordinal, 'accepted');
          }
        } else {
          // A user edit: mostly typing at one place, sometimes replacing a span.
          userEdits++;
          const length = doc.length;
          const from = int(length);
          const to = chance(0.7) ? from : Math.min(length, from + 1 + int(6));
          const typed = chance(0.2) ? '' : pick(['x', 'yy', eol, `z${eol}`]);
          if (to > from) replacements++;
          const strictlyInsidePending = review.pending().some((hunk) => hunk.start < from && from < hunk.end);
          const keep = to === from && !strictlyInsidePending;
          doc.splice(from, to - from, ...Array.from(typed, (ch) => ({ ch, keep })));
          review.applyChange(from, to, typed);
        }
        assert.equal(review.text, text(), `the review follows the text: ${context()}`);
        assert.equal(review.original, original, `the originals joined are the original: ${context()}`);
        for (const hunk of review.pending()) {
          assert.equal(text().slice(hunk.start, hunk.end), hunk.current, context());
        }
      }

      if (userEdits === 0) {
        // Without user edits the text is the proposed one with exactly the rejected hunks undone.
        const expected = stitch(original, proposed, hunks, (index) => decisions.get(index + 1) !== 'rejected');
        assert.equal(text(), expected, `decisions ${JSON.stringify([...decisions])}: ${context()}`);
      }

      // Rejecting the rest one by one gives what textWithPendingRejected says.
      const rest = review.textWithPendingRejected();
      for (const hunk of review.pending()) {
        const edit = review.rejectEdit(hunk.id)!;
        if (replacements === 0) assert.ok(!doc.slice(edit.from, edit.to).some((c) => c.keep), 'a reject removed typed text');
        doc.splice(edit.from, edit.to - edit.from, ...Array.from(edit.text, (ch) => ({ ch, keep: false })));
        review.rejected(hunk.id);
        decisions.set(hunk.ordinal, 'rejected');
      }
      assert.equal(text(), rest);
      assert.equal(review.pending().length, 0);
      if (userEdits === 0 && [...decisions.values()].every((decision) => decision === 'rejected')) {
        assert.equal(text(), original, 'every hunk rejected gives the original byte for byte');
      }
    }
  });
});
