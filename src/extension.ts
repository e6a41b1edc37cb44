import * as vscode from 'vscode';
import { registerApiKeyCommands } from './commands/apiKeyCommands';
import { registerChatCommands } from './commands/chatCommands';
import { CommandIds } from './commandIds';
import { registerModelCommands } from './commands/modelCommands';
import { registerRefactorCommands } from './commands/refactorCommands';
import { registerCurlCommand } from './commands/curlCommand';
import { registerHistoryCommands } from './commands/historyCommands';
import { registerWalkthroughCommands } from './commands/walkthroughCommands';
import { registerGatewayCommands } from './commands/gatewayCommands';
import { registerCapabilityCommands } from './commands/capabilityCommands';
import { ApiKeyStore } from './config/secrets';
import { SecretHeaderStore } from './config/secretHeaders';
import { currentGatewayOrigin, currentModel, onDidChangeSettings } from './config/settings';
import { createLog } from './log';
import { CHAT_VIEW_ID, ChatViewProvider } from './panel/chatViewProvider';
import { ChatService } from './services/chatService';
import { runErrorAction } from './services/errorActions';
import { ConnectionResolver } from './services/connectionResolver';
import { GatewayGuard } from './services/gatewayGuard';
import { GatewayStream } from './services/gatewayStream';
import { ImageAttachments } from './services/imageAttachments';
import { ModelCatalog } from './services/modelCatalog';
import { registerModelStatusBar } from './panel/statusBar';
import { WorkspaceTools } from './services/workspaceTools';
import type { ToolName } from './tools/toolDefinitions';

export function activate(context: vscode.ExtensionContext): void {
  const log = createLog();
  const keys = new ApiKeyStore(context.secrets);
  const secretHeaders = new SecretHeaderStore(context.secrets);
  const guard = new GatewayGuard(context.globalState);
  const resolver = new ConnectionResolver(keys, secretHeaders, guard);
  const gateway = new GatewayStream(context.globalState, log);
  const inlineEdits = registerRefactorCommands(context, resolver, gateway.stream, log);
  const workspaceTools = (enabled: readonly ToolName[]): WorkspaceTools =>
    new WorkspaceTools(enabled, (editor, code) => inlineEdits.proposeCode(editor, code));
  // Per workspace; a window without a folder keeps its history with the extension's global storage.
  const chat = new ChatService(resolver, log, gateway.stream, context.storageUri ?? context.globalStorageUri, workspaceTools);
  context.subscriptions.push(log, chat);

  const panel: ChatViewProvider = new ChatViewProvider(context.extensionUri, chat, {
    errorAction: (action) => runErrorAction(action, { retry: () => chat.retry(), log }),
    currentModel,
    currentGateway: currentGatewayOrigin,
    attachImage: (name, dataUrl) => images.attachDataUrl(name, dataUrl),
    applyInline: (editor, code) => inlineEdits.applyCode(editor, code),
    imageRejected: (name, reason) => images.reject(name, reason),
  });
  const images = new ImageAttachments(chat.session, (name, dataUrl) => panel.downscaleImage(name, dataUrl));
  context.subscriptions.push(
    panel,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, panel),
    onDidChangeSettings(() => panel.modelChanged()),
  );

  registerApiKeyCommands(context, keys, guard);
  registerGatewayCommands(context, guard, secretHeaders);
  registerChatCommands(context, chat, panel, log);
  registerModelCommands(context, keys, resolver, new ModelCatalog(context.globalState), log);
  registerModelStatusBar(context);
  registerCurlCommand(context, gateway);
  registerCapabilityCommands(context, gateway.dialects);
  registerHistoryCommands(context, chat.history, panel);
  registerWalkthroughCommands(context, chat.session);
  context.subscriptions.push(
    vscode.commands.registerCommand(CommandIds.attachImage, async () => {
      await images.pickAndAttach();
      await panel.reveal();
      panel.focusComposer();
    }),
  );
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
