import * as vscode from 'vscode';
import type { ChatViewProvider } from '../panel/chatViewProvider';
import type { HistoryStore } from '../services/historyStore';
import { CommandIds } from '../commandIds';

interface ConversationItem extends vscode.QuickPickItem {
  id: string;
}

/** "Show Chat History": reopen a conversation, or delete one with its trash button. */
async function showHistory(history: HistoryStore, panel: ChatViewProvider): Promise<void> {
  await history.whenLoaded();
  const deleteButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: vscode.l10n.t('Delete Conversation') };
  const picker = vscode.window.createQuickPick<ConversationItem>();
  picker.title = vscode.l10n.t('Fox Chat: Chat History');
  picker.placeholder = vscode.l10n.t('Reopen a conversation');
  picker.matchOnDetail = true;
  const render = (): void => {
    const conversations = history.list();
    picker.items = conversations.map((conversation) => ({
      id: conversation.id,
      label: conversation.title || vscode.l10n.t('(empty conversation)'),
      description: new Date(conversation.updatedAt).toLocaleString(vscode.env.language),
      detail: vscode.l10n.t('{0} messages', conversation.turns.length),
      buttons: [deleteButton],
    }));
    if (conversations.length === 0) {
      picker.placeholder = vscode.l10n.t('No conversations yet');
    }
  };
  render();
  const disposables = [
    picker.onDidTriggerItemButton((event) => {
      history.delete(event.item.id);
      render();
    }),
    picker.onDidAccept(async () => {
      const chosen = picker.selectedItems[0];
      picker.hide();
      if (chosen && (await history.open(chosen.id))) {
        await panel.reveal();
      }
    }),
    picker.onDidHide(() => {
      disposables.forEach((disposable) => {
        disposable.dispose();
      });
      picker.dispose();
    }),
  ];
  picker.show();
}

export function registerHistoryCommands(context: vscode.ExtensionContext, history: HistoryStore, panel: ChatViewProvider): void {
  context.subscriptions.push(vscode.commands.registerCommand(CommandIds.showHistory, () => showHistory(history, panel)));
}
