import * as vscode from 'vscode';
import type { ChatSession } from '../chat/chatSession';
import { CommandIds, ContextKeys, WALKTHROUGH_ID } from '../commandIds';

/** globalState key: the context key is not persisted by VS Code, the fact that an answer arrived is. */
const HAS_ANSWERED_STATE = 'foxChat.walkthrough.hasAnswered';
const SAMPLE_FOLDER = 'walkthrough';
const SAMPLE_FILE = 'fox-chat-sample.ts';

/** The sample of the Explain / Refactor steps: one function worth explaining and simplifying. */
function sampleSource(): string {
  return [
    `// ${vscode.l10n.t('Fox Chat walkthrough sample: the function below is selected.')}`,
    `// ${vscode.l10n.t('Right-click it and choose Fox Chat > Explain Selection or Refactor Selection…')}`,
    '',
    'export function groupBy<T>(items: T[], keyOf: (item: T) => string): Record<string, T[]> {',
    '  const groups: Record<string, T[]> = {};',
    '  for (let i = 0; i < items.length; i++) {',
    '    const key = keyOf(items[i]);',
    '    if (groups[key] === undefined) {',
    '      groups[key] = [];',
    '    }',
    '    groups[key].push(items[i]);',
    '  }',
    '  return groups;',
    '}',
    '',
    "console.log(groupBy(['fox', 'fennec', 'wolf', 'coyote'], (animal) => animal[0]));",
    '',
  ].join('\n');
}

/**
 * The whole first exported function of `document`, found in its current text rather than assumed,
 * because a sample with unsaved changes (e.g. a refactor under review) is shown as it is.
 */
function functionSelection(document: vscode.TextDocument): vscode.Selection | undefined {
  let start: number | undefined;
  for (let line = 0; line < document.lineCount; line++) {
    const text = document.lineAt(line).text;
    if (start === undefined && text.startsWith('export function ')) {
      start = line;
    } else if (start !== undefined && text === '}') {
      return new vscode.Selection(start, 0, line, 1);
    }
  }
  return undefined;
}

/**
 * Writes the sample into the extension's global storage (a real file: an untitled one would ask
 * to be saved when closed, and one in the workspace would litter the user's project) and shows it
 * with the function selected.
 */
async function openSampleFile(storage: vscode.Uri): Promise<void> {
  const folder = vscode.Uri.joinPath(storage, SAMPLE_FOLDER);
  const uri = vscode.Uri.joinPath(folder, SAMPLE_FILE);
  const fresh = sampleSource();
  let document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString());
  if (!document) {
    await vscode.workspace.fs.createDirectory(folder);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(fresh));
    document = await vscode.workspace.openTextDocument(uri);
  } else if (!document.isDirty && document.getText() !== fresh) {
    // Still open with an accepted refactor saved: reset it through the editor, since a write to
    // disk would reach the open document only later, after the selection below was computed.
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(0, 0, document.lineCount, 0), fresh);
    await vscode.workspace.applyEdit(edit);
    await document.save();
  }
  const selection = functionSelection(document);
  const visible = vscode.window.visibleTextEditors.find((editor) => editor.document === document);
  // From the Get Started page (not a text editor) the sample opens beside it, so the steps stay in view.
  const besideThePage = vscode.window.activeTextEditor === undefined && vscode.window.tabGroups.activeTabGroup.activeTab !== undefined;
  const editor = await vscode.window.showTextDocument(document, {
    viewColumn: visible?.viewColumn ?? (besideThePage ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active),
    preview: false,
  });
  if (selection) {
    editor.selection = selection;
    editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}

/**
 * Sets the context key that completes the walkthrough's "ask" step once a chat answer has really
 * arrived (a command that merely ran would count a question that failed or was stopped), and
 * remembers that it did. Returns what announces the remembered answer again.
 *
 * VS Code checks an `onContext` step only when the key turns true after it registered the
 * walkthrough, which it does a moment after startup (seconds, in code-server); a key already true by
 * then is ignored for the rest of the session, live answers included. The chat view restored at
 * startup activates Fox Chat before that, so the remembered answer is announced when the user opens
 * the walkthrough with "Get Started", not on activation. (The page keeps its own checkmarks across
 * reloads; the memory matters when that progress was reset.)
 */
function trackAnswers(context: vscode.ExtensionContext, session: Pick<ChatSession, 'subscribe'>): () => void {
  const announce = (): void => void vscode.commands.executeCommand('setContext', ContextKeys.hasAnswered, true);
  context.subscriptions.push(
    session.subscribe({
      turnFinished: (turn) => {
        // A round that only called tools finishes a turn too; the answer comes after the tools ran.
        if (turn.state !== 'done' || (turn.toolCalls?.length ?? 0) > 0) {
          return;
        }
        if (context.globalState.get<boolean>(HAS_ANSWERED_STATE) !== true) {
          void context.globalState.update(HAS_ANSWERED_STATE, true);
        }
        announce();
      },
    }),
  );
  return () => {
    if (context.globalState.get<boolean>(HAS_ANSWERED_STATE) === true) {
      announce();
    }
  };
}

/** The Get Started walkthrough's commands and the progress it cannot see by itself. */
export function registerWalkthroughCommands(context: vscode.ExtensionContext, session: Pick<ChatSession, 'subscribe'>): void {
  const announceRememberedAnswer = trackAnswers(context, session);
  context.subscriptions.push(
    vscode.commands.registerCommand(CommandIds.openWalkthrough, () => {
      announceRememberedAnswer();
      return vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#${WALKTHROUGH_ID}`, false);
    }),
    vscode.commands.registerCommand(CommandIds.openSampleFile, async () => {
      try {
        await openSampleFile(context.globalStorageUri);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        void vscode.window.showErrorMessage(vscode.l10n.t('Fox Chat could not open the walkthrough sample: {0}', reason));
      }
    }),
  );
}
