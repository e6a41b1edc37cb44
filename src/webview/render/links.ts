// Rendered links carry `data-href` and no `href` (see sanitizer.ts): the webview never navigates.
// This turns a click or Enter on one into a request to the host, which checks and opens the URL.

/**
 * Listens on `root` (e.g. the transcript) for activations of rendered links; `open` gets the URL
 * and the text the link shows. Returns an unsubscribe.
 */
export function interceptLinks(root: HTMLElement, open: (href: string, text: string) => void): () => void {
  const activate = (event: Event): void => {
    const target = event.target;
    const link = target instanceof Element ? target.closest<HTMLElement>('a[data-href]') : null;
    const href = link?.dataset['href'];
    if (link === null || href === undefined || !root.contains(link)) {
      return;
    }
    event.preventDefault();
    open(href, link.textContent);
  };
  const onClick = (event: MouseEvent): void => activate(event);
  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Enter') {
      activate(event);
    }
  };
  root.addEventListener('click', onClick);
  root.addEventListener('keydown', onKeyDown);
  return () => {
    root.removeEventListener('click', onClick);
    root.removeEventListener('keydown', onKeyDown);
  };
}
