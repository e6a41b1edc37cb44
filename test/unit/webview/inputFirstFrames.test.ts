import { strict as assert } from 'node:assert';
import { createInputFirstFrames, type FrameScheduler } from '../../../src/webview/render/inputFirstFrames';

/** Animation frames the test runs one at a time. */
function fakeFrames(): FrameScheduler & { runFrame(): void; waiting(): number } {
  let queued = new Map<number, () => void>();
  let next = 100;
  return {
    requestFrame: (callback) => {
      queued.set(next, callback);
      return next++;
    },
    cancelFrame: (handle) => {
      queued.delete(handle);
    },
    runFrame() {
      const callbacks = [...queued.values()];
      queued = new Map();
      callbacks.forEach((callback) => callback());
    },
    waiting: () => queued.size,
  };
}

/** A composer, the page's frames and the scheduler over them. */
function setup(): { composer: EventTarget; frames: ReturnType<typeof fakeFrames>; scheduler: ReturnType<typeof createInputFirstFrames> } {
  const composer = new EventTarget();
  const frames = fakeFrames();
  return { composer, frames, scheduler: createInputFirstFrames(composer, frames) };
}

describe('input-first animation frames', () => {
  const type = (target: EventTarget): void => void target.dispatchEvent(new Event('input'));

  it('without typing, a render runs in the next frame', () => {
    const { frames, scheduler } = setup();
    let rendered = 0;
    scheduler.requestFrame(() => rendered++);
    frames.runFrame();
    assert.equal(rendered, 1);
  });

  it('a key typed since the last frame gets that frame alone; the render follows in the one after', () => {
    const { composer, frames, scheduler } = setup();
    let rendered = 0;
    scheduler.requestFrame(() => rendered++);
    type(composer);
    frames.runFrame();
    assert.equal(rendered, 0, 'the frame after the key shows only the key');
    frames.runFrame();
    assert.equal(rendered, 1);
  });

  it('never gives away two frames in a row, so a held key cannot starve the answer', () => {
    const { composer, frames, scheduler } = setup();
    const renderedIn: number[] = [];
    let frame = 0;
    while (++frame <= 6) {
      if (frames.waiting() === 0) scheduler.requestFrame(() => renderedIn.push(frame));
      type(composer);
      frames.runFrame();
    }
    assert.deepEqual(renderedIn, [2, 3, 5, 6], 'a key before every frame: a render that waited once does not wait again');
  });

  it('a cancelled render never runs, also when it was moved to the next frame', () => {
    const { composer, frames, scheduler } = setup();
    let rendered = 0;
    const first = scheduler.requestFrame(() => rendered++);
    scheduler.cancelFrame(first);
    frames.runFrame();
    const second = scheduler.requestFrame(() => rendered++);
    type(composer);
    frames.runFrame();
    scheduler.cancelFrame(second);
    frames.runFrame();
    assert.equal(rendered, 0);
    assert.equal(frames.waiting(), 0);
  });

  it('stops watching the composer when disposed', () => {
    const { composer, frames, scheduler } = setup();
    scheduler.dispose();
    let rendered = 0;
    scheduler.requestFrame(() => rendered++);
    type(composer);
    frames.runFrame();
    assert.equal(rendered, 1);
  });
});
