import { strict as assert } from 'node:assert';
import { FenceStripper, stripCodeFences } from '../../../src/edits/fenceStripper';
import { mulberry32 } from '../../fixtures/random';

const CODE = 'function add(a: number, b: number) {\n  return a + b;\n}';

/** Feeds `text` in the given pieces; returns the output and what came out before finish(). */
function feed(pieces: readonly string[]): { output: string; beforeFinish: string } {
  const stripper = new FenceStripper();
  let beforeFinish = '';
  for (const piece of pieces) beforeFinish += stripper.push(piece);
  return { output: beforeFinish + stripper.finish(), beforeFinish };
}

/** Every way of cutting `text` into two and three pieces, and some random cuttings. */
function chunkings(text: string, random: () => number, count = 40): string[][] {
  const out: string[][] = [[text], Array.from(text)];
  for (let i = 0; i <= text.length; i++) out.push([text.slice(0, i), text.slice(i)]);
  for (let n = 0; n < count; n++) {
    const pieces: string[] = [];
    let at = 0;
    while (at < text.length) {
      const size = 1 + Math.floor(random() * 7);
      pieces.push(text.slice(at, at + size));
      at += size;
    }
    out.push(pieces);
  }
  return out;
}

const CASES: { name: string; input: string; expected: string }[] = [
  { name: 'plain code stays as it is', input: CODE, expected: CODE },
  { name: 'plain code with a final line break keeps it', input: `${CODE}\n`, expected: `${CODE}\n` },
  { name: 'a fenced answer loses both fences', input: `\`\`\`ts\n${CODE}\n\`\`\``, expected: CODE },
  { name: 'a fenced answer with a line break after the closing fence', input: `\`\`\`typescript\n${CODE}\n\`\`\`\n`, expected: CODE },
  { name: 'a fence without a language', input: `\`\`\`\n${CODE}\n\`\`\``, expected: CODE },
  { name: 'a tilde fence', input: `~~~ts\n${CODE}\n~~~`, expected: CODE },
  { name: 'a longer fence is closed only by a fence as long', input: '````md\n```js\nx\n```\n````', expected: '```js\nx\n```' },
  { name: 'prose before the fence is dropped', input: `Here is the simplified code:\n\n\`\`\`ts\n${CODE}\n\`\`\``, expected: CODE },
  {
    name: 'prose after the closing fence is dropped',
    input: `\`\`\`ts\n${CODE}\n\`\`\`\n\nThis version avoids the temporary variable.`,
    expected: CODE,
  },
  {
    name: 'prose on both sides',
    input: `Sure! Here you go.\n\`\`\`ts\n${CODE}\n\`\`\`\nI renamed nothing.\n\`\`\`ts\nother()\n\`\`\``,
    expected: CODE,
  },
  { name: 'a fenced answer that never closes keeps all its code', input: `\`\`\`ts\n${CODE}\n`, expected: CODE },
  { name: 'blank lines inside the code are kept', input: '```py\na = 1\n\n\nb = 2\n```', expected: 'a = 1\n\n\nb = 2' },
  { name: 'leading blank line inside the fence is kept', input: '```\n\nx\n```', expected: '\nx' },
  { name: 'a bare closing fence at the end of unfenced code is dropped', input: `${CODE}\n\`\`\``, expected: CODE },
  { name: 'a bare closing fence followed by blank lines is dropped', input: `${CODE}\n\`\`\`\n\n`, expected: CODE },
  { name: 'a fence line inside unfenced code is kept', input: 'const a = 1;\n```\nconst b = 2;', expected: 'const a = 1;\n```\nconst b = 2;' },
  { name: 'CRLF line breaks become \\n', input: '```ts\r\nconst a = 1;\r\nconst b = 2;\r\n```\r\n', expected: 'const a = 1;\nconst b = 2;' },
  { name: 'a lone CR is a line break', input: 'a\rb', expected: 'a\nb' },
  { name: 'indented fences (inside a list) are fences', input: '  ```ts\n  x();\n  ```', expected: '  x();' },
  { name: 'indentation of the code is kept', input: '```ts\n    if (a) {\n        b();\n    }\n```', expected: '    if (a) {\n        b();\n    }' },
  { name: 'backticks inside code lines are kept', input: '```ts\nconst s = `a ${b}`;\n```', expected: 'const s = `a ${b}`;' },
  { name: 'only prose and an empty fence: no code', input: 'Here:\n```ts\n```', expected: '' },
  { name: 'only an opening fence: no code', input: '```ts', expected: '' },
  { name: 'empty answer', input: '', expected: '' },
  { name: 'code starting with a capital word is code', input: 'Console.WriteLine("hi");\nreturn;', expected: 'Console.WriteLine("hi");\nreturn;' },
  {
    name: 'many prose-like lines without a fence are released as code',
    input: 'SELECT name\nFROM users\nWHERE active\nORDER BY name',
    expected: 'SELECT name\nFROM users\nWHERE active\nORDER BY name',
  },
  { name: 'a markdown comment line of code is not a fence', input: ' * ```ts\n * x\n * ```', expected: ' * ```ts\n * x\n * ```' },
];

