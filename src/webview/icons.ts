// The panel's icons come from the codicon font (@vscode/codicons), the set VS Code itself uses, so
// they match the workbench and every theme colours them (currentColor). The build copies
// codicon.css and codicon.ttf into dist/ and the panel's HTML links the stylesheet.

/** Our names for the panel's icons, mapped to codicon ids (see the package's metadata.json). */
const CODICONS = {
  copy: 'copy',
  insert: 'insert',
  apply: 'check',
  newFile: 'new-file',
  regenerate: 'refresh',
  edit: 'edit',
  person: 'account',
  fox: 'hubot',
  chevronDown: 'chevron-down',
  chevronUp: 'chevron-up',
  key: 'key',
  book: 'book',
  sparkle: 'sparkle',
} as const;

export type IconName = keyof typeof CODICONS;

/** An icon hidden from screen readers: the control that holds it has the accessible name. */
export function icon(name: IconName): HTMLSpanElement {
  const glyph = document.createElement('span');
  glyph.className = `codicon codicon-${CODICONS[name]} fox-icon fox-icon-${name}`;
  glyph.setAttribute('aria-hidden', 'true');
  return glyph;
}

/**
 * A button that shows only an icon: the label is its tooltip and its accessible name. Found by
 * `data-action`, like the text buttons it replaces.
 */
export function iconButton(action: string, iconName: IconName, label: string, onClick: () => void): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'message-action icon-action';
  button.dataset.action = action;
  button.title = label;
  button.setAttribute('aria-label', label);
  button.append(icon(iconName));
  button.addEventListener('click', onClick);
  return button;
}
