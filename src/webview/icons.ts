// The panel's icons are codicons (@vscode/codicons), the set VS Code itself uses, inlined as SVG:
// the bundler reads each icon's file as text (loader ".svg": "text" in every esbuild build of the
// webview), so the panel ships a few kilobytes of the icons it shows instead of the whole font.
// They draw with currentColor, so every theme colours them.
import account from '@vscode/codicons/src/icons/account.svg';
import attach from '@vscode/codicons/src/icons/attach.svg';
import book from '@vscode/codicons/src/icons/book.svg';
import check from '@vscode/codicons/src/icons/check.svg';
import chevronDown from '@vscode/codicons/src/icons/chevron-down.svg';
import chevronUp from '@vscode/codicons/src/icons/chevron-up.svg';
import copy from '@vscode/codicons/src/icons/copy.svg';
import edit from '@vscode/codicons/src/icons/edit.svg';
import hubot from '@vscode/codicons/src/icons/hubot.svg';
import insert from '@vscode/codicons/src/icons/insert.svg';
import key from '@vscode/codicons/src/icons/key.svg';
import newFile from '@vscode/codicons/src/icons/new-file.svg';
import refresh from '@vscode/codicons/src/icons/refresh.svg';
import send from '@vscode/codicons/src/icons/send.svg';
import sparkle from '@vscode/codicons/src/icons/sparkle.svg';
import stop from '@vscode/codicons/src/icons/debug-stop.svg';
import tools from '@vscode/codicons/src/icons/tools.svg';

/** Our names for the panel's icons, each the SVG text of a codicon. */
const CODICONS = {
  copy,
  insert,
  apply: check,
  newFile,
  regenerate: refresh,
  edit,
  person: account,
  fox: hubot,
  chevronDown,
  chevronUp,
  key,
  book,
  sparkle,
  attach,
  tools,
  send,
  stop,
} as const;

export type IconName = keyof typeof CODICONS;

/**
 * Each icon parsed once and cloned per use: a long conversation shows hundreds of them, and parsing
 * the SVG text every time was half of the time it took to open one (bench/render.ts).
 */
const parsedIcons = new Map<IconName, Element>();

function parsedIcon(name: IconName): Element {
  let template = parsedIcons.get(name);
  if (template === undefined) {
    const parsed = new DOMParser().parseFromString(CODICONS[name], 'image/svg+xml').documentElement;
    template = document.importNode(parsed, true);
    template.setAttribute('class', `codicon fox-icon fox-icon-${name}`);
    template.setAttribute('aria-hidden', 'true');
    template.setAttribute('focusable', 'false');
    parsedIcons.set(name, template);
  }
  return template;
}

/** An icon hidden from screen readers: the control that holds it has the accessible name. */
export function icon(name: IconName): SVGSVGElement {
  return parsedIcon(name).cloneNode(true) as SVGSVGElement;
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
