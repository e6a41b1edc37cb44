import * as vscode from 'vscode';
import { GatewayError } from '../api/errors';
import { SETTINGS_SECTION } from '../config/defaults';
import { PROFILE_PRESETS, type ProfileId } from '../config/profiles';
import type { ApiKeyStore } from '../config/secrets';
import { acceptedModel } from '../config/modelChoice';
import { activeProfileId } from '../config/settings';
import type { ConnectionResolver } from '../services/connectionResolver';
import type { ModelCatalog } from '../services/modelCatalog';
import { CommandIds } from '../commandIds';

/**
 * Stores the chosen model where it takes effect: in foxChat.model if the user set that
 * explicitly (it overrides profiles), otherwise in the active profile's entry of foxChat.profiles.
 */
async function storeModel(profile: ProfileId, model: string): Promise<void> {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const inspected = config.inspect<string>('model');
  if (inspected?.workspaceValue !== undefined) {
    await config.update('model', model, vscode.ConfigurationTarget.Workspace);
  } else if (inspected?.globalValue !== undefined) {
    await config.update('model', model, vscode.ConfigurationTarget.Global);
  } else {
    const profiles = config.get<Record<string, Record<string, unknown>>>('profiles', {});
    await config.update('profiles', { ...profiles, [profile]: { ...profiles[profile], model } }, vscode.ConfigurationTarget.Global);
  }
}

interface ModelItem extends vscode.QuickPickItem {
  model: string;
}

async function selectModel(resolver: ConnectionResolver, catalog: ModelCatalog, log: vscode.LogOutputChannel): Promise<void> {
  const connection = await resolver.resolve();
  if (!connection) {
    return;
  }
  const { profile } = connection.settings;
  const request = { baseUrl: profile.baseUrl, apiKey: connection.apiKey, headers: profile.headers, secretHeaders: connection.secretHeaders, keyHeader: profile.keyHeader };
  const refreshButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('refresh'), tooltip: vscode.l10n.t('Refresh the model list') };

  const picker = vscode.window.createQuickPick<ModelItem>();
  picker.title = vscode.l10n.t('Fox Chat: Select Model ({0})', profile.label);
  picker.placeholder = vscode.l10n.t('Pick a model of {0}, or type any model id', profile.baseUrl);
  picker.buttons = [refreshButton];
  picker.matchOnDescription = true;

  let models: string[] = catalog.cached(profile.id, profile.baseUrl) ?? [];
  const render = (): void => {
    const typed = picker.value.trim();
    const items: ModelItem[] = models.map((model) => ({
      label: model,
      model,
      description: model === profile.model ? vscode.l10n.t('current') : undefined,
      iconPath: model === profile.model ? new vscode.ThemeIcon('check') : undefined,
    }));
    // Free text: any id the gateway accepts, listed or not.
    if (typed.length > 0 && !models.includes(typed)) {
      items.unshift({ label: typed, model: typed, description: vscode.l10n.t('use this model id'), alwaysShow: true });
    }
    picker.items = items;
    picker.activeItems = items.filter((item) => item.model === (typed || profile.model)).slice(0, 1);
  };

  const controller = new AbortController();
  const load = async (): Promise<void> => {
    picker.busy = true;
    try {
      models = await catalog.fetch(profile.id, request, controller.signal);
      render();
    } catch (error) {
      if (controller.signal.aborted) {
        return;
      }
      const message = error instanceof GatewayError ? error.info.message : String(error);
      log.error(`GET ${profile.baseUrl}/models failed: ${message}`);
      picker.placeholder = vscode.l10n.t('Could not load the model list ({0}). Type a model id.', message);
    } finally {
      picker.busy = false;
    }
  };

  const disposables = [
    picker.onDidChangeValue(render),
    picker.onDidTriggerButton((button) => {
      if (button === refreshButton) {
        void load();
      }
    }),
    picker.onDidAccept(async () => {
      const chosen = acceptedModel(picker.selectedItems[0]?.model, picker.value);
      if (chosen === undefined) {
        return;
      }
      picker.hide();
      await storeModel(profile.id, chosen);
    }),
    picker.onDidHide(() => {
      controller.abort();
      disposables.forEach((disposable) => {
        disposable.dispose();
      });
      picker.dispose();
    }),
  ];
  render();
  picker.show();
  if (models.length === 0) {
    await load();
  }
}

async function selectProfile(keys: ApiKeyStore): Promise<void> {
  const current = activeProfileId();
  const items = await Promise.all(
    PROFILE_PRESETS.map(async (preset) => ({
      label: preset.label,
      id: preset.id,
      description: preset.baseUrl,
      detail: !preset.requiresKey
        ? vscode.l10n.t('Local server, no key needed')
        : (await keys.get(preset.id))
          ? vscode.l10n.t('API key stored')
          : vscode.l10n.t('No API key yet'),
      iconPath: preset.id === current ? new vscode.ThemeIcon('check') : undefined,
    })),
  );
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Fox Chat: Select Profile'), placeHolder: vscode.l10n.t('Which gateway should Fox Chat use?') });
  if (!picked) {
    return;
  }
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  await config.update('profile', picked.id, vscode.ConfigurationTarget.Global);
  const inspected = config.inspect<string>('baseUrl');
  if (inspected?.globalValue !== undefined || inspected?.workspaceValue !== undefined) {
    const openSettings = vscode.l10n.t('Open Settings');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('The setting foxChat.baseUrl is set and overrides the base URL of {0}. Remove it to use the profile\'s.', picked.label),
      openSettings,
    );
    if (choice === openSettings) {
      void vscode.commands.executeCommand('workbench.action.openSettings', 'foxChat.baseUrl');
    }
  }
  const preset = PROFILE_PRESETS.find((candidate) => candidate.id === picked.id);
  if (preset?.requiresKey && !(await keys.get(preset.id))) {
    const setKey = vscode.l10n.t('Set API Key');
    if ((await vscode.window.showInformationMessage(vscode.l10n.t('{0} needs an API key.', preset.label), setKey)) === setKey) {
      await vscode.commands.executeCommand(CommandIds.setApiKey);
    }
  }
}

export function registerModelCommands(
  context: vscode.ExtensionContext,
  keys: ApiKeyStore,
  resolver: ConnectionResolver,
  catalog: ModelCatalog,
  log: vscode.LogOutputChannel,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(CommandIds.selectModel, () => selectModel(resolver, catalog, log)),
    vscode.commands.registerCommand(CommandIds.selectProfile, () => selectProfile(keys)),
  );
}
