// Code blocks follow the editor: editor.fontFamily / editor.fontSize (as the host reads them, sent
// again when they change) and editor.wordWrap. Custom properties set through the CSSOM, which the
// CSP allows (it blocks style attributes in markup, not element.style).
import type { EditorAppearanceView } from '../protocol';

export function applyEditorAppearance(root: HTMLElement, appearance: EditorAppearanceView): void {
  if (appearance.fontFamily.trim().length > 0) {
    root.style.setProperty('--fox-code-font-family', appearance.fontFamily);
  } else {
    root.style.removeProperty('--fox-code-font-family');
  }
  if (appearance.fontSize > 0) {
    root.style.setProperty('--fox-code-font-size', `${appearance.fontSize}px`);
  } else {
    root.style.removeProperty('--fox-code-font-size');
  }
  root.classList.toggle('code-wrap', appearance.wordWrap);
}
