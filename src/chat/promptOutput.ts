// vscode-free: where a prompt's answer goes, decided from the prompt and the editor as it is, and the
// code an answer holds for the editor (its first fenced block, with the language the fence names).
import type { PromptOutput } from './promptFile';

export interface EditorState {
  /** A text editor is open (the one the user last worked in). */
  hasEditor: boolean;
  hasSelection: boolean;
  readOnly: boolean;
}

export type PromptRoute =
  | { kind: 'chat' }
  | { kind: 'replace-selection' }
  | { kind: 'insert' }
  | { kind: 'new-document' }
  /** The prompt cannot run here; the host tells the user why. */
  | { kind: 'refused'; reason: 'needsEditor' | 'needsSelection' | 'readOnly' | 'imagesInEdit' };

/** Where the answer of a prompt with `output` goes, or why it cannot run now. */
export function routePrompt(output: PromptOutput, editor: EditorState, attachesImages: boolean): PromptRoute {
  switch (output) {
    case 'chat':
    case 'new-document':
      return { kind: output };
    case 'insert':
      if (!editor.hasEditor) return { kind: 'refused', reason: 'needsEditor' };
      if (editor.readOnly) return { kind: 'refused', reason: 'readOnly' };
      return { kind: 'insert' };
    case 'replace-selection':
      if (!editor.hasEditor) return { kind: 'refused', reason: 'needsEditor' };
      if (editor.readOnly) return { kind: 'refused', reason: 'readOnly' };
      if (!editor.hasSelection) return { kind: 'refused', reason: 'needsSelection' };
      // A rewrite streams code for the selection; the refactor request carries text only.
      if (attachesImages) return { kind: 'refused', reason: 'imagesInEdit' };
      return { kind: 'replace-selection' };
  }
}

export interface AnswerCode {
  code: string;
  /** The fence's language tag as the model wrote it; '' when it named none or there was no fence. */
  language: string;
  /** False when the answer had no fenced block and `code` is the whole answer. */
  fenced: boolean;
}

/** The first fenced code block of an answer, or the whole answer (trimmed) when it has none. */
export function codeOfAnswer(answer: string): AnswerCode {
  const lines = answer.replace(/\r\n?/g, '\n').split('\n');
  const start = lines.findIndex((line) => /^ {0,3}(`{3,}|~{3,})/.test(line));
  if (start >= 0) {
    const open = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[start] ?? '');
    const fence = open?.[1] ?? '```';
    const closeIndex = lines.findIndex((line, index) => index > start && new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`).test(line));
    const body = lines.slice(start + 1, closeIndex < 0 ? undefined : closeIndex).join('\n');
    return { code: body, language: open?.[2] ?? '', fenced: true };
  }
  return { code: answer.trim(), language: '', fenced: false };
}
