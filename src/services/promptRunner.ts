import * as path from 'node:path';
import * as vscode from 'vscode';
import { requestSecrets } from '../api/headers';
import { secretMasker } from '../api/redact';
import type { ChatRequest, GatewayErrorInfo } from '../api/types';
import { checkImageDataUrl, MAX_IMAGE_BYTES, sniffImageType, toDataUrl, type ImageProblem } from '../chat/images';
import { codeOfAnswer, routePrompt, type PromptRoute } from '../chat/promptOutput';
import { formatSelection, formatUserContent, SYSTEM_PROMPT, type ChatContext, type SelectionContext } from '../chat/prompts';
import {
  expandVariables,
  formatDiagnostics,
  inputVariables,
  localLinks,
  usedVariables,
  type PromptEnvironment,
} from '../chat/promptVariables';
import type { StreamFn } from '../chat/request';
import { CommandIds } from '../commandIds';
import { editorInUse, pathForModel } from '../editor/selectionContext';
import { languageIdFor } from '../panel/codeActions';
import type { ChatService } from './chatService';
import type { ConnectionResolver } from './connectionResolver';
import { PROBLEM_SEVERITIES } from './contextAttachments';
import { runErrorAction } from './errorActions';
import { actionLabels, describeGatewayError } from './errorPresenter';
import { parametersFor, routeFor } from './gatewayStream';
import { ignoreMatchFor, localisedSource, refuseIgnoredSelection } from './ignoredFiles';
import type { LoadedPrompt } from './promptLibrary';

/** Larger linked files are not attached: they would crowd out the question. */
const MAX_LINKED_FILE_CHARS = 200_000;
/**
 * A file over this many bytes has more than MAX_LINKED_FILE_CHARS characters (one UTF-16 unit takes
 * at most three bytes of UTF-8), so it is refused before it is read.
 */
const MAX_LINKED_FILE_BYTES = 3 * MAX_LINKED_FILE_CHARS;

export interface PromptRunnerDeps {
  chat: ChatService;
  /** Opens the chat panel (before a chat answer streams into it). */
  revealPanel(): Promise<void>;
  resolver: ConnectionResolver;
  /** The one request pipeline (GatewayStream), for answers that go into the editor. */
  stream: StreamFn;
  /** Says why a linked image was not attached, as for a pasted one. */
  rejectImage(name: string, problem: ImageProblem): void;
  log: vscode.LogOutputChannel;
}


/**
 * Runs a prompt of the library: asks its inputs, fills in its variables, attaches the files and
 * images its body links to, and sends the answer where the prompt says (chat, the selection as a
 * reviewable inline edit, the cursor, a new document). Every request goes through the one pipeline.
 */
export class PromptRunner {
  constructor(private readonly deps: PromptRunnerDeps) {}

  /** True when the prompt was sent; false when it could not run or the user cancelled (told why where it helps). */
  async run(prompt: LoadedPrompt): Promise<boolean> {
    const editor = editorInUse();
    const links = localLinks(prompt.body);
    const route = routePrompt(
      prompt.output,
      {
        hasEditor: editor !== undefined,
        hasSelection: editor !== undefined && !editor.selection.isEmpty,
        readOnly: editor !== undefined && vscode.workspace.fs.isWritableFileSystem(editor.document.uri.scheme) === false,
      },
      links.some((link) => link.image),
    );
    if (route.kind === 'refused') {
      this.explainRefusal(prompt, route);
      return false;
    }
    const used = usedVariables(prompt.body);
    const sendsEditorContent = used.has('selection') || used.has('selectedText') || used.has('diagnostics') || route.kind === 'replace-selection';
    if (editor && sendsEditorContent && (await refuseIgnoredSelection(editor.document))) return false;

    const inputs: Record<string, string> = {};
    for (const input of inputVariables(prompt.body)) {
      const value = await vscode.window.showInputBox({
        title: vscode.l10n.t('Prompt {0}', prompt.name),
        prompt: input.name,
        placeHolder: input.placeholder || undefined,
        ignoreFocusOut: true,
      });
      if (value === undefined) return false; // Esc: nothing is sent.
      inputs[input.name] = value;
    }

    const environment = await this.environment(editor, used);
    const attachments = await this.attachments(prompt, links);
    const text = expandVariables(prompt.body, environment, inputs).trim();
    if (text === '' && attachments.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('The prompt {0} has no text to send.', prompt.name));
      return false;
    }
    this.deps.log.info(`Running prompt ${prompt.name} (${prompt.location}) to ${route.kind}${prompt.model ? ` with model ${prompt.model}` : ''}`);

