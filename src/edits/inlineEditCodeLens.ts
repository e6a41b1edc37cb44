import * as vscode from 'vscode';
import { CommandIds } from '../commandIds';
import type { ActiveEdit } from './activeEdit';

/** The actions above an inline edit: Stop / Reject while it streams, Accept / Reject / Show Diff in review. */
export class InlineEditCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changeEmitter.event;

  /** `find`: the edit running in a document, if any. */
  constructor(private readonly find: (document: vscode.TextDocument) => Pick<ActiveEdit, 'key' | 'session'> | undefined) {}

  /** The lenses are out of date (an edit changed phase, moved, or ended). */
  refresh(): void {
    this.changeEmitter.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const edit = this.find(document);
    if (!edit || edit.session.phase === 'ended') return [];
    const line = document.positionAt(edit.session.range.start).line;
    const range = new vscode.Range(line, 0, line, 0);
    const lens = (title: string, command: string, tooltip?: string): vscode.CodeLens =>
      new vscode.CodeLens(range, { title, command, tooltip, arguments: [edit.key] });
    if (edit.session.phase === 'review') {
      return [
        lens(`$(check) ${vscode.l10n.t('Accept')}`, CommandIds.acceptInlineEdit, vscode.l10n.t('Keep the new code (one Undo brings the original back)')),
        lens(`$(discard) ${vscode.l10n.t('Reject')}`, CommandIds.rejectInlineEdit, vscode.l10n.t('Put the original code back')),
        lens(`$(diff) ${vscode.l10n.t('Show Diff')}`, CommandIds.showInlineEditDiff, vscode.l10n.t('Compare the original code with the new code')),
      ];
    }
    return [
      lens(`$(loading~spin) ${vscode.l10n.t('Fox Chat is rewriting this code…')}`, CommandIds.showInlineEditDiff),
      lens(`$(debug-stop) ${vscode.l10n.t('Stop')}`, CommandIds.stopInlineEdit, vscode.l10n.t('Stop and review what arrived so far')),
      lens(`$(discard) ${vscode.l10n.t('Reject')}`, CommandIds.rejectInlineEdit, vscode.l10n.t('Put the original code back')),
    ];
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}