describe('FenceStripper', () => {
  for (const { name, input, expected } of CASES) {
    it(`${name} (whatever the chunking)`, () => {
      assert.equal(stripCodeFences(input), expected);
      const random = mulberry32(input.length + 17);
      for (const pieces of chunkings(input, random)) {
        assert.equal(feed(pieces).output, expected, `pieces: ${JSON.stringify(pieces)}`);
      }
    });
  }

  it('drops the opening fence line as soon as it is complete and streams code at once', () => {
    const stripper = new FenceStripper();
    assert.equal(stripper.push('```ty'), '');
    assert.equal(stripper.push('pescript\n'), '');
    assert.equal(stripper.push('const a'), 'const a', 'a code line is passed on before it is complete');
    assert.equal(stripper.push(' = 1;\n'), ' = 1;');
    assert.equal(stripper.push('`'), '', 'a line that may become the closing fence is held');
    assert.equal(stripper.push('x`;\n'), '\n`x`;', 'and passed on once it cannot');
    assert.equal(stripper.push('``'), '');
    assert.equal(stripper.push('`\n'), '', 'the closing fence is dropped');
    assert.equal(stripper.push('Explanation.'), '');
    assert.equal(stripper.finish(), '');
  });

  it('streams unfenced code without waiting for the end', () => {
    const stripper = new FenceStripper();
    assert.equal(stripper.push('export function f() {\n  ret'), 'export function f() {\n  ret');
    assert.equal(stripper.push('urn 1;\n}\n'), 'urn 1;\n}');
    assert.equal(stripper.finish(), '\n', 'the last line break comes out at the end');
  });

  it('holds a trailing closing fence of unfenced code until the end', () => {
    const stripper = new FenceStripper();
    assert.equal(stripper.push('x();\n```\n'), 'x();');
    assert.equal(stripper.finish(), '');
  });

  it('holds the line break before a possible closing fence', () => {
    const stripper = new FenceStripper();
    assert.equal(stripper.push('```\na\n'), 'a');
    assert.equal(stripper.push('b'), '\nb');
  });

  it('holds prose-looking first lines only until they turn out to be code', () => {
    const stripper = new FenceStripper();
    assert.equal(stripper.push('Here is'), '');
    assert.equal(stripper.push(' x = 1;'), 'Here is x = 1;');
  });

  it('gives the same output for random answers under random chunkings', () => {
    const random = mulberry32(7);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const lines = ['const a = 1;', '', '  if (x) {', '    y();', '  }', '```', '~~~', '```ts', 'Here is the code:', 'Done.', '`x`', '\t// note'];
    for (let n = 0; n < 300; n++) {
      const count = Math.floor(random() * 8);
      const text = Array.from({ length: count }, () => pick(lines)).join(pick(['\n', '\r\n'])) + pick(['', '\n', '\r\n']);
      const expected = stripCodeFences(text);
      for (const pieces of chunkings(text, random, 10)) {
        assert.equal(feed(pieces).output, expected, `text ${JSON.stringify(text)} pieces ${JSON.stringify(pieces)}`);
      }
      assert.ok(!expected.includes('\r'), 'no CR in the output');
    }
  });
});
