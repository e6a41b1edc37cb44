import * as vscode from 'vscode';
import { CommandIds } from '../commandIds';
import { originOf } from '../config/gatewayOrigin';
import { onDidChangeSettings, readSettings } from '../config/settings';

/** The active profile and model in the status bar; a click opens Select Model. */
export function registerModelStatusBar(context: vscode.ExtensionContext): void {
  const item = vscode.window.createStatusBarItem('foxChat.model', vscode.StatusBarAlignment.Right, 100);
  item.name = vscode.l10n.t('Fox Chat Model');
  item.command = CommandIds.selectModel;
  const update = (): void => {
    try {
      const { profile } = readSettings();
      item.text = `$(comment-discussion) ${profile.model}`;
      item.tooltip = vscode.l10n.t('Fox Chat: {0} · {1} · {2}. Click to select a model.', profile.label, profile.model, originOf(profile.baseUrl) ?? profile.baseUrl);
      item.backgroundColor = undefined;
    } catch (error) {
      item.text = `$(warning) Fox Chat`;
      item.tooltip = error instanceof Error ? error.message : String(error);
      item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    }
    item.show();
  };
  update();
  context.subscriptions.push(item, onDidChangeSettings(update));
}
