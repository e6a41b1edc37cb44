import { strict as assert } from 'node:assert';
import { computeHunks, type Hunk } from '../../../src/edits/hunks';
import { InlineEditSession, type InlineEditPhase } from '../../../src/edits/inlineEditSession';
import { mulberry32, seededDraws } from '../../fixtures/random';
import { SimulatedDocument, ticks, virtualClock } from './simulatedDocument';

/** The original with each hunk's proposed text where `take(ordinal)` says so. */
function stitch(original: string, proposed: string, hunks: readonly Hunk[], take: (ordinal: number) => boolean): string {
  let text = '';
  let at = 0;
  hunks.forEach((hunk, index) => {
    text += original.slice(at, hunk.originalStart);
    text += take(index + 1) ? proposed.slice(hunk.proposedStart, hunk.proposedEnd) : original.slice(hunk.originalStart, hunk.originalEnd);
    at = hunk.originalEnd;
  });
  return text + original.slice(at);
}

/** A document whose lines 2-6 are replaced by `proposed` (verbatim, as a chat code block would be). */
async function reviewOf(eol: '\n' | '\r\n', seed = 1) {
  const lines = ['// head', 'one', 'two', 'three', 'four', 'five', '// tail', ''];
  const text = lines.join(eol);
  const original = lines.slice(1, 6).join(eol) + eol;
  const start = text.indexOf(original);
  const random = mulberry32(seed);
  const doc = new SimulatedDocument(text, eol, { start, end: start + original.length }, { random, extraChangeChance: 0 });
  const session = new InlineEditSession(doc, { start, end: start + original.length }, { verbatim: true, flushIntervalMs: 10, ...virtualClock(random) });
  await session.run([{ type: 'text', text: 'one\nTWO\nthree\nfour\n' }]);
  return { doc, session, text, original };
}

