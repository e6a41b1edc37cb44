// The DOM side of incremental rendering, kept thin: it applies what IncrementalMarkdown decides.
// At most one DOM update per animation frame however many deltas arrive; closed blocks are appended
// once and never touched again; only the open block's nodes are replaced, or, while it is too large to
// re-render per frame, its new text is appended to them as text nodes.
import { IncrementalMarkdown, type PlainUpdate } from './incrementalMarkdown';
import type { Sanitize } from './sanitizer';

export interface StreamingView {
  /** Queue streamed text; rendered on the next animation frame. */
  append(delta: string): void;
  /** The answer is complete: renders the rest now and closes every block. */
  finish(): void;
  /** Show exactly `full` now (state re-send). Appends when it extends the current text. */
  setText(full: string): void;
  /** Apply queued text now instead of on the next frame. */
  flush(): void;
  /** Raw text of the code block whose wrapper has `data-code-index="index"`. */
  codeText(index: number): string | undefined;
  /** Cancel a queued frame (the message element is going away). */
  dispose(): void;
}

export interface RenderEvent {
  /** `.code-block` wrappers inserted by this update; fill their `.code-actions`. */
  readonly codeBlocks: readonly HTMLElement[];
}

export interface StreamingViewOptions {
  /** Called just before the DOM changes (e.g. to measure whether the transcript is scrolled to the end). */
  beforeRender?: () => void;
  /** Called after each DOM update. */
  afterRender?: (event: RenderEvent) => void;
  /** Frame scheduler; defaults to requestAnimationFrame. Tests and benchmarks pass their own. */
  requestFrame?: (callback: () => void) => number;
  cancelFrame?: (handle: number) => void;
  /** Closed top-level nodes per `.md-group` wrapper (see below). */
  groupSize?: number;
  /** Open blocks of at least this many characters stream as plain text (see IncrementalMarkdown). */
  plainPreviewMinChars?: number;
}

/** Marks code blocks of the open tail: their text may still change, so Apply/Insert should wait. */
const STREAMING_ATTRIBUTE = 'data-streaming';

/**
 * A large open block's text goes into block-level chunks of about this size. One growing text node
 * is laid out again whole on every frame (a 2 MB line: 670 ms frames in bench/render.ts); with
 * chunks, a frame lays out the last chunk, and markdown.css lets the browser skip off-screen ones.
 */
export const PREVIEW_CHUNK_CHARS = 16 * 1024;
/** The class of those chunks (markdown.css gives them `display: block` and `content-visibility`). */
export const PREVIEW_CHUNK_CLASS = 'md-preview-chunk';

