// Editor helpers shared by commands, inline edits and chat: what of the editor goes to the model.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SelectionContext } from '../chat/prompts';

/** The editor the user last worked in: the active one, else the first visible (the panel or the palette may have the focus). */
export function editorInUse(): vscode.TextEditor | undefined {
  return vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
}

/**
 * How a file is named in what goes to the model: relative to its workspace folder; outside the
 * workspace only its base name, since a full path would leak the user's folders.
 */
export function pathForModel(uri: vscode.Uri): string {
  return vscode.workspace.getWorkspaceFolder(uri) ? vscode.workspace.asRelativePath(uri, false) : path.basename(uri.path);
}

/** The selection of an editor as context: file name relative to the workspace, 1-based lines. */
export function selectionContext(editor: vscode.TextEditor): SelectionContext | undefined {
  const selection = editor.selection;
  if (selection.isEmpty) {
    return undefined;
  }
  // A selection ending at column 0 of a line does not include that line.
  const endLine = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line - 1 : selection.end.line;
  return {
    kind: 'selection',
    fileName: pathForModel(editor.document.uri),
    languageId: editor.document.languageId,
    startLine: selection.start.line + 1,
    endLine: endLine + 1,
    text: editor.document.getText(selection),
  };
}
