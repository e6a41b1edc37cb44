import * as vscode from 'vscode';
import type { ActiveEdit } from './activeEdit';
import type { InlineEditEnd } from './inlineEditState';

/** Scheme of the read-only "original" side of Show Diff. */
export const ORIGINAL_SCHEME = 'fox-chat-original';

type DiffedEdit = Pick<ActiveEdit, 'id' | 'document' | 'session'>;

/**
 * The "original" side of Show Diff: the whole document as it would be with the original code in
 * place of the edited range. It follows edits outside the range while the edit runs, and is kept
 * after the edit ended so that an open diff still shows something.
 */
export class OriginalContentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changeEmitter.event;
  /** By edit id: only edits whose diff has been opened. */
  private readonly originalTexts = new Map<string, string>();
  private diffTimer: NodeJS.Timeout | undefined;

  /** `running`: the edit with this id, while it runs. */
  constructor(private readonly running: (id: string) => DiffedEdit | undefined) {}

  /** The URI of the original side of `edit`'s diff, its content taken as it is now. */
  open(edit: DiffedEdit): vscode.Uri {
    this.originalTexts.set(edit.id, this.originalDocumentText(edit));
    return this.uri(edit);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const edit = this.running(uri.query);
    return edit ? this.originalDocumentText(edit) : this.originalTexts.get(uri.query) ?? '';
  }

  /** The edit changed: an open diff's left side follows edits outside the range (a few times a second is enough). */
  scheduleUpdate(edit: DiffedEdit): void {
    if (!this.originalTexts.has(edit.id) || this.diffTimer) return;
    this.diffTimer = setTimeout(() => {
      this.diffTimer = undefined;
      if (this.running(edit.id) !== edit) return;
      this.originalTexts.set(edit.id, this.originalDocumentText(edit));
      this.changeEmitter.fire(this.uri(edit));
    }, 250);
  }

  /** The edit ended: an open diff keeps showing the original as it was at the end. */
  ended(edit: DiffedEdit, end: InlineEditEnd): void {
    if (!this.originalTexts.has(edit.id)) return;
    this.originalTexts.set(edit.id, edit.document.isClosed ? this.originalTexts.get(edit.id) ?? '' : this.originalAtEnd(edit, end));
    this.changeEmitter.fire(this.uri(edit));
  }

  /** A diff's original side was closed: its text is not needed any more once its edit has ended. */
  documentClosed(document: vscode.TextDocument): void {
    if (document.uri.scheme === ORIGINAL_SCHEME && !this.running(document.uri.query)) {
      this.originalTexts.delete(document.uri.query);
    }
  }

  dispose(): void {
    clearTimeout(this.diffTimer);
    this.changeEmitter.dispose();
  }

  private uri(edit: DiffedEdit): vscode.Uri {
    return vscode.Uri.from({ scheme: ORIGINAL_SCHEME, path: edit.document.uri.path, query: edit.id });
  }

  /** The whole document as it would be with the original code in place of the edited range. */
  private originalDocumentText(edit: DiffedEdit): string {
    if (edit.document.isClosed || edit.session.phase === 'ended') return this.originalTexts.get(edit.id) ?? '';
    const text = edit.document.getText();
    const { start, end } = edit.session.range;
    return text.slice(0, start) + edit.session.original + text.slice(end);
  }

  private originalAtEnd(edit: DiffedEdit, end: InlineEditEnd): string {
    const text = edit.document.getText();
    if (end.reason !== 'accepted') return text;
    const { start, end: stop } = edit.session.range;
    return text.slice(0, start) + edit.session.original + text.slice(stop);
  }
}