    switch (route.kind) {
      case 'chat':
        return this.deps.chat.ask(text, attachments, () => this.deps.revealPanel(), prompt.model ? { model: prompt.model } : {});
      case 'replace-selection':
        return this.replaceSelection(prompt, editor, text, attachments);
      case 'insert':
      case 'new-document':
        return this.answerIntoEditor(prompt, route.kind, editor, text, attachments);
    }
  }

  private explainRefusal(prompt: LoadedPrompt, route: Extract<PromptRoute, { kind: 'refused' }>): void {
    const message = {
      needsEditor: vscode.l10n.t('The prompt {0} writes its answer into the editor: open a file first.', prompt.name),
      needsSelection: vscode.l10n.t('The prompt {0} rewrites the selection: select some code first.', prompt.name),
      readOnly: vscode.l10n.t('The prompt {0} writes its answer into the editor, but this document is read-only.', prompt.name),
      imagesInEdit: vscode.l10n.t('The prompt {0} rewrites the selection, which cannot take images: remove the image links or use another output.', prompt.name),
    }[route.reason];
    void vscode.window.showInformationMessage(message);
  }

  private async environment(editor: vscode.TextEditor | undefined, used: ReadonlySet<string>): Promise<PromptEnvironment> {
    const environment: PromptEnvironment = {};
    const folder = (editor && vscode.workspace.getWorkspaceFolder(editor.document.uri)) ?? vscode.workspace.workspaceFolders?.[0];
    if (folder) {
      environment.workspaceFolder = folder.uri.scheme === 'file' ? folder.uri.fsPath : folder.uri.path;
      environment.workspaceFolderBasename = folder.name;
    }
    if (used.has('clipboard')) environment.clipboard = await vscode.env.clipboard.readText();
    if (!editor) return environment;
    const { document } = editor;
    const fileName = pathForModel(document.uri);
    environment.file = fileName;
    environment.fileBasename = path.basename(document.uri.path);
    environment.language = document.languageId;
    if (!editor.selection.isEmpty) environment.selection = document.getText(editor.selection);
    if (used.has('diagnostics')) {
      const lines = vscode.languages
        .getDiagnostics(document.uri)
        .map((diagnostic) => ({
          line: diagnostic.range.start.line + 1,
          severity: PROBLEM_SEVERITIES[diagnostic.severity],
          message: diagnostic.message,
          source: diagnostic.source,
        }))
        .sort((a, b) => a.line - b.line);
      environment.diagnostics = formatDiagnostics(fileName, lines);
    }
    return environment;
  }

  /**
   * The files and images the body links to, relative to the prompt file. Only files inside a
   * workspace folder, and none the ignore list keeps from the model; each one left out is named.
   */
  private async attachments(prompt: LoadedPrompt, links: ReturnType<typeof localLinks>): Promise<ChatContext[]> {
    const attached: ChatContext[] = [];
    const base = vscode.Uri.joinPath(prompt.uri, '..');
    for (const link of links) {
      const uri = vscode.Uri.joinPath(base, link.target);
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      if (!folder) {
        this.skipLink(prompt, link.target, vscode.l10n.t('it is not in the workspace'));
        continue;
      }
      const ignored = await ignoreMatchFor(uri);
      if (ignored) {
        this.skipLink(prompt, link.target, vscode.l10n.t('it matches {0} in {1}', ignored.pattern, localisedSource(ignored.source)));
        continue;
      }
      const name = path.basename(uri.path);
      let size: number;
      try {
        ({ size } = await vscode.workspace.fs.stat(uri));
      } catch {
        this.skipLink(prompt, link.target, vscode.l10n.t('it does not exist'));
        continue;
      }
      // The size before reading: a link to a huge file must not have it read into memory to be refused.
      if (link.image) {
        if (size > MAX_IMAGE_BYTES) {
          this.deps.rejectImage(name, 'size');
          continue;
        }
        let bytes: Uint8Array;
        try {
          bytes = await vscode.workspace.fs.readFile(uri);
        } catch {
          this.skipLink(prompt, link.target, vscode.l10n.t('it does not exist'));
          continue;
        }
        const mimeType = sniffImageType(bytes);
        const dataUrl = mimeType ? toDataUrl(mimeType, bytes) : '';
        const checked = mimeType ? checkImageDataUrl(dataUrl) : { problem: 'type' as const };
        if ('problem' in checked) {
          this.deps.rejectImage(name, checked.problem);
          continue;
        }
        attached.push({ kind: 'image', name, mimeType: checked.mimeType, dataUrl });
        continue;
      }
      if (size > MAX_LINKED_FILE_BYTES) {
        this.skipLink(prompt, link.target, vscode.l10n.t('it is too large or not text'));
        continue;
      }
      const document = await vscode.workspace.openTextDocument(uri);
      const text = document.getText();
      if (text.length > MAX_LINKED_FILE_CHARS || text.includes('\u0000')) {
        this.skipLink(prompt, link.target, vscode.l10n.t('it is too large or not text'));
        continue;
      }
      const file: SelectionContext = {
        kind: 'selection',
        fileName: vscode.workspace.asRelativePath(uri, false),
        languageId: document.languageId,
        startLine: 1,
        endLine: Math.max(1, document.lineCount),
        text,
      };
      attached.push(file);
    }
    return attached;
  }

  private skipLink(prompt: LoadedPrompt, target: string, reason: string): void {
    this.deps.log.info(`Prompt ${prompt.name}: the link ${target} is not attached: ${reason}`);
    void vscode.window.showWarningMessage(vscode.l10n.t('The prompt {0} links to {1}, which is not attached: {2}.', prompt.name, target, reason));
  }

  /** The existing refactor flow (Accept / Reject, exact restore), with the prompt as its instruction. */
  private async replaceSelection(prompt: LoadedPrompt, editor: vscode.TextEditor | undefined, text: string, attachments: readonly ChatContext[]): Promise<boolean> {
    if (!editor) return false;
    // The rewrite needs its editor active; the palette or the panel may have the focus.
    await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, selection: editor.selection });
    const files = attachments.filter((context): context is SelectionContext => context.kind === 'selection');
    if (attachments.some((context) => context.kind === 'image')) {
      // The rewrite asks for code in place of the selection, in text: say so instead of dropping them silently.
      void vscode.window.showWarningMessage(vscode.l10n.t('The prompt {0} rewrites the selection, which sends text only: its images are not attached.', prompt.name));
    }
    const instruction = [text, ...files.map(formatSelection)].join('\n\n');
    const started = await vscode.commands.executeCommand<boolean | undefined>(CommandIds.refactorSelection, { instruction, ...(prompt.model ? { model: prompt.model } : {}) });
    return started === true;
  }

  /** Asks for the whole answer (with a cancellable notification), then puts its code at the cursor or in a new document. */
  private async answerIntoEditor(
    prompt: LoadedPrompt,
    kind: 'insert' | 'new-document',
    editor: vscode.TextEditor | undefined,
    text: string,
    attachments: readonly ChatContext[],
  ): Promise<boolean> {
    const answer = await this.completeAnswer(prompt, text, attachments);
    if (answer === undefined) return false;
    const { code, language, fenced } = codeOfAnswer(answer);
    if (code.trim() === '') {
      void vscode.window.showInformationMessage(vscode.l10n.t('The model returned no answer, so nothing was changed.'));
      return false;
    }
    if (kind === 'new-document') {
      const document = await vscode.workspace.openTextDocument({ language: fenced ? languageIdFor(language) : 'markdown', content: code });
      await vscode.window.showTextDocument(document);
      return true;
    }
    if (!editor || editor.document.isClosed) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a file first: the code goes into the active editor.'));
      return false;
    }
    const shown = await vscode.window.showTextDocument(editor.document, editor.viewColumn);
    // One edit, so one Undo takes it back.
    return shown.edit((builder) => builder.insert(shown.selection.active, code));
  }

  private async completeAnswer(prompt: LoadedPrompt, text: string, attachments: readonly ChatContext[]): Promise<string | undefined> {
    const resolved = await this.deps.resolver.resolve();
    if (!resolved) return undefined;
    // The settings' parameters as for chat, but never JSON mode: the answer is code for the editor.
    const { response_format: _jsonMode, ...parameters } = parametersFor(resolved);
    const model = prompt.model ?? resolved.settings.profile.model;
    const route = routeFor(resolved);
    const request: ChatRequest = {
      ...parameters,
      model,
      messages: [
        { role: 'system', content: SYSTEM_PROMPT },
        { role: 'user', content: formatUserContent(text, attachments, resolved.settings.client.imageDetail) },
      ],
      stream: true,
    };
    const mask = secretMasker(requestSecrets(route.apiKey, route.secretHeaders));
    let failure: GatewayErrorInfo | undefined;
    const answer = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Running prompt {0}…', prompt.name), cancellable: true },
      async (_progress, token) => {
        const controller = new AbortController();
        const cancel = token.onCancellationRequested(() => controller.abort());
        let collected = '';
        try {
          for await (const event of this.deps.stream({ ...route, request, signal: controller.signal })) {
            if (event.type === 'text') collected += event.text;
            if (event.type === 'error') {
              failure = { ...event.error, message: mask(event.error.message) };
              break;
            }
          }
        } finally {
          cancel.dispose();
        }
        return controller.signal.aborted ? undefined : collected;
      },
    );
    if (failure) {
      this.deps.log.error(`Prompt ${prompt.name}: ${failure.kind}${failure.status ? ` ${failure.status}` : ''}: ${failure.message}`);
      const view = describeGatewayError(failure, route.baseUrl, { model, hadImages: attachments.some((context) => context.kind === 'image') });
      const labels = actionLabels();
      const actions = [...new Set([...view.actions, 'showLog' as const])];
      void vscode.window.showErrorMessage(view.message, ...actions.map((action) => labels[action])).then((choice) => {
        const action = actions.find((candidate) => labels[candidate] === choice);
        if (action) runErrorAction(action, { retry: () => this.run(prompt), log: this.deps.log });
      });
      return undefined;
    }
    return answer;
  }
}
