// The markdown view of each answer: streamed text is rendered incrementally (finished blocks once,
// only the open block again), one DOM update per animation frame, with actions on each code block.
import type { Post } from '../host';
import type { L10n } from '../l10n';
import type { FrameScheduler } from '../render/inputFirstFrames';
import type { Sanitize } from '../render/sanitizer';
import { createStreamingView, type StreamingView } from '../render/streamingView';
import { decorateCodeBlock } from './codeBlockHeader';

/** Keeps the transcript at its end while output arrives, unless the reader scrolled away. */
export interface ScrollFollow {
  isNearEnd(): boolean;
  scrollToEnd(): void;
}

export interface AnswerViews {
  create(id: string, body: HTMLElement): StreamingView;
  get(id: string): StreamingView | undefined;
  dispose(id: string): void;
  disposeAll(): void;
}

export function createAnswerViews(options: { sanitize: Sanitize; post: Post; l10n: L10n; scroll: ScrollFollow; frames?: FrameScheduler }): AnswerViews {
  const { sanitize, post, l10n, scroll, frames } = options;
  const views = new Map<string, StreamingView>();
  /** Whether the transcript was scrolled to the end just before the last render. */
  let followOutput = true;

  /** The header (language, Copy, Insert at Cursor, Apply to Selection, New File) and the height cap of a rendered code block. */
  function addCodeActions(view: StreamingView, block: HTMLElement): void {
    decorateCodeBlock(block, {
      l10n,
      codeText: (index) => view.codeText(index),
      run: (action, code, language) => post({ type: 'codeAction', action, code, language }),
    });
  }

  return {
    create(id, body) {
      const view = createStreamingView(body, sanitize, {
        ...(frames && { requestFrame: frames.requestFrame, cancelFrame: frames.cancelFrame }),
        beforeRender: () => {
          followOutput = scroll.isNearEnd();
        },
        afterRender: ({ codeBlocks }) => {
          codeBlocks.forEach((block) => addCodeActions(view, block));
          if (followOutput) {
            scroll.scrollToEnd();
          }
        },
      });
      views.set(id, view);
      return view;
    },
    get: (id) => views.get(id),
    dispose(id) {
      views.get(id)?.dispose();
      views.delete(id);
    },
    disposeAll() {
      views.forEach((view) => view.dispose());
      views.clear();
    },
  };
}
