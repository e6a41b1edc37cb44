import * as vscode from 'vscode';
import type { ActiveEdit } from './activeEdit';
import type { InlineEditSession } from './inlineEditSession';
import { changedLines } from './lineDiff';

/**
 * Draws an inline edit in the editors showing its document: the original range while no code has
 * arrived (pending), then the new or changed lines of the streamed code (inserted).
 */
export class InlineEditDecorations implements vscode.Disposable {
  private readonly inserted = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('diffEditor.insertedLineBackground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.addedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  private readonly pending = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('diffEditor.removedTextBackground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.deletedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  /** The last line diff per session: edits outside the range redraw without diffing again. */
  private readonly lastDiff = new WeakMap<InlineEditSession, { text: string; changed: boolean[] }>();

  /** Draws `edit` as it is now (nothing once it has ended). */
  draw(edit: Pick<ActiveEdit, 'document' | 'session'>): void {
    const { session, document } = edit;
    if (document.isClosed) return;
    const editors = vscode.window.visibleTextEditors.filter((editor) => editor.document === document);
    if (editors.length === 0) return;
    let pending: vscode.Range[] = [];
    let inserted: vscode.Range[] = [];
    if (session.phase !== 'ended') {
      const { start, end } = session.range;
      if (!session.hasWritten) {
        pending = [new vscode.Range(document.positionAt(start), document.positionAt(end))];
      } else {
        const firstLine = document.positionAt(start).line;
        inserted = this.changedLines(session).flatMap((changed, index) =>
          changed && firstLine + index < document.lineCount ? [new vscode.Range(firstLine + index, 0, firstLine + index, 0)] : [],
        );
      }
    }
    for (const editor of editors) {
      editor.setDecorations(this.pending, pending);
      editor.setDecorations(this.inserted, inserted);
    }
  }

  dispose(): void {
    this.inserted.dispose();
    this.pending.dispose();
  }

  private changedLines(session: InlineEditSession): boolean[] {
    const { text } = session.range;
    const last = this.lastDiff.get(session);
    if (last?.text === text) return last.changed;
    const changed = changedLines(session.original, text);
    this.lastDiff.set(session, { text, changed });
    return changed;
  }
}
