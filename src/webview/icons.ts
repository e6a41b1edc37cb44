// The panel's icons, drawn inline as small stroke SVGs in the codicon style (16 px grid,
// currentColor, so every theme colours them). @vscode/codicons is not a dependency; this one file
// is what would change to use its font instead. SVG attributes are not styles for the CSP.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Path data on a 16 x 16 grid, stroked with the text colour. */
const PATHS = {
  copy: ['M5.5 5.5h8v8h-8z', 'M3.5 10.5h-1v-8h8v1'],
  insert: ['M8 2.5v7', 'M5 6.5l3 3 3-3', 'M2.5 12.5h11'],
  apply: ['M2.5 8.5l3.5 3.5 7.5-8'],
  newFile: ['M3.5 1.5h6l3 3v10h-9z', 'M9.5 1.5v3h3', 'M8 7.5v5', 'M5.5 10h5'],
  regenerate: ['M13 8a5 5 0 1 1-1.5-3.5', 'M11.5 1.5v3h-3'],
  edit: ['M10.5 2.5l3 3-7.5 7.5h-3v-3z', 'M9 4l3 3'],
  person: ['M8 8a2.75 2.75 0 1 0 0-5.5 2.75 2.75 0 0 0 0 5.5z', 'M2.5 14c0-3 2.5-4.5 5.5-4.5s5.5 1.5 5.5 4.5'],
  fox: ['M2.5 2.5l3 3h5l3-3v6l-5.5 5.5-5.5-5.5z', 'M6 8.5h.01', 'M10 8.5h.01'],
  chevronDown: ['M4 6l4 4 4-4'],
  chevronUp: ['M4 10l4-4 4 4'],
  key: ['M6 10a3.5 3.5 0 1 1 2.5-1l5 5', 'M11.5 12l1.5-1.5'],
  book: ['M2.5 3h4a1.5 1.5 0 0 1 1.5 1.5V14a1.5 1.5 0 0 0-1.5-1.5h-4z', 'M13.5 3h-4A1.5 1.5 0 0 0 8 4.5V14a1.5 1.5 0 0 1 1.5-1.5h4z'],
  sparkle: ['M8 1.5v3', 'M8 11.5v3', 'M1.5 8h3', 'M11.5 8h3', 'M5 5l1 1', 'M10 10l1 1', 'M11 5l-1 1', 'M6 10l-1 1'],
} as const;

export type IconName = keyof typeof PATHS;

/** An icon hidden from screen readers: the control that holds it has the accessible name. */
export function icon(name: IconName): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  const attributes: Record<string, string> = {
    class: `fox-icon fox-icon-${name}`,
    width: '16',
    height: '16',
    viewBox: '0 0 16 16',
    'aria-hidden': 'true',
    focusable: 'false',
    fill: 'none',
    stroke: 'currentColor',
    'stroke-width': '1.2',
    'stroke-linecap': 'round',
    'stroke-linejoin': 'round',
  };
  for (const [attribute, value] of Object.entries(attributes)) {
    svg.setAttribute(attribute, value);
  }
  for (const d of PATHS[name]) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
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
