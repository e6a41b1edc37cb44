import * as vscode from 'vscode';
import { CommandIds } from '../commandIds';
import { credentialHeaderNames } from '../config/credentialHeaders';
import type { ApiKeyStore } from '../config/secrets';
import type { SecretHeaderStore } from '../config/secretHeaders';
import { readSettings, SettingError, type EffectiveSettings } from '../config/settings';
import type { GatewayGuard } from './gatewayGuard';

export interface ResolvedConnection {
  settings: EffectiveSettings;
  apiKey: string | undefined;
  /** The profile's headers from SecretStorage; sent like `settings.profile.headers`, never shown. */
  secretHeaders?: Record<string, string>;
}

/**
 * Reads the settings and the active profile's key just before a request. A bad setting is
 * shown with "Open Settings" at that setting; a missing key is asked for; a key about to go
 * somewhere it was not stored for is asked about first. Undefined means the request must not be sent.
 */
export class ConnectionResolver {
  constructor(
    private readonly keys: ApiKeyStore,
    private readonly secretHeaders: SecretHeaderStore,
    private readonly guard: GatewayGuard,
  ) {}

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
    const exposed = credentialHeaderNames(profile.headers);
    if (exposed.length > 0) {
      // Settings sync, get committed and can come from a workspace: a credential there is not sent.
      const setSecretHeader = vscode.l10n.t('Set Secret Header');
      const choice = await vscode.window.showErrorMessage(
        vscode.l10n.t(
          'The setting foxChat.profiles.{0}.headers holds {1}, which looks like a credential. Fox Chat does not send credentials from settings: store it with "Fox Chat: Set Secret Header…" (kept in secret storage) and remove it from the settings.',
          profile.id,
          exposed.join(', '),
        ),
        setSecretHeader,
      );
      if (choice === setSecretHeader) {
        void vscode.commands.executeCommand(CommandIds.setSecretHeader);
      }
      return undefined;
    }
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
    const secretHeaders = await this.secretHeaders.get(profile.id);
    const carriesCredentials = apiKey !== undefined || Object.keys(secretHeaders).length > 0;
    if (carriesCredentials && !(await this.guard.mayCarryCredentials(profile))) {
      return undefined;
    }
    return { settings, apiKey, secretHeaders: Object.keys(secretHeaders).length > 0 ? secretHeaders : undefined };
  }
}
