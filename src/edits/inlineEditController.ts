import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChatRequest } from '../api/types';
import type { StreamFn } from '../chat/request';
import { buildRefactorMessages } from '../chat/refactorPrompt';
import { selectionContext } from '../editor/selectionContext';
import { CommandIds, ContextKeys } from '../commandIds';
import type { ConnectionResolver } from '../services/connectionResolver';
import { parametersFor, routeFor } from '../services/gatewayStream';
import type { ActiveEdit } from './activeEdit';
import { DocumentEditTarget } from './documentEditTarget';
import { InlineEditCodeLensProvider } from './inlineEditCodeLens';
import { InlineEditDecorations } from './inlineEditDecorations';
import { reportInlineEditEnd } from './inlineEditReport';
import { InlineEditSession } from './inlineEditSession';
import type { InlineEditEnd } from './inlineEditState';
import { ORIGINAL_SCHEME, OriginalContentProvider } from './originalContent';


/**
 * Runs inline edits in editors: one per document at a time. Tracks them and wires them to their
 * views (decorations, CodeLens, context keys, a diff on request), ends them on Accept / Reject / Stop
 * and when their editor or document goes away, and has the user told how they ended.
 */
export class InlineEditController implements vscode.Disposable {
  private readonly edits = new Map<string, ActiveEdit>();
  private readonly decorations = new InlineEditDecorations();
  private readonly lenses = new InlineEditCodeLensProvider((document) => this.edits.get(document.uri.toString()));
  private readonly originals = new OriginalContentProvider((id) => [...this.edits.values()].find((edit) => edit.id === id));
  private readonly disposables: vscode.Disposable[] = [];
  /** Callers waiting for an edit (by id) to end. */
  private readonly endWaiters = new Map<string, (end: InlineEditEnd) => void>();
  private counter = 0;

