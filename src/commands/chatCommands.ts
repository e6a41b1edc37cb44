import * as vscode from 'vscode';
import type { SelectionContext } from '../chat/prompts';
import { selectionContext } from '../editor/selectionContext';
import { TEST_PLAN_FORMAT } from '../chat/testPlan';
import type { ChatViewProvider } from '../panel/chatViewProvider';
import type { ChatService } from '../services/chatService';
import { refuseIgnoredSelection } from '../services/ignoredFiles';
import { CommandIds } from '../commandIds';

/**
 * The active editor's selection as context; without one, `hint` tells the user what to do. A
 * selection from a file in the ignore list (secrets) is refused, and the user told why.
 */
async function activeSelectionOrExplain(hint: string): Promise<SelectionContext | undefined> {
  const editor = vscode.window.activeTextEditor;
  const selection = editor && selectionContext(editor);
  if (!selection) void vscode.window.showInformationMessage(hint);
  if (editor && selection && (await refuseIgnoredSelection(editor.document))) return undefined;
  return selection;
}

function isContextList(value: unknown): value is SelectionContext[] {
  return (
    Array.isArray(value) &&
    value.every((item: unknown) => typeof item === 'object' && item !== null && (item as { kind?: unknown }).kind === 'selection' && typeof (item as { text?: unknown }).text === 'string')
  );
}

export function registerChatCommands(
  context: vscode.ExtensionContext,
  chat: ChatService,
  panel: ChatViewProvider,
  log: vscode.LogOutputChannel,
): void {
  context.subscriptions.push(
    // Other commands pass the question and what to attach (Ask About Selection).
    vscode.commands.registerCommand(CommandIds.ask, async (question?: unknown, attach?: unknown) => {
      const text =
        typeof question === 'string' && question.trim().length > 0
          ? question
          : await vscode.window.showInputBox({
              title: vscode.l10n.t('Fox Chat: Ask'),
              prompt: vscode.l10n.t('Ask a question; the answer streams into the Fox Chat panel.'),
              placeHolder: vscode.l10n.t('How do I debounce a function in TypeScript?'),
              ignoreFocusOut: true,
            });
      if (!text || text.trim().length === 0) {
        return;
      }
      await chat.ask(text.trim(), isContextList(attach) ? attach : [], () => panel.reveal());
    }),
    vscode.commands.registerCommand(CommandIds.explainSelection, async () => {
      const selection = await activeSelectionOrExplain(vscode.l10n.t('Select some code first, then run Explain Selection.'));
      if (!selection) return;
      await chat.ask(vscode.l10n.t('Explain what this code does, step by step, and point out anything surprising.'), [selection], () =>
        panel.reveal(),
      );
    }),
    vscode.commands.registerCommand(CommandIds.suggestTests, async () => {
      const selection = await activeSelectionOrExplain(vscode.l10n.t('Select some code first, then run Suggest Tests for Selection.'));
      if (!selection) return;
      const question = vscode.l10n.t(
        'Suggest tests for this code as a test plan: the test framework the project most likely uses, and for each test a name, its kind (unit, edge, error or property), the input or setup, and the expected result.',
      );
      // A test plan has a fixed shape, so it is asked for as JSON: the panel shows it as a tree.
      await chat.ask(question, [selection], () => panel.reveal(), { responseFormat: TEST_PLAN_FORMAT, tools: false });
    }),
    vscode.commands.registerCommand(CommandIds.addSelectionToChat, async () => {
      const selection = await activeSelectionOrExplain(vscode.l10n.t('Select some code first, then add it to the chat.'));
      if (!selection) return;
      chat.session.attach(selection);
      await panel.reveal();
      panel.focusComposer();
    }),
    vscode.commands.registerCommand(CommandIds.stop, () => chat.stop()),
    vscode.commands.registerCommand(CommandIds.newChat, async () => {
      chat.newChat();
      await panel.reveal();
      panel.focusComposer();
    }),
    vscode.commands.registerCommand(CommandIds.showLog, () => log.show()),
  );
}
