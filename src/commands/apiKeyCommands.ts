import * as vscode from 'vscode';
import type { ApiKeyStore } from '../config/secrets';
import type { GatewayGuard } from '../services/gatewayGuard';
import { activeProfileId } from '../config/settings';
import { presetFor } from '../config/profiles';
import { CommandIds } from '../commandIds';

/** Asks for the key in a password box and stores it; undefined when the user cancels. */
async function promptForApiKey(keys: ApiKeyStore, guard: GatewayGuard): Promise<string | undefined> {
  const profile = activeProfileId();
  const key = await vscode.window.showInputBox({
    title: vscode.l10n.t('Fox Chat: Set API Key'),
    prompt: vscode.l10n.t('Paste the API key for {0}. It is kept in VS Code\'s secret storage, never in settings.', presetFor(profile).label),
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim().length === 0 ? vscode.l10n.t('The API key cannot be empty.') : undefined),
  });
  if (key === undefined || key.trim().length === 0) {
    return undefined;
  }
  await keys.set(profile, key);
  // Bound to where the user's own settings point, never to a workspace's address.
  await guard.bindToUserSettings(profile);
  return key.trim();
}

export function registerApiKeyCommands(context: vscode.ExtensionContext, keys: ApiKeyStore, guard: GatewayGuard): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(CommandIds.setApiKey, async () => {
      if (await promptForApiKey(keys, guard)) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Fox Chat: API key saved.'));
      }
    }),
    vscode.commands.registerCommand(CommandIds.clearApiKey, async () => {
      const profile = activeProfileId();
      await keys.clear(profile);
      void vscode.window.showInformationMessage(vscode.l10n.t('Fox Chat: API key for {0} removed.', presetFor(profile).label));
    }),
  );
}