  constructor(
    private readonly resolver: ConnectionResolver,
    private readonly log: vscode.LogOutputChannel,
    /** The one request pipeline (GatewayStream): what it learns of a gateway, refactors learn too. */
    private readonly stream: StreamFn,
  ) {
    this.disposables.push(
      this.lenses,
      this.originals,
      this.decorations,
      vscode.languages.registerCodeLensProvider({ scheme: '*' }, this.lenses),
      vscode.workspace.registerTextDocumentContentProvider(ORIGINAL_SCHEME, this.originals),
      vscode.workspace.onWillSaveTextDocument((event) => {
        const edit = this.edits.get(event.document.uri.toString());
        if (edit && event.reason === vscode.TextDocumentSaveReason.Manual && (edit.session.phase === 'waiting' || edit.session.phase === 'streaming')) {
          // A save the user asked for never writes a half-written answer: the original goes back in
          // before the file is written. Auto-saves (after a delay, on focus change) are not the user
          // asking: they write the buffer as it is and the edit streams on (the next auto-save after
          // Accept or Reject writes the outcome).
          event.waitUntil(edit.session.interruptForSave());
        }
      }),
      vscode.workspace.onDidSaveTextDocument((document) => {
        const edit = this.edits.get(document.uri.toString());
        // What is on disk now: only that text may be "reverted to" to clear the modified mark.
        if (edit) edit.savedText = document.getText();
      }),
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.originals.documentClosed(document);
        const edit = this.edits.get(document.uri.toString());
        if (edit) void edit.session.close(false);
      }),
      vscode.window.onDidChangeVisibleTextEditors(() => {
        this.checkClosedEditors();
        for (const edit of this.edits.values()) this.decorations.draw(edit);
      }),
      vscode.window.tabGroups.onDidChangeTabs(() => this.checkClosedEditors()),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateContextKeys()),
    );
  }

  /** The edit in progress for a document (by URI string), for the active editor, or the only one. */
  find(uri?: unknown): ActiveEdit | undefined {
    const key = typeof uri === 'string' ? uri : uri instanceof vscode.Uri ? uri.toString() : undefined;
    if (key) return this.edits.get(key);
    const active = vscode.window.activeTextEditor;
    if (active) {
      const edit = this.edits.get(active.document.uri.toString());
      if (edit) return edit;
    }
    return this.edits.size === 1 ? [...this.edits.values()][0] : undefined;
  }

  isEditing(document: vscode.TextDocument): boolean {
    return this.edits.has(document.uri.toString());
  }

  /**
   * Starts an inline edit of the editor's selection. Resolves once the request is on its way (true)
   * or when nothing was started (false; the user has been told why). `model` replaces the settings'
   * model for this edit only (a prompt file's `model:`).
   */
  async start(editor: vscode.TextEditor, instruction: string, model?: string): Promise<boolean> {
    const refuseSecond = (): false => {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Fox Chat is already rewriting code in this file. Accept or reject that change first.'),
      );
      return false;
    };
    if (this.isEditing(editor.document)) return refuseSecond();
    if (vscode.workspace.fs.isWritableFileSystem(editor.document.uri.scheme) === false) {
      void vscode.window.showInformationMessage(vscode.l10n.t('This document is read-only, so Fox Chat cannot rewrite code in it.'));
      return false;
    }
    const connection = await this.resolver.resolve();
    if (!connection) return false;
    // The key prompt may have taken a while: look at the editor as it is now.
    if (this.isEditing(editor.document)) return refuseSecond();
    const context = selectionContext(editor);
    if (editor.document.isClosed || !context) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Select some code first, then run Refactor Selection.'));
      return false;
    }

    const { document } = editor;
    const target = new DocumentEditTarget(document, editor);
    const selection = editor.selection;
    const session = new InlineEditSession(target, { start: document.offsetAt(selection.start), end: document.offsetAt(selection.end) });
    // A caret at the start instead of a selection over the range: the decorations stay visible, and
    // typing no longer replaces the code being rewritten.
    editor.selection = new vscode.Selection(selection.start, selection.start);
    const { profile } = connection.settings;
    const edit = this.track(document, target, session, instruction, profile.baseUrl);
    // The settings' parameters as for chat, but never JSON mode: the answer is code for the editor.
    const { response_format: _jsonMode, ...parameters } = parametersFor(connection);
    const chatRequest: ChatRequest = { ...parameters, model: model ?? profile.model, messages: buildRefactorMessages(context, instruction), stream: true };
    this.log.info(`Inline edit ${edit.id}: ${context.fileName} lines ${context.startLine}-${context.endLine}, model=${chatRequest.model}`);
    void session.run(this.stream({ ...routeFor(connection), request: chatRequest, signal: session.signal }));
    return true;
  }

  /**
   * Puts `code` (e.g. a code block of a chat answer) in place of the editor's selection as an inline
   * edit to review: Accept / Reject, exact restore, one Undo. False when nothing was started.
   */
  applyCode(editor: vscode.TextEditor, code: string): Promise<boolean> {
    return Promise.resolve(this.startApply(editor, code) !== undefined);
  }

  /**
   * Like applyCode, for a change the model proposed: resolves with how the review ended (accepted,
   * rejected, closed...), or undefined when it could not start.
   */
  async proposeCode(editor: vscode.TextEditor, code: string, signal?: AbortSignal): Promise<InlineEditEnd | undefined> {
    const edit = this.startApply(editor, code);
    if (!edit) return undefined;
    const ended = new Promise<InlineEditEnd>((resolve) => this.endWaiters.set(edit.id, resolve));
    // Stopping the request that proposed the change withdraws it: nobody would hear the answer, so
    // leaving it up for review would change the file behind the conversation's back.
    const withdraw = (): void => {
      this.log.info(`Inline edit ${edit.id}: the request that proposed it was stopped; rejecting it.`);
      void edit.session.reject();
    };
    if (signal?.aborted) withdraw();
    else signal?.addEventListener('abort', withdraw, { once: true });
    void ended.then(() => signal?.removeEventListener('abort', withdraw));
    return ended;
  }

  private startApply(editor: vscode.TextEditor, code: string): ActiveEdit | undefined {
    if (this.isEditing(editor.document)) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Fox Chat is already rewriting code in this file. Accept or reject that change first.'),
      );
      return undefined;
    }
    const { document, selection } = editor;
    const target = new DocumentEditTarget(document, editor);
    const session = new InlineEditSession(
      target,
      { start: document.offsetAt(selection.start), end: document.offsetAt(selection.end) },
      { verbatim: true },
    );
    editor.selection = new vscode.Selection(selection.start, selection.start);
    const edit = this.track(document, target, session, '', '');
    this.log.info(`Inline edit ${edit.id}: applying ${code.length} characters to ${document.uri.path}`);
    void session.run([{ type: 'text', text: code }]);
    return edit;
  }

  async accept(uri?: unknown): Promise<void> {
    const edit = this.findOrTell(uri);
    if (edit) await edit.session.accept();
  }

  async reject(uri?: unknown): Promise<void> {
    const edit = this.findOrTell(uri);
    if (edit) await edit.session.reject();
  }

  /**
   * Accepts or rejects one hunk: the one given (CodeLens), else the one at the cursor, else the next
   * one after it, else the first.
   */
  async decideHunk(decision: 'accept' | 'reject', uri?: unknown, hunkId?: unknown): Promise<void> {
    const edit = this.findOrTell(uri);
    const hunks = edit?.session.hunks;
    if (!edit || !hunks || hunks.length === 0) return;
    let hunk = hunks.find((candidate) => candidate.id === hunkId);
    if (!hunk) {
      const editor = vscode.window.activeTextEditor;
      const cursor = editor?.document === edit.document ? editor.document.offsetAt(editor.selection.active) - edit.session.range.start : 0;
      const lineOf = (offset: number): number => edit.document.positionAt(edit.session.range.start + offset).line;
      const cursorLine = lineOf(cursor);
      hunk =
        hunks.find((candidate) => lineOf(candidate.start) <= cursorLine && cursorLine <= lineOf(Math.max(candidate.start, candidate.end - 1))) ??
        hunks.find((candidate) => lineOf(candidate.start) >= cursorLine) ??
        hunks[0]!;
    }
    const { ordinal } = hunk;
    const total = edit.session.hunkTotal;
    const done = decision === 'accept' ? await edit.session.acceptHunk(hunk.id) : await edit.session.rejectHunk(hunk.id);
    if (!done) return;
    const left = edit.session.hunks?.length ?? 0;
    const message =
      decision === 'accept'
        ? vscode.l10n.t('Fox Chat: change {0} of {1} accepted, {2} left to review.', ordinal, total, left)
        : vscode.l10n.t('Fox Chat: change {0} of {1} rejected (original back), {2} left to review.', ordinal, total, left);
    vscode.window.setStatusBarMessage(message, 8_000);
  }

  stop(uri?: unknown): void {
    this.findOrTell(uri)?.session.stop();
  }

  async showDiff(uri?: unknown): Promise<void> {
    const edit = this.findOrTell(uri);
    if (!edit) return;
    const original = this.originals.open(edit);
    const title = vscode.l10n.t('{0}: Original ↔ Fox Chat', path.basename(edit.document.uri.path));
    await vscode.commands.executeCommand('vscode.diff', original, edit.document.uri, title, { preview: true });
  }

  private track(document: vscode.TextDocument, target: DocumentEditTarget, session: InlineEditSession, instruction: string, baseUrl: string): ActiveEdit {
    const edit: ActiveEdit = {
      id: `${++this.counter}`,
      key: document.uri.toString(),
      document,
      target,
      session,
      instruction,
      baseUrl,
      lensState: '',
      listeners: [],
      savedText: document.isDirty ? undefined : document.getText(),
    };
    this.edits.set(edit.key, edit);
    edit.listeners.push(
      session.onDidChange(() => this.changed(edit)),
      session.onDidEnd((end) => this.ended(edit, end)),
    );
    this.changed(edit);
    return edit;
  }

  private findOrTell(uri?: unknown): ActiveEdit | undefined {
    const edit = this.find(uri);
    if (!edit) void vscode.window.showInformationMessage(vscode.l10n.t('There is no Fox Chat edit in progress here.'));
    return edit;
  }

  // ---------------------------------------------------------------------------------------------

  private changed(edit: ActiveEdit): void {
    this.decorations.draw(edit);
    const first = edit.document.isClosed ? -1 : edit.document.positionAt(edit.session.range.start).line;
    const hunkLines = (edit.session.hunks ?? []).map((hunk) => `${hunk.id}@${edit.document.positionAt(edit.session.range.start + hunk.start).line}`);
    const lensState = `${edit.session.phase}:${first}:${hunkLines.join(',')}`;
    if (lensState !== edit.lensState) {
      if (edit.session.phase === 'review' && !edit.lensState.startsWith('review:')) this.announceReview(edit);
      edit.lensState = lensState;
      this.lenses.refresh();
      this.updateContextKeys();
    }
    this.originals.scheduleUpdate(edit);
  }

  /** Says (in the status bar, which screen readers can read out) what there is to review. */
  private announceReview(edit: ActiveEdit): void {
    const total = edit.session.hunkTotal;
    if (total === 0) return;
    const message =
      total === 1
        ? vscode.l10n.t('Fox Chat: 1 change to review. Accept or reject it with the actions above the code.')
        : vscode.l10n.t('Fox Chat: {0} changes to review. Accept or reject each one, or all of them, with the actions above the code.', total);
    vscode.window.setStatusBarMessage(message, 10_000);
  }

  /** While streaming, an edit whose document is no longer open in any tab is stopped and restored. */
  private checkClosedEditors(): void {
    for (const edit of this.edits.values()) {
      if (edit.session.phase !== 'waiting' && edit.session.phase !== 'streaming') continue;
      if (edit.document.isClosed) {
        void edit.session.close(false);
        continue;
      }
      const visible = vscode.window.visibleTextEditors.some((editor) => editor.document === edit.document);
      if (visible || this.hasTab(edit.document.uri)) continue;
      this.log.info(`Inline edit ${edit.id}: its editor was closed while streaming; restoring the original.`);
      void edit.session.close(true);
    }
  }

  private hasTab(uri: vscode.Uri): boolean {
    const key = uri.toString();
    return vscode.window.tabGroups.all.some((group) =>
      group.tabs.some((tab) => {
        const input = tab.input;
        if (input instanceof vscode.TabInputText) return input.uri.toString() === key;
        if (input instanceof vscode.TabInputTextDiff) return input.modified.toString() === key || input.original.toString() === key;
        return false;
      }),
    );
  }

  private updateContextKeys(): void {
    const editor = vscode.window.activeTextEditor;
    const edit = editor ? this.edits.get(editor.document.uri.toString()) : undefined;
    const phase = edit?.session.phase ?? 'ended';
    void vscode.commands.executeCommand('setContext', ContextKeys.inlineEditActive, phase !== 'ended');
    void vscode.commands.executeCommand('setContext', ContextKeys.inlineEditStreaming, phase === 'waiting' || phase === 'streaming');
  }

  private ended(edit: ActiveEdit, end: InlineEditEnd): void {
    if (this.edits.get(edit.key) === edit) this.edits.delete(edit.key);
    this.originals.ended(edit, end);
    for (const listener of edit.listeners) listener.dispose();
    edit.target.dispose();
    this.decorations.draw(edit);
    this.lenses.refresh();
    this.updateContextKeys();
    this.log.info(`Inline edit ${edit.id} ended: ${end.reason}${end.restored ? ' (original restored)' : ''}`);
    this.markCleanIfUnchanged(edit, end);
    reportInlineEditEnd(end, { id: edit.id, baseUrl: edit.baseUrl, log: this.log, retry: () => void this.retry(edit) });
    this.endWaiters.get(edit.id)?.(end);
    this.endWaiters.delete(edit.id);
  }

  /**
   * A file that had no unsaved changes and got exactly its text back (Reject, Stop, a failure) should
   * not ask to be saved: VS Code marks it dirty after any edit, so revert it to the identical text on disk.
   */
  private markCleanIfUnchanged(edit: ActiveEdit, end: InlineEditEnd): void {
    const { document, savedText } = edit;
    if (!end.restored || savedText === undefined || document.isClosed || !document.isDirty || document.getText() !== savedText) return;
    void vscode.commands.executeCommand('workbench.action.files.revert', document.uri).then(undefined, (error: unknown) => {
      this.log.warn(`Inline edit ${edit.id}: could not clear the modified mark: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  /** Runs the same instruction again on the (restored) original. */
  private async retry(edit: ActiveEdit): Promise<void> {
    if (edit.document.isClosed) return;
    const editor = await vscode.window.showTextDocument(edit.document);
    const { start, end } = edit.session.range;
    editor.selection = new vscode.Selection(edit.document.positionAt(start), edit.document.positionAt(end));
    await vscode.commands.executeCommand(CommandIds.refactorSelection, { instruction: edit.instruction });
  }

  dispose(): void {
    for (const edit of this.edits.values()) {
      edit.session.dispose();
    }
    this.edits.clear();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
