import * as vscode from 'vscode';
import { PROMPT_FILE_SUFFIX, scaffoldPromptFile } from '../chat/promptFile';
import { CommandIds } from '../commandIds';
import type { LoadedPrompt, PromptLibrary } from '../services/promptLibrary';
import type { PromptRunner } from '../services/promptRunner';

interface PromptItem extends vscode.QuickPickItem {
  prompt?: LoadedPrompt;
}

/** `{ "name": "review" }` (a keybinding's args) or a plain name. */
function nameArgument(args: unknown): string | undefined {
  const value = typeof args === 'string' ? args : typeof args === 'object' && args !== null ? (args as { name?: unknown }).name : undefined;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** `{ "body": "…" }`: the text a new prompt starts with (Save Question as Prompt). */
function bodyArgument(args: unknown): string | undefined {
  const value = typeof args === 'object' && args !== null ? (args as { body?: unknown }).body : undefined;
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** The quick pick of Run Prompt…: recently used first, then the rest in library order. */
async function pickPrompt(library: PromptLibrary): Promise<LoadedPrompt | undefined> {
  const recent = library.recent();
  const rank = (prompt: LoadedPrompt): number => {
    const index = recent.indexOf(prompt.name);
    return index < 0 ? Number.MAX_SAFE_INTEGER : index;
  };
  const prompts = [...library.all].sort((a, b) => rank(a) - rank(b));
  const item = (prompt: LoadedPrompt): PromptItem => ({ label: prompt.name, description: prompt.location, detail: prompt.description || undefined, prompt });
  const recentItems = prompts.filter((prompt) => rank(prompt) !== Number.MAX_SAFE_INTEGER).map(item);
  const otherItems = prompts.filter((prompt) => rank(prompt) === Number.MAX_SAFE_INTEGER).map(item);
  const items: PromptItem[] =
    recentItems.length > 0
      ? [
          { label: vscode.l10n.t('recently used'), kind: vscode.QuickPickItemKind.Separator },
          ...recentItems,
          ...(otherItems.length > 0 ? [{ label: vscode.l10n.t('other prompts'), kind: vscode.QuickPickItemKind.Separator }, ...otherItems] : []),
        ]
      : otherItems;
  const chosen = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Fox Chat: Run Prompt'),
    placeHolder: vscode.l10n.t('Pick a prompt to run'),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return chosen?.prompt;
}

async function offerNewPrompt(message: string): Promise<void> {
  const create = vscode.l10n.t('New Prompt…');
  if ((await vscode.window.showInformationMessage(message, create)) === create) {
    await vscode.commands.executeCommand(CommandIds.newPrompt);
  }
}

interface FolderItem extends vscode.QuickPickItem {
  folder: vscode.Uri;
}

/** Where a new prompt goes: the repository (shared with the team) or the user's own folder. */
async function pickFolder(library: PromptLibrary): Promise<vscode.Uri | undefined> {
  const workspaceFolder =
    (vscode.window.activeTextEditor && vscode.workspace.getWorkspaceFolder(vscode.window.activeTextEditor.document.uri)) ?? vscode.workspace.workspaceFolders?.[0];
  const items: FolderItem[] = [];
  if (workspaceFolder && vscode.workspace.isTrusted) {
    items.push(
      { label: '.github/prompts', description: workspaceFolder.name, detail: vscode.l10n.t('In the repository, shared with your team (VS Code reads these too)'), folder: vscode.Uri.joinPath(workspaceFolder.uri, '.github', 'prompts') },
      { label: '.foxchat/prompts', description: workspaceFolder.name, detail: vscode.l10n.t('In the repository, for Fox Chat only'), folder: vscode.Uri.joinPath(workspaceFolder.uri, '.foxchat', 'prompts') },
    );
  }
  items.push({ label: vscode.l10n.t('your prompts'), detail: vscode.l10n.t('Only for you, in every workspace (foxChat.promptFolders)'), folder: library.userFolder() });
  if (items.length === 1) return items[0]?.folder;
  const chosen = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Fox Chat: New Prompt'), placeHolder: vscode.l10n.t('Where should the prompt be saved?') });
  return chosen?.folder;
}

function validateName(value: string): string | undefined {
  const name = value.trim();
  if (name === '') return vscode.l10n.t('Give the prompt a name.');
  const control = [...name].some((char) => char.charCodeAt(0) < 0x20);
  if (/[\\/:*?"<>|]/.test(name) || control || name.startsWith('.')) return vscode.l10n.t('A prompt name cannot start with a dot or contain \\ / : * ? " < > |.');
  return undefined;
}

/** "New Prompt…" and Save Question as Prompt: name, place, then the file opens for editing. */
async function newPrompt(library: PromptLibrary, body: string | undefined): Promise<void> {
  const name = await vscode.window.showInputBox({
    title: vscode.l10n.t('Fox Chat: New Prompt'),
    prompt: vscode.l10n.t('The name you run it by: "Run Prompt…", /name in the chat, or a keybinding.'),
    placeHolder: vscode.l10n.t('review-code'),
    value: body ? body.trim().split('\n')[0]?.replace(/[^\p{L}\p{N}\s-]/gu, ' ').trim().toLowerCase().split(/\s+/).slice(0, 4).join('-') : undefined,
    validateInput: validateName,
    ignoreFocusOut: true,
  });
  if (name === undefined) return;
  const folder = await pickFolder(library);
  if (!folder) return;
  const uri = vscode.Uri.joinPath(folder, `${name.trim()}${PROMPT_FILE_SUFFIX}`);
  const exists = await vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
  if (exists) {
    void vscode.window.showWarningMessage(vscode.l10n.t('A prompt file {0} already exists; it is opened instead.', `${name.trim()}${PROMPT_FILE_SUFFIX}`));
  } else {
    const description = body ? body.trim().split('\n')[0]?.slice(0, 80) ?? '' : vscode.l10n.t('What this prompt does');
    const text =
      body ??
      vscode.l10n.t(
        'Describe the task here. {0} is the selected code, {1} the file, {2} asks you for a value when the prompt runs; links to workspace files attach them.',
        '${selection}',
        '${file}',
        '${input:topic:What about?}',
      );
    await vscode.workspace.fs.createDirectory(folder);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(scaffoldPromptFile(description, text)));
    library.refresh();
  }
  await vscode.window.showTextDocument(uri);
}

/** Run Prompt… (a quick pick, or `{ "name": … }` from a keybinding) and New Prompt…. */
export function registerPromptCommands(context: vscode.ExtensionContext, library: PromptLibrary, runner: PromptRunner): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(CommandIds.runPrompt, async (args?: unknown) => {
      await library.ready();
      const name = nameArgument(args);
      let prompt: LoadedPrompt | undefined;
      if (name !== undefined) {
        prompt = library.find(name);
        if (!prompt) {
          void offerNewPrompt(vscode.l10n.t('There is no prompt named {0}. Prompts are read from .github/prompts, .foxchat/prompts and your own prompt folders.', name));
          return false;
        }
      } else if (library.all.length === 0) {
        void offerNewPrompt(
          vscode.workspace.isTrusted
            ? vscode.l10n.t('There are no prompts yet. Add *.prompt.md files to .github/prompts or .foxchat/prompts, or create your own.')
            : vscode.l10n.t('There are no prompts of your own yet; the workspace prompt files load once you trust this workspace.'),
        );
        return false;
      } else {
        prompt = await pickPrompt(library);
        if (!prompt) return false;
      }
      await library.markUsed(prompt.name);
      return runner.run(prompt);
    }),
    vscode.commands.registerCommand(CommandIds.newPrompt, (args?: unknown) => newPrompt(library, bodyArgument(args))),
  );
}
