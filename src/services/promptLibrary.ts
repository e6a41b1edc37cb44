import * as os from 'node:os';
import * as vscode from 'vscode';
import { parsePromptFile, PROMPT_FILE_SUFFIX, type PromptFile } from '../chat/promptFile';
import { readPromptFolders } from '../config/settings';
import type { PromptSource, PromptSummary } from '../protocol';

/** A prompt file as loaded: what it says, and where it was found. */
export interface LoadedPrompt extends PromptFile {
  source: PromptSource;
  uri: vscode.Uri;
  /** Where it comes from, for display (see PromptSummary.location). */
  location: string;
  /** The workspace folder of a workspace prompt; links in its body resolve inside it. */
  workspaceFolder?: vscode.WorkspaceFolder;
}

interface PromptFolder {
  uri: vscode.Uri;
  source: PromptSource;
  location: string;
  workspaceFolder?: vscode.WorkspaceFolder;
}

/** Workspace sources in the order a name is looked up: Fox Chat's own folder before the shared one. */
const WORKSPACE_FOLDERS: readonly { path: string; source: PromptSource }[] = [
  { path: '.foxchat/prompts', source: 'foxchat' },
  { path: '.github/prompts', source: 'github' },
];
const SOURCE_ORDER: readonly PromptSource[] = ['foxchat', 'github', 'user'];
const RECENT_KEY = 'foxChat.recentPrompts';
const MAX_RECENT = 20;

/**
 * The prompt library: prompt files of the workspace (.foxchat/prompts, .github/prompts; only in a
 * trusted workspace, they are the repository's words sent as the user's) and of the user's folders
 * (foxChat.promptFolders, or the global storage's `prompts` folder). Watched, and reloaded on every
 * change; a malformed file is reported once, naming its line, and the others load.
 */
export class PromptLibrary implements vscode.Disposable {
  private prompts: LoadedPrompt[] = [];
  private readonly changed = new vscode.EventEmitter<readonly LoadedPrompt[]>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private watchers: vscode.Disposable[] = [];
  /** Problems already shown, so a reload does not show them again until the file changes. */
  private shownProblems = new Set<string>();
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private loading: Promise<void> = Promise.resolve();
  /** Settles once the reload that is scheduled but not started yet has run. */
  private scheduled: { promise: Promise<void>; resolve: () => void } | undefined;

