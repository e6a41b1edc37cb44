/** An editor selection sent as context: where it is, and its text. */
export interface SelectionContext {
  kind: 'selection';
  fileName: string;
  languageId: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  text: string;
}

export const SYSTEM_PROMPT =
  'You are Fox Chat, a coding assistant inside Visual Studio Code. Answer concisely in Markdown. ' +
  'Use fenced code blocks with a language tag for code.';

export function describeLineRange(context: Pick<SelectionContext, 'startLine' | 'endLine'>): string {
  return context.startLine === context.endLine ? `${context.startLine}` : `${context.startLine}-${context.endLine}`;
}

/** A fence longer than any backtick run inside the code, so the code cannot close it early. */
function fenceFor(code: string): string {
  const longestRun = Math.max(2, ...Array.from(code.matchAll(/`+/g), (match) => match[0].length));
  return '`'.repeat(longestRun + 1);
}

export function formatSelection(context: SelectionContext): string {
  const fence = fenceFor(context.text);
  return (
    `File: ${context.fileName} (language: ${context.languageId}, lines ${describeLineRange(context)})\n` +
    `${fence}${context.languageId}\n${context.text}\n${fence}`
  );
}

/** The user's words followed by each attached selection. */
export function formatUserContent(text: string, context: readonly SelectionContext[]): string {
  if (context.length === 0) {
    return text;
  }
  return [text, ...context.map(formatSelection)].join('\n\n');
}
