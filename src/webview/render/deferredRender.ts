// Rendering put off until an element nears the viewport. Opening a long conversation rendered the
// Markdown of every earlier answer at once (1 MB over 200 messages: 3 s of main thread in
// bench/render.ts); an answer far above what the reader sees is rendered when it is scrolled towards.

export interface DeferredRenders {
  /** Runs `render` once `element` comes within the margin of the viewport (at once where that cannot be observed). */
  defer(element: Element, render: () => void): void;
  /** Runs the deferred render of `element` now, if it still waits (e.g. before it is changed). */
  renderNow(element: Element): void;
  /** Drops every pending render (the elements are going away). */
  clear(): void;
}

/** How far outside the visible part of `root` an element starts rendering: a few screens. */
const DEFAULT_MARGIN_PX = 800;

export function createDeferredRenders(root: HTMLElement, marginPx = DEFAULT_MARGIN_PX): DeferredRenders {
  const pending = new Map<Element, () => void>();
  const Observer = root.ownerDocument.defaultView?.IntersectionObserver;
  const observer =
    Observer === undefined
      ? undefined
      : new Observer(
          (entries) => {
            for (const entry of entries) {
              if (entry.isIntersecting) {
                renderNow(entry.target);
              }
            }
          },
          { root, rootMargin: `${marginPx}px 0px` },
        );

  function renderNow(element: Element): void {
    const render = pending.get(element);
    if (render === undefined) {
      return;
    }
    pending.delete(element);
    observer?.unobserve(element);
    render();
  }

  return {
    defer(element, render) {
      if (observer === undefined) {
        render();
        return;
      }
      pending.set(element, render);
      observer.observe(element);
    },
    renderNow,
    clear() {
      observer?.disconnect();
      pending.clear();
    },
  };
}
