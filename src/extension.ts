import * as vscode from 'vscode';
import { registerApiKeyCommands } from './commands/apiKeyCommands';
import { registerChatCommands } from './commands/chatCommands';
import { CommandIds } from './commands/commandIds';
import { registerModelCommands } from './commands/modelCommands';
import { registerCurlCommand } from './commands/curlCommand';
import { ApiKeyStore } from './config/secrets';
import { DEFAULT_SETTINGS } from './config/defaults';
import { onDidChangeSettings, readSettings } from './config/settings';
import { createLog } from './log';
import { CHAT_VIEW_ID, ChatViewProvider } from './panel/chatViewProvider';
import type { ErrorAction } from './protocol';
import { ChatService } from './services/chatService';
import { ConnectionResolver } from './services/connectionResolver';
import { GatewayStream } from './services/gatewayStream';
import { ModelCatalog } from './services/modelCatalog';
import { registerModelStatusBar } from './panel/statusBar';

export function activate(context: vscode.ExtensionContext): void {
  const log = createLog();
  const keys = new ApiKeyStore(context.secrets);
  const resolver = new ConnectionResolver(keys);
  const gateway = new GatewayStream(context.globalState);
  const chat = new ChatService(resolver, log, gateway.stream);
  context.subscriptions.push(log, keys, chat);

  const currentModel = (): string => {
    try {
      return readSettings().profile.model;
    } catch {
      return DEFAULT_SETTINGS.model;
    }
  };
  const errorActions: Record<ErrorAction, () => unknown> = {
    setApiKey: () => vscode.commands.executeCommand(CommandIds.setApiKey),
    selectModel: () => vscode.commands.executeCommand(CommandIds.selectModel),
    openSettings: () => vscode.commands.executeCommand('workbench.action.openSettings', 'foxChat'),
    retry: () => chat.retry(),
    showLog: () => log.show(),
  };
  const panel = new ChatViewProvider(context.extensionUri, chat, {
    errorAction: (action) => void errorActions[action](),
    currentModel,
  });
  context.subscriptions.push(
    panel,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, panel),
    onDidChangeSettings(() => panel.modelChanged()),
  );

  registerApiKeyCommands(context, keys);
  registerChatCommands(context, chat, panel, log);
  registerModelCommands(context, keys, resolver, new ModelCatalog(context.globalState), log);
  registerModelStatusBar(context);
  registerCurlCommand(context, chat, gateway);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
