import * as vscode from 'vscode';
import { CommandIds } from '../commands/commandIds';
import type { ApiKeyStore } from '../config/secrets';
import { readSettings, SettingError, type EffectiveSettings } from '../config/settings';

export interface ResolvedConnection {
  settings: EffectiveSettings;
  apiKey: string | undefined;
}

/**
 * Reads the settings and the active profile's key just before a request. A bad setting is
 * shown with "Open Settings" at that setting; a missing key is asked for. Undefined means the
 * request must not be sent.
 */
export class ConnectionResolver {
  constructor(private readonly keys: ApiKeyStore) {}

  async resolve(): Promise<ResolvedConnection | undefined> {
    let settings: EffectiveSettings;
    try {
      settings = readSettings();
    } catch (error) {
      if (error instanceof SettingError) {
        const openSettings = vscode.l10n.t('Open Settings');
        const choice = await vscode.window.showErrorMessage(error.message, openSettings);
        if (choice === openSettings) {
          void vscode.commands.executeCommand('workbench.action.openSettings', error.setting);
        }
        return undefined;
      }
      throw error;
    }
    const { profile } = settings;
    let apiKey = await this.keys.get(profile.id);
    if (!apiKey && profile.requiresKey) {
      const setKey = vscode.l10n.t('Set API Key');
      const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Fox Chat needs an API key for {0}.', profile.baseUrl), setKey);
      if (choice === setKey) {
        await vscode.commands.executeCommand(CommandIds.setApiKey);
        apiKey = await this.keys.get(profile.id);
      }
      if (!apiKey) {
        return undefined;
      }
    }
    return { settings, apiKey };
  }
}
