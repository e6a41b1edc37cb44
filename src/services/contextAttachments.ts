import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChatSession } from '../chat/chatSession';
import {
  exceedsPendingLimit,
  formatProblems,
  looksBinary,
  makeAttachment,
  MAX_ATTACHED_FILE_BYTES,
  MAX_ATTACHMENT_CHARS,
  MAX_PENDING_CHARS,
  plainTerminalText,
  withoutIgnoredFiles,
  type Problem,
  type ProblemSeverity,
} from '../chat/contextAttachments';
import type { ChatContext } from '../chat/prompts';
import { pathForModel, selectionContext } from '../editor/selectionContext';
import type { ContextSource } from '../protocol';
import { ignoreListFor, ignorePathOf, refuseIgnoredSelection } from './ignoredFiles';
import { excludeGlob } from './workspaceTools';

// @-context of the composer: gathers what the user chose (a file, the selection, the active file's
// problems, the working tree's diff, the last terminal command's output) as capped text and attaches
// it to the next question. Nothing from a file in the ignore list is ever attached.

/** Files the @file quick pick lists at most (it filters as the user types). */
const MAX_PICKED_FILES = 5_000;
/** Raw terminal output kept per command while it runs; its end is what matters. */
const MAX_TERMINAL_CHARS = 2 * MAX_ATTACHMENT_CHARS;

/** The part of the built-in Git extension's API (vscode.git, getAPI(1)) used here. */
interface GitRepository {
  readonly rootUri: vscode.Uri;
  diff(cached?: boolean): Promise<string>;
}
interface GitApi {
  /** 'uninitialized' until the extension has looked for the workspace's repositories. */
  readonly state: 'uninitialized' | 'initialized';
  readonly onDidChangeState: vscode.Event<'uninitialized' | 'initialized'>;
  readonly repositories: readonly GitRepository[];
  getRepository(uri: vscode.Uri): GitRepository | null;
}

/** How long @diff waits for the Git extension to find the workspace's repositories (it does so once, at startup). */
const GIT_INIT_TIMEOUT_MS = 10_000;

function initialized(api: GitApi): Promise<void> {
  if (api.state === 'initialized') return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      listener.dispose();
      resolve();
    };
    const timer = setTimeout(done, GIT_INIT_TIMEOUT_MS);
    const listener = api.onDidChangeState((state) => {
      if (state === 'initialized') done();
    });
  });
}
interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): GitApi;
}

interface TerminalCommand {
  commandLine: string;
  output: string;
  exitCode?: number;
}

/** VS Code's diagnostic severities by the names the model reads (@problems, ${diagnostics}). */
export const PROBLEM_SEVERITIES: Record<vscode.DiagnosticSeverity, ProblemSeverity> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

function toProblem(diagnostic: vscode.Diagnostic): Problem {
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  return {
    line: diagnostic.range.start.line,
    character: diagnostic.range.start.character,
    severity: PROBLEM_SEVERITIES[diagnostic.severity],
    message: diagnostic.message,
    source: diagnostic.source,
    code,
  };
}

/** The editor @selection and @problems mean: the active one, or the one shown when the panel has focus. */
function currentEditor(): vscode.TextEditor | undefined {
  return vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors.find((editor) => editor.document.uri.scheme !== 'output');
}

const inform = (message: string): void => void vscode.window.showInformationMessage(message);

