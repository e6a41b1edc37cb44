import { strict as assert } from 'node:assert';
import { abortable } from '../../../src/tools/abortable';

describe('abortable', () => {
  it('passes the value through when nothing aborts', async () => {
    assert.equal(await abortable(Promise.resolve(7), new AbortController().signal), 7);
    assert.equal(await abortable(8, undefined), 8);
  });

  it('rejects at once when the signal aborts, without waiting for the work', async () => {
    const controller = new AbortController();
    const never = new Promise<number>(() => undefined);
    const waiting = abortable(never, controller.signal);
    controller.abort();
    await assert.rejects(waiting, (error: Error) => error.name === 'AbortError');
  });

  it('rejects for a signal that has already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(abortable(Promise.resolve(1), controller.signal), (error: Error) => error.name === 'AbortError');
  });
});
