// Animation frames for streamed output that give way to typing. A streaming answer re-renders its open
// block every frame; when a key was typed since the last frame, that frame shows the key alone and the
// answer catches up one frame later, so typing in the composer is not held back by the stream
// (bench/render.ts measures the key latency while an answer streams).

/** Function properties, not methods: the streaming view takes them apart from this object. */
export interface FrameScheduler {
  readonly requestFrame: (callback: () => void) => number;
  readonly cancelFrame: (handle: number) => void;
}

export interface InputFirstFrames extends FrameScheduler {
  /** Stops watching for input. */
  dispose(): void;
}

/**
 * `inputTarget` is where typing happens (the composer); `frames` the page's own animation frames.
 * Never two frames in a row are given away, so a held key (auto-repeat) cannot starve the answer.
 */
export function createInputFirstFrames(inputTarget: EventTarget, frames: FrameScheduler): InputFirstFrames {
  let typedSinceLastFrame = false;
  let yieldedLastFrame = false;
  /** Our handles, each to the page frame it waits for now (the second one after giving a frame away). */
  const pending = new Map<number, number>();
  let nextHandle = 1;
  const onInput = (): void => {
    typedSinceLastFrame = true;
  };
  inputTarget.addEventListener('input', onInput);

  return {
    requestFrame: (callback) => {
      const handle = nextHandle++;
      const run = (): void => {
        pending.delete(handle);
        callback();
      };
      pending.set(
        handle,
        frames.requestFrame(() => {
          if (typedSinceLastFrame && !yieldedLastFrame) {
            typedSinceLastFrame = false;
            yieldedLastFrame = true;
            pending.set(handle, frames.requestFrame(run));
            return;
          }
          typedSinceLastFrame = false;
          yieldedLastFrame = false;
          run();
        }),
      );
      return handle;
    },
    cancelFrame: (handle) => {
      const frame = pending.get(handle);
      if (frame !== undefined) {
        frames.cancelFrame(frame);
        pending.delete(handle);
      }
    },
    dispose() {
      inputTarget.removeEventListener('input', onInput);
    },
  };
}
