// Small element builders shared by the transcript's parts.

export function textSpan(className: string, text: string): HTMLSpanElement {
  const element = document.createElement('span');
  element.className = className;
  element.textContent = text;
  return element;
}
