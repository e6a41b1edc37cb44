import * as vscode from 'vscode';
import { readIgnoreFilePatterns } from '../config/settings';
import { abortable } from '../tools/abortable';
import { IGNORE_FILE_NAME, IgnoreList, type IgnoreMatch, type IgnoreSource } from '../tools/ignoreList';

// The one place the ignore list meets VS Code: it reads each folder's .foxchatignore and the user's
// setting, and refuses selections from ignored files before they are sent as context.

/** The rules for files of `folder`: defaults, its .foxchatignore (read now, so edits count at once), the setting. */
export async function ignoreListFor(folder: { readonly uri: vscode.Uri } | undefined, signal?: AbortSignal): Promise<IgnoreList> {
  const settingPatterns = readIgnoreFilePatterns();
  if (!folder) return new IgnoreList({ settingPatterns });
  let ignoreFile: string | undefined;
  try {
    const bytes = await abortable(vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, IGNORE_FILE_NAME)), signal);
    ignoreFile = new TextDecoder().decode(bytes);
  } catch (error) {
    if (signal?.aborted) throw error;
    // No .foxchatignore: only the defaults and the setting apply.
  }
  return new IgnoreList({ ignoreFile, settingPatterns });
}

/**
 * The path the rules judge: relative to its workspace folder, or for a file outside every folder the
 * whole path (so ~/.aws/credentials still matches ".aws/").
 */
export function ignorePathOf(uri: vscode.Uri, folder: vscode.WorkspaceFolder | undefined): string {
  if (folder) return vscode.workspace.asRelativePath(uri, false);
  return uri.path.replace(/^\/+/, '').replace(/^[a-zA-Z]:\/?/, '');
}

/** The rule that keeps `uri` from the model, or undefined. Untitled documents have no name to match. */
export async function ignoreMatchFor(uri: vscode.Uri): Promise<IgnoreMatch | undefined> {
  if (uri.scheme === 'untitled') return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  return (await ignoreListFor(folder)).match(ignorePathOf(uri, folder));
}

export function localisedSource(source: IgnoreSource): string {
  switch (source) {
    case 'builtin':
      return vscode.l10n.t("Fox Chat's ignore list of secret files");
    case 'foxchatignore':
      return vscode.l10n.t("the workspace's .foxchatignore");
    case 'setting':
      return vscode.l10n.t('the foxChat.ignoreFiles setting');
  }
}

/**
 * True (and the user told why) when `document` is in the ignore list, so its selection must not be
 * sent. Every command that sends the editor's selection calls this first.
 */
export async function refuseIgnoredSelection(document: Pick<vscode.TextDocument, 'uri'>): Promise<boolean> {
  const match = await ignoreMatchFor(document.uri);
  if (!match) return false;
  const name = vscode.workspace.asRelativePath(document.uri, false);
  const openSettings = vscode.l10n.t('Open Settings');
  void vscode.window
    .showWarningMessage(
      vscode.l10n.t(
        '{0} matches {1} in {2}, so it is not sent. If this file holds nothing secret, change that rule (a "!" line in the foxChat.ignoreFiles setting re-includes a built-in pattern).',
        name,
        match.pattern,
        localisedSource(match.source),
      ),
      openSettings,
    )
    .then((choice) => {
      if (choice === openSettings) void vscode.commands.executeCommand('workbench.action.openSettings', 'foxChat.ignoreFiles');
    });
  return true;
}