export function createStreamingView(container: HTMLElement, sanitize: Sanitize, options: StreamingViewOptions = {}): StreamingView {
  const renderer = new IncrementalMarkdown(sanitize, undefined, { plainPreviewMinChars: options.plainPreviewMinChars });
  const requestFrame = options.requestFrame ?? ((callback: () => void) => requestAnimationFrame(callback));
  const cancelFrame = options.cancelFrame ?? ((handle: number) => cancelAnimationFrame(handle));
  const template = container.ownerDocument.createElement('template');
  const groupSize = options.groupSize ?? 32;
  let openNodes: ChildNode[] = [];
  let group: HTMLElement | undefined;
  /** Where the plain text of a large open block is appended (inside `openNodes`), chunk by chunk. */
  let plainTarget: HTMLElement | undefined;
  let plainChunk: HTMLElement | undefined;
  let plainChunkLength = 0;
  let frame: number | undefined;

  container.classList.add('markdown');

  function parse(html: string): DocumentFragment {
    // A <template> parses inertly: nothing in it loads or runs before it is adopted.
    template.innerHTML = html;
    return template.content;
  }

  function cancel(): void {
    if (frame !== undefined) {
      cancelFrame(frame);
      frame = undefined;
    }
  }

  function flush(): void {
    cancel();
    const update = renderer.takeUpdate();
    if (update === undefined) {
      return;
    }
    options.beforeRender?.();
    const codeBlocks: HTMLElement[] = [];
    if (update.reset) {
      container.replaceChildren();
      openNodes = [];
      group = undefined;
    }
    const plain = update.plain;
    if (plain === undefined || plain.restart) {
      for (const node of openNodes) {
        node.remove();
      }
      openNodes = [];
      plainTarget = undefined;
      plainChunk = undefined;
    }
    if (update.closed.length > 0) {
      const fragment = parse(update.closed.map((block) => block.html).join(''));
      codeBlocks.push(...fragment.querySelectorAll<HTMLElement>('.code-block'));
      appendClosed(fragment);
    }
    if (plain !== undefined) {
      if (plainTarget === undefined) {
        appendOpen(plain.head);
        const preview = createPreview(plain);
        plainTarget = preview.target;
        openNodes.push(preview.root);
        container.append(preview.root);
        if (plain.kind === 'fence') {
          codeBlocks.push(preview.root);
        }
      }
      appendPlain(plainTarget, plain.text);
      options.afterRender?.({ codeBlocks });
      return;
    }
    appendOpen(update.open);
    options.afterRender?.({ codeBlocks });

    /** Adds the open block's rendered HTML after the closed ones; its code blocks are marked as still streaming. */
    function appendOpen(html: string): void {
      const open = parse(html);
      const openCodeBlocks = open.querySelectorAll<HTMLElement>('.code-block');
      for (const block of openCodeBlocks) {
        block.setAttribute(STREAMING_ATTRIBUTE, '');
      }
      codeBlocks.push(...openCodeBlocks);
      openNodes = Array.from(open.childNodes);
      container.append(open);
    }
  }

  /**
   * Appends to the last chunk, starting a new one once it is full. A text preview's chunks end after
   * whitespace where the new text has some, so words are not split across them; a fence's text is
   * complete lines, so its chunks end after a newline and show exactly the same lines.
   */
  function appendPlain(target: HTMLElement, text: string): void {
    let rest = text;
    while (rest.length > 0) {
      if (plainChunk === undefined || plainChunkLength >= PREVIEW_CHUNK_CHARS) {
        plainChunk = container.ownerDocument.createElement('span');
        plainChunk.className = PREVIEW_CHUNK_CLASS;
        plainChunkLength = 0;
        target.append(plainChunk);
      }
      const room = PREVIEW_CHUNK_CHARS - plainChunkLength;
      const cut = rest.length <= room ? rest.length : chunkEnd(rest, room);
      plainChunk.append(rest.slice(0, cut)); // a string becomes a text node: never parsed, so not sanitised
      plainChunkLength += cut;
      rest = rest.slice(cut);
    }
  }

  /**
   * The element a large open block's text is appended to, built node by node: the same code-block
   * wrapper the renderer emits (unhighlighted until the fence closes), or a paragraph that keeps the
   * raw text's line breaks.
   */
  function createPreview(plain: PlainUpdate): { root: HTMLElement; target: HTMLElement } {
    const document = container.ownerDocument;
    if (plain.kind === 'text') {
      const paragraph = document.createElement('p');
      paragraph.className = 'md-streaming-text';
      return { root: paragraph, target: paragraph };
    }
    const root = document.createElement('div');
    root.className = 'code-block';
    root.setAttribute('data-lang', plain.language);
    root.setAttribute('data-code-index', String(plain.codeIndex));
    root.setAttribute(STREAMING_ATTRIBUTE, '');
    const pre = document.createElement('pre');
    const code = document.createElement('code');
    if (plain.language.length > 0) {
      code.className = `language-${plain.language}`;
    }
    const actions = document.createElement('div');
    actions.className = 'code-actions';
    pre.append(code);
    root.append(pre, actions);
    return { root, target: code };
  }

  /**
   * Closed blocks go into `.md-group` wrappers of `groupSize` nodes rather than straight into the
   * container. With thousands of top-level blocks in one element, the browser's per-frame style,
   * layout and paint work grew with the answer (bench/render.ts: 100k tokens cost 26x the 10k run);
   * with groups, and markdown.css skipping off-screen groups (content-visibility), it is ~10x.
   * Groups are filled once and never re-rendered, so they keep the closed-blocks-stay guarantee.
   */
  function appendClosed(fragment: DocumentFragment): void {
    for (const node of Array.from(fragment.childNodes)) {
      if (group === undefined || group.childNodes.length >= groupSize) {
        group = container.ownerDocument.createElement('div');
        group.className = 'md-group';
        container.append(group);
      }
      group.append(node);
    }
  }

  function schedule(): void {
    frame ??= requestFrame(() => {
      frame = undefined;
      flush();
    });
  }

  return {
    append(delta) {
      renderer.append(delta);
      schedule();
    },
    finish() {
      renderer.finish();
      flush();
    },
    setText(full) {
      renderer.setText(full);
      flush();
    },
    flush,
    codeText: (index) => renderer.codeText(index),
    dispose: cancel,
  };
}

/**
 * Where to end a full chunk within `text`: after the last line break or space before `room`, else
 * after the first one past it (a chunk overshoots by one word), else, in text without either for
 * another chunk's length, at `room` (such text wraps anywhere anyway).
 */
function chunkEnd(text: string, room: number): number {
  const before = Math.max(text.lastIndexOf('\n', room - 1), text.lastIndexOf(' ', room - 1));
  if (before >= 0) {
    return before + 1;
  }
  const after = text.slice(room, room + PREVIEW_CHUNK_CHARS).search(/[ \n]/);
  return after >= 0 ? room + after + 1 : room;
}