  constructor(
    private readonly globalStorage: vscode.Uri,
    private readonly state: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.restart()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.restart()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('foxChat.promptFolders')) this.restart();
      }),
    );
    this.restart();
  }

  /** Every prompt, in lookup order (workspace before user, then by name). */
  get all(): readonly LoadedPrompt[] {
    return this.prompts;
  }

  /** Resolves once the loads scheduled or under way have finished (a command run at startup sees every prompt). */
  ready(): Promise<void> {
    return this.scheduled?.promise ?? this.loading;
  }

  /** The prompt `name` runs: the first in lookup order, matched exactly, else ignoring case. */
  find(name: string): LoadedPrompt | undefined {
    return this.prompts.find((prompt) => prompt.name === name) ?? this.prompts.find((prompt) => prompt.name.toLowerCase() === name.toLowerCase());
  }

  summaries(): PromptSummary[] {
    return this.prompts.map(({ name, description, source, location }) => ({ name, description, source, location }));
  }

  /** Loads again now (after Fox Chat wrote a prompt file itself, e.g. outside a watched workspace). */
  refresh(): void {
    this.scheduleReload(0);
  }

  /** Names of the prompts run lately, the latest first. */
  recent(): string[] {
    const stored = this.state.get<unknown>(RECENT_KEY);
    return Array.isArray(stored) ? stored.filter((name): name is string => typeof name === 'string') : [];
  }

  async markUsed(name: string): Promise<void> {
    await this.state.update(RECENT_KEY, [name, ...this.recent().filter((other) => other !== name)].slice(0, MAX_RECENT));
  }

  /** The folder "New Prompt…" writes user prompts to: the first of foxChat.promptFolders, or the global storage's. */
  userFolder(): vscode.Uri {
    return this.userFolders()[0] ?? vscode.Uri.joinPath(this.globalStorage, 'prompts');
  }

  private userFolders(): vscode.Uri[] {
    const configured = readPromptFolders().flatMap((folder) => {
      const expanded = folder.startsWith('~/') || folder === '~' ? os.homedir() + folder.slice(1) : folder;
      if (!/^([a-zA-Z]:)?[\\/]/.test(expanded)) {
        this.log.warn(`foxChat.promptFolders: ${folder} is not an absolute path; it is ignored`);
        return [];
      }
      return [vscode.Uri.file(expanded)];
    });
    return configured.length > 0 ? configured : [vscode.Uri.joinPath(this.globalStorage, 'prompts')];
  }

  private folders(): PromptFolder[] {
    const workspaceFolders = vscode.workspace.workspaceFolders ?? [];
    const inWorkspace = vscode.workspace.isTrusted
      ? workspaceFolders.flatMap((workspaceFolder) =>
          WORKSPACE_FOLDERS.map(({ path, source }) => ({
            uri: vscode.Uri.joinPath(workspaceFolder.uri, path),
            source,
            location: workspaceFolders.length > 1 ? `${workspaceFolder.name}/${path}` : path,
            workspaceFolder,
          })),
        )
      : [];
    const userLocation = vscode.l10n.t('your prompts');
    return [...inWorkspace, ...this.userFolders().map((uri) => ({ uri, source: 'user' as const, location: userLocation }))];
  }

  /** Watches the folders of now and loads them. */
  private restart(): void {
    for (const watcher of this.watchers.splice(0)) watcher.dispose();
    for (const folder of this.folders()) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder.uri, `*${PROMPT_FILE_SUFFIX}`));
      this.watchers.push(
        watcher,
        watcher.onDidCreate(() => this.scheduleReload()),
        watcher.onDidChange(() => this.scheduleReload()),
        watcher.onDidDelete(() => this.scheduleReload()),
      );
    }
    this.scheduleReload(0);
  }

  /** One reload for a burst of changes (a checkout touches many files at once). */
  private scheduleReload(delayMs = 150): void {
    if (this.reloadTimer !== undefined) clearTimeout(this.reloadTimer);
    if (!this.scheduled) {
      let resolve = (): void => undefined;
      const promise = new Promise<void>((settle) => (resolve = settle));
      this.scheduled = { promise, resolve };
    }
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = undefined;
      const scheduled = this.scheduled;
      this.scheduled = undefined;
      this.loading = this.loading
        .then(() => this.reload())
        .catch((error: unknown) => this.log.error(`Prompt library: loading failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => scheduled?.resolve());
    }, delayMs);
  }

  private async reload(): Promise<void> {
    const loaded: LoadedPrompt[] = [];
    const problems = new Set<string>();
    for (const folder of this.folders()) {
      let entries: [string, vscode.FileType][];
      try {
        entries = await vscode.workspace.fs.readDirectory(folder.uri);
      } catch {
        continue; // A folder that does not exist has no prompts.
      }
      const files = entries
        .filter(([name, type]) => (type & vscode.FileType.File) !== 0 && name.toLowerCase().endsWith(PROMPT_FILE_SUFFIX))
        .map(([name]) => name)
        .sort();
      for (const fileName of files) {
        const uri = vscode.Uri.joinPath(folder.uri, fileName);
        let text: string;
        try {
          text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        } catch (error) {
          this.log.warn(`Prompt file ${uri.fsPath} could not be read: ${error instanceof Error ? error.message : String(error)}`);
          continue;
        }
        const parsed = parsePromptFile(fileName, text);
        if ('problem' in parsed) {
          const key = `${uri.toString()}:${parsed.problem.line}:${parsed.problem.message}`;
          problems.add(key);
          if (!this.shownProblems.has(key)) this.reportProblem(uri, folder, fileName, parsed.problem.line, parsed.problem.message);
          continue;
        }
        loaded.push({ ...parsed.prompt, source: folder.source, uri, location: folder.location, workspaceFolder: folder.workspaceFolder });
      }
    }
    this.shownProblems = problems;
    loaded.sort((a, b) => SOURCE_ORDER.indexOf(a.source) - SOURCE_ORDER.indexOf(b.source) || a.name.localeCompare(b.name));
    this.prompts = loaded;
    this.log.info(`Prompt library: ${loaded.length} prompt(s) loaded${problems.size > 0 ? `, ${problems.size} file(s) with problems` : ''}`);
    this.changed.fire(this.prompts);
  }

  private reportProblem(uri: vscode.Uri, folder: PromptFolder, fileName: string, line: number, problem: string): void {
    const shown = folder.source === 'user' ? uri.fsPath : `${folder.location}/${fileName}`;
    this.log.warn(`Prompt file ${shown}, line ${line}: ${problem}`);
    const open = vscode.l10n.t('Open File');
    void vscode.window.showWarningMessage(vscode.l10n.t('The prompt file {0} was not loaded: line {1}: {2}', shown, line, problem), open).then(async (choice) => {
      if (choice !== open) return;
      const position = new vscode.Position(Math.max(0, line - 1), 0);
      await vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position) });
    });
  }

  dispose(): void {
    if (this.reloadTimer !== undefined) clearTimeout(this.reloadTimer);
    this.scheduled?.resolve();
    for (const watcher of this.watchers.splice(0)) watcher.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
