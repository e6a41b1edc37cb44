import * as vscode from 'vscode';
import { CommandIds } from '../commandIds';
import type { ActiveEdit } from './activeEdit';
import { splitLines } from './hunks';

/**
 * The actions above an inline edit: Stop / Reject while it streams; in review Accept / Reject /
 * Show Diff, and when there is more than one hunk, Accept All / Reject All plus Accept / Reject
 * above each hunk (numbered, so that a screen reader says which change a lens is for).
 */
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
    const { session } = edit;
    const line = document.positionAt(session.range.start).line;
    const range = new vscode.Range(line, 0, line, 0);
    const lens = (title: string, command: string, tooltip?: string, at = range, ...extra: unknown[]): vscode.CodeLens =>
      new vscode.CodeLens(at, { title, command, tooltip, arguments: [edit.key, ...extra] });
    const hunks = session.hunks;
    if (session.phase === 'review' && hunks && session.hunkTotal > 1) {
      const lenses = [
        lens(`$(check-all) ${vscode.l10n.t('Accept All')}`, CommandIds.acceptInlineEdit, vscode.l10n.t('Keep every remaining change (one Undo brings the original back)')),
        lens(`$(discard) ${vscode.l10n.t('Reject All')}`, CommandIds.rejectInlineEdit, vscode.l10n.t('Put the original code back for every remaining change')),
        lens(`$(diff) ${vscode.l10n.t('Show Diff')}`, CommandIds.showInlineEditDiff, vscode.l10n.t('Compare the original code with the new code')),
      ];
      for (const hunk of hunks) {
        const hunkLine = document.positionAt(session.range.start + hunk.start).line;
        const at = new vscode.Range(hunkLine, 0, hunkLine, 0);
        const counts = vscode.l10n.t('{0} lines removed, {1} lines added', splitLines(hunk.original).length, splitLines(hunk.current).length);
        lenses.push(
          lens(`$(check) ${vscode.l10n.t('Accept change {0} of {1}', hunk.ordinal, session.hunkTotal)}`, CommandIds.acceptInlineEditHunk, counts, at, hunk.id),
          lens(`$(discard) ${vscode.l10n.t('Reject change {0} of {1}', hunk.ordinal, session.hunkTotal)}`, CommandIds.rejectInlineEditHunk, counts, at, hunk.id),
        );
      }
      return lenses;
    }
    if (session.phase === 'review') {
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
