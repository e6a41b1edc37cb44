import * as vscode from 'vscode';
import type { ActiveEdit } from './activeEdit';
import { displayHunks, type DisplayedHunk, type HunkDisplay } from './hunkDisplay';
import { computeHunks } from './hunks';
import type { InlineEditSession } from './inlineEditSession';

/**
 * Draws an inline edit in the editors showing its document: the original range while no code has
 * arrived (pending), then per hunk the inserted lines and, beside them, the lines they removed, in
 * the theme's diff colours.
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
  /** The removed lines, as text after the end of the line they belong beside (each instance sets its text). */
  private readonly removed = vscode.window.createTextEditorDecorationType({
    after: {
      backgroundColor: new vscode.ThemeColor('diffEditor.removedLineBackground'),
      border: '1px solid',
      borderColor: new vscode.ThemeColor('diffEditor.removedTextBorder'),
      margin: '0 0 0 3ch',
      fontStyle: 'italic',
    },
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.deletedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Right,
  });
  /** The last display per session: edits outside the range redraw without diffing again. */
  private readonly lastDisplay = new WeakMap<InlineEditSession, { key: string; display: HunkDisplay }>();

  /** Draws `edit` as it is now (nothing once it has ended). */
  draw(edit: Pick<ActiveEdit, 'document' | 'session'>): void {
    const { session, document } = edit;
    if (document.isClosed) return;
    const editors = vscode.window.visibleTextEditors.filter((editor) => editor.document === document);
    if (editors.length === 0) return;
    let pending: vscode.Range[] = [];
    let inserted: vscode.Range[] = [];
    let removed: vscode.DecorationOptions[] = [];
    if (session.phase !== 'ended') {
      const { start, end } = session.range;
      if (!session.hasWritten) {
        pending = [new vscode.Range(document.positionAt(start), document.positionAt(end))];
      } else {
        const firstLine = document.positionAt(start).line;
        const inDocument = (line: number): boolean => firstLine + line < document.lineCount;
        const display = this.display(session);
        inserted = display.insertedLines.filter(inDocument).map((line) => new vscode.Range(firstLine + line, 0, firstLine + line, 0));
        const removedLabel = vscode.l10n.t('Removed');
        removed = display.removed.filter((annotation) => inDocument(annotation.line)).map((annotation) => {
          const line = document.lineAt(firstLine + annotation.line);
          const hover = new vscode.MarkdownString().appendMarkdown(`**${removedLabel}**\n\n`).appendCodeblock(annotation.full.replace(/\r?\n$/, ''), document.languageId);
          return {
            range: new vscode.Range(line.range.end, line.range.end),
            hoverMessage: hover,
            renderOptions: { after: { contentText: `− ${annotation.text}` } },
          };
        });
      }
    }
    for (const editor of editors) {
      editor.setDecorations(this.pending, pending);
      editor.setDecorations(this.inserted, inserted);
      editor.setDecorations(this.removed, removed);
    }
  }

  dispose(): void {
    this.inserted.dispose();
    this.pending.dispose();
    this.removed.dispose();
  }

  /**
   * The hunks as they are: under review, the session's (they follow the user's edits); while
   * streaming, a fresh diff whose last hunk, where it reaches the end of what has arrived, shows no
   * removed lines yet (the rest of the original is still to be rewritten).
   */
  private display(session: InlineEditSession): HunkDisplay {
    const { text } = session.range;
    const review = session.hunks;
    const key = `${review ? review.map((hunk) => `${hunk.id}@${hunk.start}-${hunk.end}`).join(',') : session.phase}\n${text}`;
    const last = this.lastDisplay.get(session);
    if (last?.key === key) return last.display;
    let hunks: DisplayedHunk[];
    if (review) {
      hunks = review.map(({ start, end, original }) => ({ start, end, original }));
    } else {
      const streaming = session.phase === 'waiting' || session.phase === 'streaming';
      hunks = computeHunks(session.original, text).map((hunk) => ({
        start: hunk.proposedStart,
        end: hunk.proposedEnd,
        original: streaming && hunk.proposedEnd === text.length ? '' : session.original.slice(hunk.originalStart, hunk.originalEnd),
      }));
    }
    const display = displayHunks(text, hunks);
    this.lastDisplay.set(session, { key, display });
    return display;
  }
}
