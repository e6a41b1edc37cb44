import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChatRequest, ChatStreamEvent } from '../api/types';
import type { StreamWithRecoveryOptions } from '../api/resilientStream';
import { buildRefactorMessages } from '../chat/refactorPrompt';
import { selectionContext } from '../commands/chatCommands';
import { CommandIds, ContextKeys } from '../commands/commandIds';
import type { ConnectionResolver } from '../services/connectionResolver';
import { actionLabels, describeGatewayError } from '../services/errorPresenter';
import { DocumentEditTarget } from './documentEditTarget';
import { InlineEditSession, type InlineEditEnd } from './inlineEditSession';
import { changedLines } from './lineDiff';

/** Scheme of the read-only "original" side of Show Diff. */
export const ORIGINAL_SCHEME = 'fox-chat-original';

/** The chat stream with recovery (retries before the first token, fallback models). */
export type StreamFactory = (options: StreamWithRecoveryOptions) => AsyncIterable<ChatStreamEvent>;

interface ActiveEdit {
  id: string;
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

/**
 * Runs inline edits in editors: one per document at a time. Shows them (decorations, CodeLens,
 * context keys, a diff on request), ends them on Accept / Reject / Stop and when their editor or
 * document goes away, and reports how they ended.
 */
export class InlineEditController implements vscode.Disposable {
  private readonly edits = new Map<string, ActiveEdit>();
  private readonly lensEmitter = new vscode.EventEmitter<void>();
  private readonly originalEmitter = new vscode.EventEmitter<vscode.Uri>();
  /** The "original" side of diffs, kept after an edit ended so an open diff still shows something. */
  private readonly originalTexts = new Map<string, string>();
  private readonly insertedDecoration = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('diffEditor.insertedLineBackground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.addedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  private readonly pendingDecoration = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('diffEditor.removedTextBackground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.deletedForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  private readonly disposables: vscode.Disposable[] = [];
  private diffTimer: NodeJS.Timeout | undefined;
  /** Callers waiting for an edit (by id) to end. */
  private readonly endWaiters = new Map<string, (end: InlineEditEnd) => void>();
  private counter = 0;

  constructor(
    private readonly resolver: ConnectionResolver,
    private readonly log: vscode.LogOutputChannel,
    private readonly stream: StreamFactory,
  ) {
    this.disposables.push(
      this.lensEmitter,
      this.originalEmitter,
      this.insertedDecoration,
      this.pendingDecoration,
      vscode.languages.registerCodeLensProvider({ scheme: '*' }, { onDidChangeCodeLenses: this.lensEmitter.event, provideCodeLenses: (document) => this.codeLenses(document) }),
      vscode.workspace.registerTextDocumentContentProvider(ORIGINAL_SCHEME, {
        onDidChange: this.originalEmitter.event,
        provideTextDocumentContent: (uri) => this.originalContent(uri),
      }),
      vscode.workspace.onWillSaveTextDocument((event) => {
        const edit = this.edits.get(event.document.uri.toString());
        if (edit && (edit.session.phase === 'waiting' || edit.session.phase === 'streaming')) {
          // Never save a half-written answer: the original goes back in before the file is written.
          event.waitUntil(edit.session.interruptForSave());
        }
      }),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (document.uri.scheme === ORIGINAL_SCHEME && ![...this.edits.values()].some((edit) => edit.id === document.uri.query)) {
          this.originalTexts.delete(document.uri.query);
        }
        const edit = this.edits.get(document.uri.toString());
        if (edit) void edit.session.close(false);
      }),
      vscode.window.onDidChangeVisibleTextEditors(() => {
        this.checkClosedEditors();
        for (const edit of this.edits.values()) this.decorate(edit);
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
   * or when nothing was started (false; the user has been told why).
   */
  async start(editor: vscode.TextEditor, instruction: string): Promise<boolean> {
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
    const { profile, request: options, client } = connection.settings;
    const edit = this.track(document, target, session, instruction, profile.baseUrl);
    const { id } = edit;

    const chatRequest: ChatRequest = {
      model: profile.model,
      messages: buildRefactorMessages(context, instruction),
      stream: true,
      temperature: options.temperature,
      max_tokens: options.max_tokens,
      top_p: options.top_p,
      frequency_penalty: options.frequency_penalty,
      presence_penalty: options.presence_penalty,
      provider: options.provider ?? profile.provider,
    };
    this.log.info(`Inline edit ${id}: ${context.fileName} lines ${context.startLine}-${context.endLine}, model=${profile.model}`);
    this.log.info(`POST ${profile.baseUrl}/chat/completions model=${profile.model} messages=${chatRequest.messages.length}`);
    void session.run(
      this.stream({
        baseUrl: profile.baseUrl,
        apiKey: connection.apiKey,
        request: chatRequest,
        signal: session.signal,
        headers: profile.headers,
        secretHeaders: connection.secretHeaders,
        extraBody: options.extraBody,
        idleTimeoutMs: client.idleTimeoutMs,
        policy: { maxRetries: client.maxRetries, idleTimeoutMs: client.idleTimeoutMs },
        fallbackModels: profile.fallbackModels,
      }),
    );
    return true;
  }

  /**
   * Puts `code` (e.g. a code block of a chat answer) in place of the editor's selection as an inline
   * edit to review: Accept / Reject, exact restore, one Undo. False when nothing was started.
   */
  async applyCode(editor: vscode.TextEditor, code: string): Promise<boolean> {
    return this.startApply(editor, code) !== undefined;
  }

  /**
   * Like applyCode, for a change the model proposed: resolves with how the review ended (accepted,
   * rejected, closed...), or undefined when it could not start.
   */
  async proposeCode(editor: vscode.TextEditor, code: string): Promise<InlineEditEnd | undefined> {
    const edit = this.startApply(editor, code);
    if (!edit) return undefined;
    return new Promise<InlineEditEnd>((resolve) => this.endWaiters.set(edit.id, resolve));
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
    async function* once(): AsyncGenerator<{ type: 'text'; text: string }> {
      yield { type: 'text', text: code };
    }
    void session.run(once());
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

  stop(uri?: unknown): void {
    this.findOrTell(uri)?.session.stop();
  }

  async showDiff(uri?: unknown): Promise<void> {
    const edit = this.findOrTell(uri);
    if (!edit) return;
    const original = vscode.Uri.from({ scheme: ORIGINAL_SCHEME, path: edit.document.uri.path, query: edit.id });
    this.originalTexts.set(edit.id, this.originalDocumentText(edit));
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
    this.decorate(edit);
    const first = edit.document.isClosed ? -1 : edit.document.positionAt(edit.session.range.start).line;
    const lensState = `${edit.session.phase}:${first}`;
    if (lensState !== edit.lensState) {
      edit.lensState = lensState;
      this.lensEmitter.fire();
      this.updateContextKeys();
    }
    this.scheduleDiffUpdate(edit);
  }

  private decorate(edit: ActiveEdit): void {
    if (edit.document.isClosed) return;
    const editors = vscode.window.visibleTextEditors.filter((editor) => editor.document === edit.document);
    if (editors.length === 0) return;
    const { session, document } = edit;
    let pending: vscode.Range[] = [];
    let inserted: vscode.Range[] = [];
    if (session.phase !== 'ended') {
      const { start, end, text } = session.range;
      if (!session.hasWritten) {
        pending = [new vscode.Range(document.positionAt(start), document.positionAt(end))];
      } else {
        const firstLine = document.positionAt(start).line;
        inserted = changedLines(session.original, text).flatMap((changed, index) =>
          changed && firstLine + index < document.lineCount ? [new vscode.Range(firstLine + index, 0, firstLine + index, 0)] : [],
        );
      }
    }
    for (const editor of editors) {
      editor.setDecorations(this.pendingDecoration, pending);
      editor.setDecorations(this.insertedDecoration, inserted);
    }
  }

  private codeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const edit = this.edits.get(document.uri.toString());
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

  /** The whole document as it would be with the original code in place of the edited range. */
  private originalDocumentText(edit: ActiveEdit): string {
    if (edit.document.isClosed || edit.session.phase === 'ended') return this.originalTexts.get(edit.id) ?? '';
    const text = edit.document.getText();
    const { start, end } = edit.session.range;
    return text.slice(0, start) + edit.session.original + text.slice(end);
  }

  private originalContent(uri: vscode.Uri): string {
    const edit = [...this.edits.values()].find((candidate) => candidate.id === uri.query);
    return edit ? this.originalDocumentText(edit) : this.originalTexts.get(uri.query) ?? '';
  }

  private scheduleDiffUpdate(edit: ActiveEdit): void {
    if (!this.originalTexts.has(edit.id) || this.diffTimer) return;
    // The left side follows edits outside the range (a few times a second is enough).
    this.diffTimer = setTimeout(() => {
      this.diffTimer = undefined;
      if (this.edits.get(edit.key) !== edit) return;
      this.originalTexts.set(edit.id, this.originalDocumentText(edit));
      this.originalEmitter.fire(vscode.Uri.from({ scheme: ORIGINAL_SCHEME, path: edit.document.uri.path, query: edit.id }));
    }, 250);
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
    if (this.originalTexts.has(edit.id)) {
      // An open diff keeps showing the original as it was at the end.
      this.originalTexts.set(edit.id, edit.document.isClosed ? this.originalTexts.get(edit.id) ?? '' : this.originalAtEnd(edit, end));
      this.originalEmitter.fire(vscode.Uri.from({ scheme: ORIGINAL_SCHEME, path: edit.document.uri.path, query: edit.id }));
    }
    for (const listener of edit.listeners) listener.dispose();
    edit.target.dispose();
    this.decorate(edit);
    this.lensEmitter.fire();
    this.updateContextKeys();
    this.log.info(`Inline edit ${edit.id} ended: ${end.reason}${end.restored ? ' (original restored)' : ''}`);
    this.markCleanIfUnchanged(edit, end);
    this.report(edit, end);
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

  private originalAtEnd(edit: ActiveEdit, end: InlineEditEnd): string {
    const text = edit.document.getText();
    if (end.reason !== 'accepted') return text;
    const { start, end: stop } = edit.session.range;
    return text.slice(0, start) + edit.session.original + text.slice(stop);
  }

  /** Tells the user how an edit ended when it was not their own choice. */
  private report(edit: ActiveEdit, end: InlineEditEnd): void {
    const openLog = vscode.l10n.t('Open Log');
    const showLog = (choice: string | undefined): void => {
      if (choice === openLog) this.log.show();
    };
    switch (end.reason) {
      case 'failed': {
        const error = end.error ?? { kind: 'network' as const, message: '' };
        const view = describeGatewayError(error, edit.baseUrl);
        this.log.error(`Inline edit ${edit.id}: ${error.kind}${error.status ? ` ${error.status}` : ''}: ${error.message}`);
        const labels = actionLabels();
        const actions = [...new Set<keyof typeof labels>(['retry', ...view.actions, 'showLog'])];
        const message = vscode.l10n.t('Fox Chat could not finish rewriting the code, so the original is back. {0}', view.message);
        void vscode.window.showErrorMessage(message, ...actions.map((action) => labels[action])).then((choice) => {
          const action = actions.find((candidate) => labels[candidate] === choice);
          if (action === 'retry') void this.retry(edit);
          else if (action === 'showLog') this.log.show();
          else if (action === 'setApiKey') void vscode.commands.executeCommand(CommandIds.setApiKey);
          else if (action === 'selectModel') void vscode.commands.executeCommand(CommandIds.selectModel);
          else if (action === 'openSettings') void vscode.commands.executeCommand('workbench.action.openSettings', 'foxChat');
        });
        break;
      }
      case 'conflict':
        void vscode.window.showWarningMessage(
          vscode.l10n.t('You edited the code Fox Chat was rewriting, so it stopped and put the original code back.'),
        );
        break;
      case 'saved':
        void vscode.window.showInformationMessage(
          vscode.l10n.t('Fox Chat stopped rewriting because the file was saved; the original code was kept.'),
        );
        break;
      case 'empty':
        void vscode.window.showInformationMessage(vscode.l10n.t('The model returned no code, so nothing was changed.'));
        break;
      case 'editFailed':
        void vscode.window
          .showErrorMessage(vscode.l10n.t('Fox Chat could not change the document; the original code was kept where possible.'), openLog)
          .then(showLog);
        break;
      case 'lostTrack':
        void vscode.window
          .showErrorMessage(
            vscode.l10n.t('Fox Chat lost track of the code it was rewriting and stopped. If the original is not back, use Undo.'),
            openLog,
          )
          .then(showLog);
        break;
      default:
        break;
    }
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
    clearTimeout(this.diffTimer);
    for (const edit of this.edits.values()) {
      edit.session.dispose();
    }
    this.edits.clear();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
