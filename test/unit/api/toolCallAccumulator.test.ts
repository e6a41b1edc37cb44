import assert from 'node:assert/strict';
import { ToolCallAccumulator } from '../../../src/api/toolCallAccumulator';
import type { ToolCall } from '../../../src/api/types';
import { mulberry32 } from '../../fixtures/random';

const piece = (index: number | undefined, fn: { name?: string; arguments?: string }, id?: string): Record<string, unknown> => ({
  ...(index === undefined ? {} : { index }),
  ...(id === undefined ? {} : { id, type: 'function' }),
  function: fn,
});

describe('ToolCallAccumulator', () => {
  it('puts interleaved pieces together by index, id and name from the first piece', () => {
    const acc = new ToolCallAccumulator();
    assert.ok(acc.isEmpty);
    acc.add(piece(0, { name: 'get_weather', arguments: '' }, 'call_a'));
    acc.add(piece(1, { name: 'read_file', arguments: '' }, 'call_b'));
    for (const [index, args] of [
      [0, '{"ci'],
      [1, '{"pa'],
      [0, 'ty":"Par'],
      [1, 'th":"a.ts"}'],
      [0, 'is"}'],
    ] as const) {
      acc.add(piece(index, { arguments: args }));
    }
    assert.ok(!acc.isEmpty);
    assert.deepEqual(acc.calls(), [
      { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      { id: 'call_b', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } },
    ]);
  });

  it('returns each piece as a typed delta with only the fields it carried', () => {
    const acc = new ToolCallAccumulator();
    assert.deepEqual(acc.add(piece(0, { name: 'f', arguments: '' }, 'call_1')), { type: 'toolCallDelta', index: 0, id: 'call_1', name: 'f' });
    assert.deepEqual(acc.add(piece(0, { arguments: '{}' })), { type: 'toolCallDelta', index: 0, argumentsDelta: '{}' });
    assert.equal(acc.add(null), undefined);
    assert.equal(acc.add('call'), undefined);
  });

  it('orders calls by index even when a later index arrives first', () => {
    const acc = new ToolCallAccumulator();
    acc.add(piece(1, { name: 'second', arguments: '{}' }, 'b'));
    acc.add(piece(0, { name: 'first', arguments: '{}' }, 'a'));
    assert.deepEqual(
      acc.calls().map((c) => c.function.name),
      ['first', 'second'],
    );
  });

  it('keeps the first id and name when a gateway repeats them in every piece', () => {
    const acc = new ToolCallAccumulator();
    acc.add(piece(0, { name: 'f', arguments: '{"a":' }, 'call_1'));
    acc.add(piece(0, { name: 'f', arguments: '1}' }, 'call_1'));
    assert.deepEqual(acc.calls(), [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }]);
  });

  it('without index: a new id starts the next call, pieces without id continue the current one', () => {
    const acc = new ToolCallAccumulator();
    assert.equal(acc.add(piece(undefined, { name: 'f', arguments: '{"x"' }, 'c1'))?.index, 0);
    assert.equal(acc.add(piece(undefined, { arguments: ':1}' }))?.index, 0);
    assert.equal(acc.add(piece(undefined, { name: 'g', arguments: '{}' }, 'c2'))?.index, 1);
    assert.equal(acc.add(piece(undefined, { arguments: '' }, 'c2'))?.index, 1);
    assert.deepEqual(
      acc.calls().map((c) => [c.id, c.function.name, c.function.arguments]),
      [
        ['c1', 'f', '{"x":1}'],
        ['c2', 'g', '{}'],
      ],
    );
  });

  it('gives an unnamed call a stable id and an argument-less call "{}"', () => {
    const acc = new ToolCallAccumulator();
    acc.add(piece(0, { name: 'now' }));
    acc.add(piece(3, { name: 'later', arguments: '' }));
    assert.deepEqual(acc.calls(), [
      { id: 'call_0', type: 'function', function: { name: 'now', arguments: '{}' } },
      { id: 'call_3', type: 'function', function: { name: 'later', arguments: '{}' } },
    ]);
  });

  it('apply() takes typed deltas (e.g. replayed toolCallDelta events); reset() empties it', () => {
    const acc = new ToolCallAccumulator();
    acc.apply({ type: 'toolCallDelta', index: 0, id: 'x', name: 'f', argumentsDelta: '{"k"' });
    acc.apply({ type: 'toolCallDelta', index: 0, argumentsDelta: ':true}' });
    assert.deepEqual(acc.calls(), [{ id: 'x', type: 'function', function: { name: 'f', arguments: '{"k":true}' } }]);
    acc.reset();
    assert.ok(acc.isEmpty);
    assert.deepEqual(acc.calls(), []);
  });

  it('puts a name split over several chunks back together', () => {
    const acc = new ToolCallAccumulator();
    acc.add(piece(0, { name: 'read_' }, 'call_1'));
    acc.add(piece(0, { name: 'fi' }));
    acc.add(piece(0, { name: 'le', arguments: '{"path":' }));
    acc.add(piece(0, { arguments: '"a.ts"}' }));
    assert.deepEqual(acc.calls(), [{ id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } }]);
  });

  it('rebuilds several parallel calls from pieces of 1-3 characters in a shuffled interleaving (seeded)', () => {
    const expected: ToolCall[] = [
      { id: 'call_read', type: 'function', function: { name: 'read_file', arguments: '{"path":"src/extension.ts","start_line":1,"end_line":40}' } },
      { id: 'call_search', type: 'function', function: { name: 'search_text', arguments: '{"query":"activate(","is_regex":false,"glob":"**/*.ts"}' } },
      { id: 'call_list', type: 'function', function: { name: 'list_files', arguments: '{"glob":"test/**/*.test.ts","max_results":20}' } },
      { id: 'call_diag', type: 'function', function: { name: 'get_diagnostics', arguments: '{"path":"src/ünïcode 🦊.ts"}' } },
    ];
    for (const seed of [1, 2, 3, 42, 2026]) {
      const random = mulberry32(seed);
      const cut = (text: string): string[] => {
        const parts: string[] = [];
        for (let at = 0; at < text.length; ) {
          const size = 1 + Math.floor(random() * 3);
          parts.push(text.slice(at, at + size));
          at += size;
        }
        return parts;
      };
      // Each call: its name split in two, then its arguments in small pieces; calls interleave at random.
      const queues = expected.map((call, index) => {
        const half = Math.ceil(call.function.name.length / 2);
        return [
          piece(index, { name: call.function.name.slice(0, half), arguments: '' }, call.id),
          piece(index, { name: call.function.name.slice(half) }),
          ...cut(call.function.arguments).map((args) => piece(index, { arguments: args })),
        ];
      });
      const acc = new ToolCallAccumulator();
      while (queues.some((queue) => queue.length > 0)) {
        const open = queues.filter((queue) => queue.length > 0);
        const next = open[Math.floor(random() * open.length)]!.shift();
        acc.add(next);
      }
      assert.deepEqual(acc.calls(), expected, `seed ${seed}`);
      for (const call of acc.calls()) assert.doesNotThrow(() => JSON.parse(call.function.arguments), `seed ${seed}: ${call.function.arguments}`);
    }
  });
});
