import * as vscode from 'vscode';
import type { EditorAppearanceView } from '../protocol';

/** The editor settings the chat panel's code blocks follow. */
export function readEditorAppearance(): EditorAppearanceView {
  const editor = vscode.workspace.getConfiguration('editor');
  const fontFamily = editor.get<unknown>('fontFamily');
  const fontSize = editor.get<unknown>('fontSize');
  return {
    fontFamily: typeof fontFamily === 'string' ? fontFamily : '',
    fontSize: typeof fontSize === 'number' && Number.isFinite(fontSize) && fontSize > 0 ? fontSize : 0,
    wordWrap: editor.get<unknown>('wordWrap', 'off') !== 'off',
  };
}

export function onDidChangeEditorAppearance(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (['editor.fontFamily', 'editor.fontSize', 'editor.wordWrap'].some((section) => event.affectsConfiguration(section))) {
      listener();
    }
  });
}
