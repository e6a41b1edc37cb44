import * as vscode from 'vscode';
import { editorInUse } from '../editor/selectionContext';
import { linkHostMismatch } from '../linkText';
import type { CodeAction } from '../protocol';

/** Fence tags models write, mapped to VS Code language ids where they differ. */
const LANGUAGE_IDS: Record<string, string> = {
  ts: 'typescript',
  tsx: 'typescriptreact',
  js: 'javascript',
  jsx: 'javascriptreact',
  py: 'python',
  sh: 'shellscript',
  bash: 'shellscript',
  shell: 'shellscript',
  zsh: 'shellscript',
  yml: 'yaml',
  md: 'markdown',
  rs: 'rust',
  rb: 'ruby',
  kt: 'kotlin',
  cs: 'csharp',
  'c#': 'csharp',
  'c++': 'cpp',
  golang: 'go',
  html: 'html',
  xml: 'xml',
};

export function languageIdFor(fenceLanguage: string): string {
  const tag = fenceLanguage.trim().toLowerCase();
  return LANGUAGE_IDS[tag] ?? (tag || 'plaintext');
}

/** Puts code in place of an editor's selection as an inline edit to Accept or Reject. */
export type ApplyInline = (editor: vscode.TextEditor, code: string) => Promise<boolean>;

/** Copy, Insert at Cursor, Apply to Selection and New File for a code block of an answer. */
export async function runCodeAction(action: CodeAction, code: string, fenceLanguage: string, applyInline: ApplyInline): Promise<void> {
  switch (action) {
    case 'copy':
      await vscode.env.clipboard.writeText(code);
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Fox Chat: code copied'), 2000);
      return;
    case 'newFile': {
      const document = await vscode.workspace.openTextDocument({ language: languageIdFor(fenceLanguage), content: code });
      await vscode.window.showTextDocument(document);
      return;
    }
    case 'insert':
    case 'apply': {
      const editor = editorInUse();
      if (!editor) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Open a file first: the code goes into the active editor.'));
        return;
      }
      await vscode.window.showTextDocument(editor.document, editor.viewColumn);
      if (action === 'apply') {
        // Reviewed like a refactor: decorated, Accept / Reject, the original restored exactly.
        await applyInline(editor, code);
      } else {
        // One edit, so one Undo takes it back.
        await editor.edit((builder) => builder.insert(editor.selection.active, code));
      }
      return;
    }
  }
}

/**
 * Opens a link from an answer, but only a web or mail link: never command:, file: or vscode: URIs.
 * A link whose text names another host than it opens (`[github.com](https://evil.example)`) says
 * so and opens only on the user's word.
 */
export async function openAnswerLink(href: string, text: string): Promise<void> {
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(href, true);
  } catch {
    return;
  }
  if (!['http', 'https', 'mailto'].includes(uri.scheme)) {
    return;
  }
  const mismatch = linkHostMismatch(text, href);
  if (mismatch) {
    const open = vscode.l10n.t('Open');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('This link shows {0} but opens {1} ({2}). Open it?', mismatch.shown, mismatch.actual, href),
      { modal: true },
      open,
    );
    if (answer !== open) {
      return;
    }
  }
  await vscode.env.openExternal(uri);
}
