import { strict as assert } from 'node:assert';
import { scanFiles, type ScanLimits, type ScannedFile } from '../../../src/tools/searchScan';
import { compileMatcher } from '../../../src/tools/textMatcher';
import { streamOf } from '../../fixtures/asyncStream';

const limits: ScanLimits = { maxMatches: 10, maxChars: 1_000_000, maxMillis: 10_000, sliceMillis: 15, maxLineChars: 40 };

const filesOf = (files: readonly ScannedFile[]): AsyncGenerator<ScannedFile> => streamOf(files);

/** A clock that advances `step` ms each time it is read, and counts the yields. */
function fakeEnvironment(step: number, signal = new AbortController().signal) {
  let time = 0;
  const env = {
    signal,
    yields: 0,
    now: () => (time += step),
    yieldToEventLoop: () => {
      env.yields++;
      return Promise.resolve();
    },
  };
  return env;
}

const lines = (count: number, text = 'const value = 1;'): string => Array.from({ length: count }, () => text).join('\n');
const literal = (query: string) => {
  const compiled = compileMatcher(query, { isRegex: false, caseSensitive: false });
  assert.ok(compiled.ok);
  return compiled.matches;
};

describe('search_text scan', () => {
  it('reports matching lines as path:line: text, trimmed and cut, and says when there are more', async () => {
    const files = [
      { display: 'a.ts', text: `one\n   needle here ${'x'.repeat(100)}\nthree` },
      { display: 'b.ts', text: lines(20, 'needle') },
    ];
    const outcome = await scanFiles(filesOf(files), literal('NEEDLE'), limits, fakeEnvironment(0));
    assert.equal(outcome.matches[0], `a.ts:2: needle here ${'x'.repeat(28)}`);
    assert.equal(outcome.matches[1], 'b.ts:1: needle');
    assert.equal(outcome.matches.length, 10);
    assert.equal(outcome.more, true);
    assert.equal(outcome.cutShort, undefined);
  });

  it('yields to the event loop while it works through a large file', async () => {
    const env = fakeEnvironment(1);
    const outcome = await scanFiles(filesOf([{ display: 'big.ts', text: lines(5_000) }]), literal('absent'), limits, env);
    assert.deepEqual(outcome.matches, []);
    assert.ok(env.yields >= 5_000 / 16 / 15, `only ${env.yields} yields`);
  });

  it('stops at the time budget with what it found so far', async () => {
    const files = Array.from({ length: 100 }, (_, index) => ({ display: `f${index}.ts`, text: lines(100, 'needle') }));
    const outcome = await scanFiles(filesOf(files), literal('needle'), { ...limits, maxMatches: 100_000, maxMillis: 500 }, fakeEnvironment(1));
    assert.equal(outcome.cutShort, 'time');
    assert.ok(outcome.matches.length > 0 && outcome.matches.length < 10_000);
    assert.ok(outcome.filesScanned < 100);
  });

  it('stops at the size budget before a file that would exceed it', async () => {
    const files = Array.from({ length: 10 }, (_, index) => ({ display: `f${index}.ts`, text: 'x'.repeat(400) }));
    const outcome = await scanFiles(filesOf(files), literal('y'), { ...limits, maxChars: 1_000 }, fakeEnvironment(0));
    assert.equal(outcome.cutShort, 'size');
    assert.equal(outcome.filesScanned, 2);
  });

  it('stops when the signal aborts during the scan', async () => {
    const controller = new AbortController();
    const env = fakeEnvironment(1, controller.signal);
    const original = env.yieldToEventLoop;
    env.yieldToEventLoop = async () => {
      await original();
      if (env.yields === 3) controller.abort();
    };
    const files = Array.from({ length: 50 }, (_, index) => ({ display: `f${index}.ts`, text: lines(1_000) }));
    const outcome = await scanFiles(filesOf(files), literal('needle'), limits, env);
    assert.equal(outcome.cutShort, 'stopped');
    assert.equal(env.yields, 3);
  });
});
