import * as vscode from 'vscode';
import type { EditTarget, TargetChangeEvent, UndoStops } from './editTarget';

/**
 * A TextDocument as an EditTarget. Edits go through a visible editor of the document when there is
 * one (`TextEditor.edit`, which is applied only at the version it was made for and honours undo
 * stops), otherwise through a WorkspaceEdit (also applied only at the document's known version).
 */
export class DocumentEditTarget implements EditTarget, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TargetChangeEvent>();
  private readonly subscription: vscode.Disposable;
  private lastVersion: number;
  private lastEol: vscode.EndOfLine;

  constructor(
    readonly document: vscode.TextDocument,
    /** The editor the edit started in; used while it is visible. */
    private preferredEditor?: vscode.TextEditor,
  ) {
    this.lastVersion = document.version;
    this.lastEol = document.eol;
    this.subscription = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document !== this.document || event.document.version === this.lastVersion) return;
      this.lastVersion = event.document.version;
      const eolChanged = event.document.eol !== this.lastEol;
      this.lastEol = event.document.eol;
      this.emitter.fire({
        version: event.document.version,
        changes: event.contentChanges.map((change) => ({ offset: change.rangeOffset, length: change.rangeLength, text: change.text })),
        // Switching the line endings moves every offset without a content change to say so.
        reset: eolChanged,
      });
    });
  }

  get version(): number {
    return this.document.version;
  }

  get eol(): '\n' | '\r\n' {
    return this.document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
  }

  get closed(): boolean {
    return this.document.isClosed;
  }

  getText(start: number, end: number): string {
    return this.document.getText(new vscode.Range(this.document.positionAt(start), this.document.positionAt(end)));
  }

  onDidChange(listener: (event: TargetChangeEvent) => void): vscode.Disposable {
    return this.emitter.event(listener);
  }

  /** A visible editor showing the document: the one the edit started in, the active one, or any. */
  editor(): vscode.TextEditor | undefined {
    const visible = vscode.window.visibleTextEditors.filter((editor) => editor.document === this.document);
    const editor =
      visible.find((candidate) => candidate === this.preferredEditor) ??
      visible.find((candidate) => candidate === vscode.window.activeTextEditor) ??
      visible[0];
    if (editor) this.preferredEditor = editor;
    return editor;
  }

  private isClosed(): boolean {
    return this.document.isClosed;
  }

  async replace(version: number, offset: number, length: number, text: string, undo: UndoStops): Promise<boolean> {
    if (this.document.isClosed || this.document.version !== version) return false;
    const range = new vscode.Range(this.document.positionAt(offset), this.document.positionAt(offset + length));
    const editor = this.editor();
    if (editor) {
      try {
        const applied = await editor.edit((builder) => builder.replace(range, text), {
          undoStopBefore: undo.before,
          undoStopAfter: undo.after,
        });
        if (applied || this.document.version !== version) return applied;
        // Not applied although nothing changed: the editor went away meanwhile. Try without it.
      } catch {
        if (this.document.version !== version) return false;
      }
    }
    // The edit above awaited: the document may have closed meanwhile.
    if (this.isClosed()) return false;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(this.document.uri, range, text);
    return vscode.workspace.applyEdit(edit);
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