describe('InlineEditSession per-hunk review', () => {
  for (const eol of ['\n', '\r\n'] as const) {
    it(`two separated changes are two hunks; rejecting one and accepting the other leaves exactly the expected text (${JSON.stringify(eol)})`, async () => {
      const { doc, session, text } = await reviewOf(eol);
      assert.equal(session.phase, 'review');
      const hunks = session.hunks ?? [];
      assert.deepEqual(
        hunks.map((hunk) => [hunk.ordinal, hunk.original, hunk.current]),
        [
          [1, `two${eol}`, `TWO${eol}`],
          [2, `five${eol}`, ''],
        ],
      );
      assert.equal(await session.rejectHunk(hunks[0]!.id), true);
      assert.equal(doc.text, text.replace(`five${eol}`, ''), 'the first hunk has its original back, the second is still proposed');
      assert.equal(session.phase, 'review');
      assert.equal(await session.acceptHunk(hunks[1]!.id), true);
      assert.deepEqual(await session.done, { reason: 'accepted', restored: false });
      const expected = text.replace(`five${eol}`, '');
      assert.equal(doc.text, expected);
      doc.undo();
      assert.equal(doc.text, text, 'one Undo brings the original back');
      assert.deepEqual(doc.violations, []);
    });
  }

  it('Accept All then one Undo restores the original; rejecting every hunk one by one is a Reject', async () => {
    {
      const { doc, session, text } = await reviewOf('\r\n');
      assert.equal(await session.accept(), true);
      assert.equal(doc.text, text.replace('two', 'TWO').replace('five\r\n', ''));
      doc.undo();
      assert.equal(doc.text, text);
    }
    {
      const { doc, session, text } = await reviewOf('\n');
      for (const hunk of session.hunks ?? []) await session.rejectHunk(hunk.id);
      assert.deepEqual(await session.done, { reason: 'rejected', restored: true });
      assert.equal(doc.text, text);
    }
  });

  it('Reject All after accepting one hunk rejects only the rest', async () => {
    const { doc, session, text } = await reviewOf('\n');
    const [first] = session.hunks ?? [];
    await session.acceptHunk(first!.id);
    assert.deepEqual(await session.reject(), { reason: 'accepted', restored: false });
    assert.equal(doc.text, text.replace('two', 'TWO'));
  });

  it('a user edit next to a hunk survives rejecting it', async () => {
    const { doc, session, text } = await reviewOf('\n');
    const at = doc.text.indexOf('three');
    doc.userEdit(at, 0, '/* typed */ ');
    const [first] = session.hunks ?? [];
    await session.rejectHunk(first!.id);
    await session.accept();
    assert.equal(doc.text, text.replace('five\n', '').replace('three', '/* typed */ three'));
  });

  describe('fault injection: randomised hunk decisions with user edits everywhere', () => {
    const RUNS = Number(process.env.FOX_FAULT_RUNS ?? 300);
    const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'eps', ''];
    const stats: Record<string, number> = {};
    after(() => console.log(`      outcomes over ${RUNS} runs: ${JSON.stringify(stats)}`));

    it(`${RUNS} runs: decided hunks end up exactly as decided, nothing outside is touched, one Undo restores (FOX_FAULT_RUNS=n for more)`, async function () {
      this.timeout(60_000);
      for (let run = 0; run < RUNS; run++) {
        try {
          await oneRun(run);
        } catch (error) {
          console.log(`      failed: run ${run} (seed ${9000 + run})`);
          throw error;
        }
      }
    });

    async function oneRun(run: number): Promise<void> {
      const { random, chance, int, pick } = seededDraws(9000 + run);

      const eol = chance(0.4) ? '\r\n' : '\n';
      const lines = Array.from({ length: 3 + int(10) }, () => pick(WORDS));
      const from = 1 + int(lines.length - 3);
      const to = Math.min(lines.length - 1, from + 1 + int(6));
      const text = lines.join(eol) + eol;
      const startAt = lines.slice(0, from).join(eol).length + eol.length;
      const original = lines.slice(from, to).join(eol) + eol;
      const selection = { start: startAt, end: startAt + original.length };
      assert.equal(text.slice(selection.start, selection.end), original);

      const proposedLines: string[] = [];
      for (const line of lines.slice(from, to)) {
        const roll = random();
        if (roll < 0.2) continue;
        proposedLines.push(roll < 0.45 ? `${line.toUpperCase()}!` : line);
        if (chance(0.15)) proposedLines.push(`NEW ${int(9)}`);
      }
      if (proposedLines.every((line) => line.trim() === '')) proposedLines.push('ONLY'); // blank answers change nothing
      const proposed = proposedLines.join(eol) + eol;

      const doc = new SimulatedDocument(text, eol, selection, { random, maxTicks: 3, extraChangeChance: 0.05 });
      doc.original = original;
      const session = new InlineEditSession(doc, selection, { verbatim: true, flushIntervalMs: pick([0, 10]), ...virtualClock(random) });
      await session.run([{ type: 'text', text: proposedLines.join('\n') + '\n' }]);
      assert.equal(session.phase, 'review', JSON.stringify({ end: session.phase === 'ended' ? await session.done : undefined, text, original, proposed, doc: doc.text }));
      assert.equal(doc.regionText(), proposed);
      const hunks = computeHunks(original, proposed);
      assert.equal(session.hunkTotal, hunks.length);

      const decisions = new Map<number, 'accepted' | 'rejected'>();
      let rest: 'accepted' | 'rejected' | undefined;
      let userEdits = 0;
      const actions: string[] = [];
      const pending: Promise<unknown>[] = [];
      for (let step = 0; step < 12 && (session.phase as InlineEditPhase) === 'review'; step++) {
        const open = session.hunks ?? [];
        const roll = random();
        if (roll < 0.3 && open.length > 0) {
          const hunk = pick(open);
          const ordinal = hunk.ordinal;
          const decide = chance(0.5) ? ('accepted' as const) : ('rejected' as const);
          actions.push(`${decide} ${ordinal}`);
          const decided = (decide === 'accepted' ? session.acceptHunk(hunk.id) : session.rejectHunk(hunk.id)).then((ok) => {
            actions.push(`${decide} ${ordinal}: ${ok}`);
            if (ok) decisions.set(ordinal, decide);
          });
          if (chance(0.5)) await decided;
          else pending.push(decided);
        } else if (roll < 0.5) {
          // A user edit outside the range, or (sometimes) inside it.
          userEdits++;
          const block = doc.regionBlock() ?? { start: 0, end: 0 };
          const inside = chance(0.3) && block.end > block.start;
          const at = inside ? block.start + int(block.end - block.start) : chance(0.5) ? int(block.start) : block.end + int(doc.atoms.length - block.end);
          const fixed = doc.atoms[at - 1]?.ch === '\r' && doc.atoms[at]?.ch === '\n' ? at - 1 : at;
          doc.userEdit(fixed, 0, pick(['#', 'x', `!${eol}`]));
          actions.push(`typed at ${fixed}`);
        } else if (roll < 0.6) {
          // The first Accept All / Reject All during review decides the rest; later ones find it finishing.
          const all = roll < 0.55 ? ('accepted' as const) : ('rejected' as const);
          rest ??= all;
          actions.push(`all ${all}`);
          pending.push(all === 'accepted' ? session.accept() : session.reject());
        }
        await ticks(int(3));
      }
      if ((session.phase as InlineEditPhase) === 'review') {
        // (`phase` shows a session finishing its review as still in review: an earlier Accept All / Reject All may be under way.)
        const all = chance(0.5) ? ('accepted' as const) : ('rejected' as const);
        rest ??= all;
        actions.push(`all ${all}`);
        pending.push(all === 'accepted' ? session.accept() : session.reject());
      }
      const end = await session.done;
      await Promise.all(pending);
      stats[end.reason] = (stats[end.reason] ?? 0) + 1;
      const region = doc.regionText();
      const context = (): string => JSON.stringify({ end, original, proposed, decisions: [...decisions], rest, actions, region, doc: doc.text, violations: doc.violations });
      assert.deepEqual(doc.violations, [], context());
      assert.ok(end.reason === 'accepted' || end.reason === 'rejected', context());
      assert.ok(doc.regionIsContiguous(), context());
      if (doc.insideEdits === 0) {
        // Undecided hunks went the way of the last Accept All / Reject All; a Reject All with nothing decided restores everything.
        const wholeReject = rest === 'rejected' && decisions.size === 0;
        const expected = wholeReject ? original : stitch(original, proposed, hunks, (ordinal) => (decisions.get(ordinal) ?? rest) !== 'rejected');
        assert.equal(region, expected, `the decisions, exactly: ${context()}`);
      }
      if (end.reason === 'rejected') assert.equal(end.restored, true, context());
      if (end.reason === 'accepted' && region !== original && doc.userEditsSinceSessionEdit === 0 && userEdits === 0) {
        const block = doc.regionBlock() ?? { start: 0, end: 0 };
        const before = doc.text;
        doc.undo();
        assert.equal(doc.text, before.slice(0, block.start) + original + before.slice(block.end), `one undo restores: ${context()}`);
      }
    }
  });
});
