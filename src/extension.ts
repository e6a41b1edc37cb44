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
import { registerTestConnectionCommand } from './commands/testConnectionCommand';
import { registerPromptCommands } from './commands/promptCommands';
import { registerCapabilityCommands } from './commands/capabilityCommands';
import { ApiKeyStore } from './config/secrets';
import { SecretHeaderStore } from './config/secretHeaders';
import { currentGatewayOrigin, currentModel, onDidChangeSettings } from './config/settings';
import { createLog } from './log';
import { CHAT_VIEW_ID, ChatViewProvider } from './panel/chatViewProvider';
import { readWelcome } from './panel/welcomeContent';
import { ChatService } from './services/chatService';
import { runErrorAction } from './services/errorActions';
import { ConnectionResolver } from './services/connectionResolver';
import { ContextAttachments } from './services/contextAttachments';
import { GatewayFetch } from './services/gatewayFetch';
import { GatewayGuard } from './services/gatewayGuard';
import { GatewayStream } from './services/gatewayStream';
import { ImageAttachments } from './services/imageAttachments';
import { ModelCatalog } from './services/modelCatalog';
import { PromptLibrary } from './services/promptLibrary';
import { PromptRunner } from './services/promptRunner';
import { registerModelStatusBar } from './panel/statusBar';
import { WorkspaceTools } from './services/workspaceTools';
import type { ToolName } from './tools/toolDefinitions';

export function activate(context: vscode.ExtensionContext): void {
  const log = createLog();
  const keys = new ApiKeyStore(context.secrets);
  const secretHeaders = new SecretHeaderStore(context.secrets);
  const guard = new GatewayGuard(context.globalState);
  const resolver = new ConnectionResolver(keys, secretHeaders, guard);
  const network = new GatewayFetch();
  const gateway = new GatewayStream(context.globalState, log, network.fetch);
  const inlineEdits = registerRefactorCommands(context, resolver, gateway.stream, log);
  const workspaceTools = (enabled: readonly ToolName[]): WorkspaceTools =>
    new WorkspaceTools(enabled, (editor, code, signal) => inlineEdits.proposeCode(editor, code, signal));
  // Per workspace; a window without a folder keeps its history with the extension's global storage.
  const chat = new ChatService(resolver, log, gateway.stream, context.storageUri ?? context.globalStorageUri, workspaceTools);
  const prompts = new PromptLibrary(context.globalStorageUri, context.globalState, log);
  context.subscriptions.push(log, chat, prompts);

  const panel: ChatViewProvider = new ChatViewProvider(context.extensionUri, chat, {
    errorAction: (action) => runErrorAction(action, { retry: () => chat.retry(), log }),
    currentModel,
    currentGateway: currentGatewayOrigin,
    attachImage: (name, dataUrl) => images.attachDataUrl(name, dataUrl),
    applyInline: (editor, code) => inlineEdits.applyCode(editor, code),
    imageRejected: (name, reason) => images.reject(name, reason),
    attachContext: (source) => void contextAttachments.attach(source),
    welcome: () => readWelcome(keys),
    prompts: () => prompts.summaries(),
  });
  const images = new ImageAttachments(chat.session, (name, dataUrl) => panel.downscaleImage(name, dataUrl));
  const contextAttachments = new ContextAttachments(chat.session, () => panel.focusComposer());
  context.subscriptions.push(
    contextAttachments,
    panel,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, panel),
    onDidChangeSettings(() => panel.modelChanged()),
    context.secrets.onDidChange(() => panel.welcomeChanged()),
    prompts.onDidChange(() => panel.promptsChanged()),
  );

  registerApiKeyCommands(context, keys, guard);
  registerGatewayCommands(context, guard, secretHeaders);
  registerChatCommands(context, chat, panel, log);
  registerModelCommands(context, keys, resolver, new ModelCatalog(context.globalState, network.fetch), log);
  registerModelStatusBar(context);
  registerCurlCommand(context, gateway);
  registerTestConnectionCommand(context, resolver, gateway.stream, network, log);
  registerCapabilityCommands(context, gateway.dialects);
  registerHistoryCommands(context, chat.history, panel);
  registerWalkthroughCommands(context, chat.session);
  registerPromptCommands(
    context,
    prompts,
    new PromptRunner({
      chat,
      revealPanel: () => panel.reveal(),
      resolver,
      stream: gateway.stream,
      rejectImage: (name, problem) => images.reject(name, problem),
      log,
    }),
  );
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