export class ContextAttachments implements vscode.Disposable {
  /** The last finished command of each terminal, and the commands still running. */
  private readonly lastCommand = new WeakMap<vscode.Terminal, TerminalCommand>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly session: ChatSession,
    /** Runs after something was attached (the quick pick took focus from the composer). */
    private readonly attached: () => void,
  ) {
    this.disposables.push(
      vscode.window.onDidStartTerminalShellExecution((event) => void this.record(event.terminal, event.execution)),
    );
  }

  /** Reads a command's output as it runs: shell integration only hands it out from the start. */
  private async record(terminal: vscode.Terminal, execution: vscode.TerminalShellExecution): Promise<void> {
    const command: TerminalCommand = { commandLine: execution.commandLine.value, output: '' };
    const ended = vscode.window.onDidEndTerminalShellExecution((event) => {
      if (event.execution !== execution) return;
      command.exitCode = event.exitCode;
      this.lastCommand.set(terminal, command);
      ended.dispose();
    });
    try {
      for await (const data of execution.read()) {
        command.output += data;
        if (command.output.length > 2 * MAX_TERMINAL_CHARS) command.output = command.output.slice(-MAX_TERMINAL_CHARS);
      }
    } catch {
      // The terminal closed while its command ran: what was read stays.
    }
  }

  async attach(source: ContextSource): Promise<void> {
    let context: ChatContext | undefined;
    try {
      context = await this.gather(source);
    } catch (error) {
      // A file deleted after it was picked, a Git command that failed: say so rather than nothing.
      const message = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(vscode.l10n.t('Fox Chat could not attach @{0}: {1}', source, message));
      return;
    }
    if (!context) return;
    if (exceedsPendingLimit(this.session.pendingContext, context)) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t(
          '{0} was not attached: with it the question would carry more than {1} characters of context. Remove an attachment first.',
          context.kind === 'image' ? context.name : context.kind === 'selection' ? context.fileName : context.label,
          MAX_PENDING_CHARS,
        ),
      );
      return;
    }
    this.session.attach(context);
    this.attached();
  }

  private gather(source: ContextSource): Promise<ChatContext | undefined> {
    switch (source) {
      case 'file':
        return this.pickFile();
      case 'selection':
        return this.selection();
      case 'problems':
        return this.problems();
      case 'diff':
        return this.diff();
      case 'terminal':
        return Promise.resolve(this.terminal());
    }
  }

  private async pickFile(): Promise<ChatContext | undefined> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) {
      inform(vscode.l10n.t('Open a folder first: @file attaches files of the workspace.'));
      return undefined;
    }
    const items = (async (): Promise<Array<vscode.QuickPickItem & { uri: vscode.Uri }>> => {
      // As the explorer and search show the workspace: without what files.exclude and search.exclude hide (node_modules).
      const found = await vscode.workspace.findFiles('**/*', excludeGlob(), MAX_PICKED_FILES);
      const lists = new Map<string, Awaited<ReturnType<typeof ignoreListFor>>>();
      const picks: Array<vscode.QuickPickItem & { uri: vscode.Uri }> = [];
      for (const uri of found) {
        const folder = vscode.workspace.getWorkspaceFolder(uri);
        const key = folder?.uri.toString() ?? '';
        let list = lists.get(key);
        if (!list) {
          list = await ignoreListFor(folder);
          lists.set(key, list);
        }
        if (list.match(ignorePathOf(uri, folder))) continue;
        const relative = vscode.workspace.asRelativePath(uri, folders.length > 1);
        const directory = path.posix.dirname(relative);
        picks.push({ label: path.posix.basename(relative), description: directory === '.' ? '' : directory, uri });
      }
      return picks.sort((a, b) => (a.description ?? '').localeCompare(b.description ?? '') || a.label.localeCompare(b.label));
    })();
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Fox Chat: Attach File'),
      placeHolder: vscode.l10n.t('Type to search the workspace files (files in the ignore list are not offered)'),
      matchOnDescription: true,
    });
    return picked && this.readFile(picked.uri);
  }

  private async readFile(uri: vscode.Uri): Promise<ChatContext | undefined> {
    const name = vscode.workspace.asRelativePath(uri, false);
    // Checked again at the moment of reading: the ignore list or .foxchatignore may have changed.
    if (await refuseIgnoredSelection({ uri })) return undefined;
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_ATTACHED_FILE_BYTES) {
      inform(vscode.l10n.t('{0} is too large to attach ({1} bytes; the limit is {2}).', name, stat.size, MAX_ATTACHED_FILE_BYTES));
      return undefined;
    }
    if (looksBinary(await vscode.workspace.fs.readFile(uri))) {
      inform(vscode.l10n.t('{0} is a binary file, so it was not attached.', name));
      return undefined;
    }
    // The document, not the bytes on disk: unsaved changes are what the user sees.
    const document = await vscode.workspace.openTextDocument(uri);
    return makeAttachment({
      source: 'file',
      label: name,
      heading: `File: ${name} (language: ${document.languageId})`,
      text: document.getText(),
      languageId: document.languageId,
    });
  }

  private async selection(): Promise<ChatContext | undefined> {
    const editor = currentEditor();
    const selection = editor && selectionContext(editor);
    if (!editor || !selection) {
      inform(vscode.l10n.t('Select some code in an editor first, then choose @selection.'));
      return undefined;
    }
    if (await refuseIgnoredSelection(editor.document)) return undefined;
    return selection;
  }

  private async problems(): Promise<ChatContext | undefined> {
    const editor = currentEditor();
    if (!editor) {
      inform(vscode.l10n.t('Open a file first: @problems attaches the problems of the active file.'));
      return undefined;
    }
    // A problem's message can quote the file it is about.
    if (await refuseIgnoredSelection(editor.document)) return undefined;
    const name = pathForModel(editor.document.uri);
    const problems = vscode.languages.getDiagnostics(editor.document.uri).map(toProblem);
    if (problems.length === 0) {
      inform(vscode.l10n.t('{0} has no problems to attach.', name));
      return undefined;
    }
    return makeAttachment({
      source: 'problems',
      label: vscode.l10n.t('Problems in {0}', path.basename(name)),
      heading: `Problems in ${name} (line:column severity: message)`,
      text: formatProblems(problems),
    });
  }

  private async gitApi(): Promise<GitApi | undefined> {
    const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
    if (!extension) return undefined;
    const exports = extension.isActive ? extension.exports : await extension.activate();
    return exports.enabled ? exports.getAPI(1) : undefined;
  }

  private async diff(): Promise<ChatContext | undefined> {
    let api: GitApi | undefined;
    try {
      api = await this.gitApi();
    } catch {
      api = undefined;
    }
    if (!api) {
      inform(vscode.l10n.t('@diff needs the built-in Git extension, which is disabled or not available (the git.enabled setting, or git not installed).'));
      return undefined;
    }
    await initialized(api);
    const editor = currentEditor();
    const repository = (editor && api.getRepository(editor.document.uri)) ?? api.repositories[0];
    if (!repository) {
      inform(vscode.l10n.t('No Git repository is open in this workspace, so there is no diff to attach.'));
      return undefined;
    }
    const [staged, unstaged] = await Promise.all([repository.diff(true), repository.diff(false)]);
    const folder = vscode.workspace.getWorkspaceFolder(repository.rootUri);
    const ignoreList = await ignoreListFor(folder);
    const isIgnored = (relative: string): boolean =>
      ignoreList.match(ignorePathOf(vscode.Uri.joinPath(repository.rootUri, relative), folder)) !== undefined;
    const filtered = withoutIgnoredFiles([staged, unstaged].filter((part) => part.trim() !== '').join('\n'), isIgnored);
    const repositoryName = path.basename(repository.rootUri.path);
    if (filtered.diff.trim() === '') {
      inform(
        filtered.omitted.length > 0
          ? vscode.l10n.t('The only changes in {0} are to files in the ignore list, so no diff was attached.', repositoryName)
          : vscode.l10n.t('The working tree of {0} has no changes to attach.', repositoryName),
      );
      return undefined;
    }
    const omittedNote = filtered.omitted.length > 0 ? `; changes to ${filtered.omitted.length} file(s) in the ignore list left out` : '';
    return makeAttachment({
      source: 'diff',
      label: vscode.l10n.t('Working tree diff'),
      heading: `Working tree diff of ${repositoryName} (staged and unstaged changes${omittedNote})`,
      text: filtered.diff,
      languageId: 'diff',
    });
  }

  private terminal(): ChatContext | undefined {
    const terminal = vscode.window.activeTerminal;
    if (!terminal) {
      inform(vscode.l10n.t('Open a terminal and run a command first: @terminal attaches the output of its last command.'));
      return undefined;
    }
    const command = this.lastCommand.get(terminal);
    if (!command) {
      inform(
        terminal.shellIntegration
          ? vscode.l10n.t('No command has finished in the active terminal since Fox Chat started. Run it again, then choose @terminal.')
          : vscode.l10n.t(
              "The active terminal has no shell integration, so Fox Chat cannot read a command's output. Use a shell VS Code supports (bash, zsh, fish, PowerShell) with terminal.integrated.shellIntegration.enabled on.",
            ),
      );
      return undefined;
    }
    const exit = command.exitCode === undefined ? '' : `, exit code ${command.exitCode}`;
    return makeAttachment({
      source: 'terminal',
      label: vscode.l10n.t('Terminal output: {0}', command.commandLine.length > 40 ? `${command.commandLine.slice(0, 39)}…` : command.commandLine),
      heading: `Terminal output of \`${command.commandLine.replace(/`/g, "'")}\`${exit}`,
      text: plainTerminalText(command.output),
      keep: 'end',
    });
  }

  dispose(): void {
    this.disposables.forEach((disposable) => {
      disposable.dispose();
    });
  }
}
