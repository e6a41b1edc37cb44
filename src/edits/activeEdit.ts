import type * as vscode from 'vscode';
import type { DocumentEditTarget } from './documentEditTarget';
import type { InlineEditSession } from './inlineEditSession';

/** An inline edit the controller is running in a document, with what its views need. */
export interface ActiveEdit {
  id: string;
  /** The document's URI as a string: at most one edit per document. */
  key: string;
  document: vscode.TextDocument;
  target: DocumentEditTarget;
  session: InlineEditSession;
  instruction: string;
  baseUrl: string;
  /** Phase and first line the CodeLens was last drawn for. */
  lensState: string;
  listeners: vscode.Disposable[];
  /** The document's text when the edit started, if it had no unsaved changes then. */
  savedText: string | undefined;
}
