import assert from 'node:assert/strict';
import { ToolCallAccumulator } from '../../../src/api/toolCallAccumulator';

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
});
