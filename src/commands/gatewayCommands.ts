import * as vscode from 'vscode';
import { isHeaderName } from '../config/credentialHeaders';
import type { GatewayTrust } from '../config/gatewayTrust';
import { PROFILE_PRESETS, presetFor } from '../config/profiles';
import type { SecretHeaderStore } from '../config/secretHeaders';
import { activeProfileId } from '../config/settings';
import type { GatewayGuard } from '../services/gatewayGuard';
import { CommandIds } from '../commandIds';

interface TrustItem extends vscode.QuickPickItem {
  trust?: GatewayTrust;
}

/** "Manage Trusted Gateways": where each profile's key is bound, and the allowances to revoke. */
async function manageTrustedGateways(guard: GatewayGuard): Promise<void> {
  const revokeButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: vscode.l10n.t('Revoke') };
  const picker = vscode.window.createQuickPick<TrustItem>();
  picker.title = vscode.l10n.t('Fox Chat: Manage Trusted Gateways');
  picker.placeholder = vscode.l10n.t('Select an allowance to revoke it');
  picker.matchOnDescription = true;
  picker.matchOnDetail = true;

  const render = (): void => {
    const items: TrustItem[] = [];
    const trusts = guard.store.trusts();
    items.push({ label: vscode.l10n.t('Allowed'), kind: vscode.QuickPickItemKind.Separator });
    if (trusts.length === 0) {
      items.push({ label: vscode.l10n.t('No gateway has been allowed yet.') });
    }
    for (const trust of trusts) {
      items.push({
        label: trust.origin,
        description: `${presetFor(trust.profile).label} · ${trust.kind === 'plainHttp' ? vscode.l10n.t('over plain http') : vscode.l10n.t('another address')}`,
        detail: vscode.l10n.t('Workspace: {0}', trust.workspaceLabel),
        buttons: [revokeButton],
        trust,
      });
    }
    const origins = guard.store.keyOrigins();
    items.push({ label: vscode.l10n.t('Keys are bound to'), kind: vscode.QuickPickItemKind.Separator });
    for (const preset of PROFILE_PRESETS) {
      const origin = origins[preset.id];
      if (origin) items.push({ label: preset.label, description: origin, iconPath: new vscode.ThemeIcon('key') });
    }
    picker.items = items;
  };

  const revoke = async (item: TrustItem): Promise<void> => {
    if (!item.trust) return;
    await guard.store.revoke([item.trust]);
    render();
  };
  const done = new Promise<void>((resolve) => {
    const disposables = [
      picker.onDidTriggerItemButton((event) => void revoke(event.item)),
      picker.onDidAccept(() => {
        const [selected] = picker.selectedItems;
        if (selected) void revoke(selected);
      }),
      picker.onDidHide(() => {
        disposables.forEach((disposable) => {
        disposable.dispose();
      });
        picker.dispose();
        resolve();
      }),
    ];
  });
  render();
  picker.show();
  await done;
}

interface HeaderItem extends vscode.QuickPickItem {
  header?: string;
}

/** "Set Secret Header…": credential headers per profile in SecretStorage; the same picker removes them. */
async function setSecretHeader(headers: SecretHeaderStore, guard: GatewayGuard): Promise<void> {
  const profile = activeProfileId();
  const label = presetFor(profile).label;
  const removeButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: vscode.l10n.t('Remove') };
  const addItem: HeaderItem = { label: `$(add) ${vscode.l10n.t('Add a secret header…')}`, alwaysShow: true };

  const picker = vscode.window.createQuickPick<HeaderItem>();
  picker.title = vscode.l10n.t('Fox Chat: Secret Headers of {0}', label);
  picker.placeholder = vscode.l10n.t('Add a header, pick one to replace its value, or remove one');
  const render = async (): Promise<void> => {
    const stored = await headers.get(profile);
    picker.items = [
      addItem,
      ...Object.keys(stored).map((name) => ({
        label: name,
        description: vscode.l10n.t('stored in secret storage'),
        buttons: [removeButton],
        header: name,
      })),
    ];
  };
  const chosen = await new Promise<HeaderItem | undefined>((resolve) => {
    const disposables = [
      picker.onDidTriggerItemButton(async (event) => {
        if (event.item.header) {
          await headers.remove(profile, event.item.header);
          await render();
        }
      }),
      picker.onDidAccept(() => {
        resolve(picker.selectedItems[0]);
        picker.hide();
      }),
      picker.onDidHide(() => {
        disposables.forEach((disposable) => {
        disposable.dispose();
      });
        picker.dispose();
        resolve(undefined);
      }),
    ];
    void render();
    picker.show();
  });
  if (!chosen) return;

  const name =
    chosen.header ??
    (await vscode.window.showInputBox({
      title: vscode.l10n.t('Fox Chat: Set Secret Header…'),
      prompt: vscode.l10n.t('The header\'s name, for example Ocp-Apim-Subscription-Key or X-Api-Key.'),
      ignoreFocusOut: true,
      validateInput: (value) => (isHeaderName(value.trim()) ? undefined : vscode.l10n.t('A header name is letters, digits and - (no blanks or colons).')),
    }))?.trim();
  if (!name) return;
  const value = await vscode.window.showInputBox({
    title: vscode.l10n.t('Fox Chat: Set Secret Header…'),
    prompt: vscode.l10n.t('The value of {0} for {1}. It is kept in VS Code\'s secret storage, never in settings.', name, label),
    password: true,
    ignoreFocusOut: true,
    validateInput: (text) => (text.trim().length === 0 ? vscode.l10n.t('The value cannot be empty.') : undefined),
  });
  if (value === undefined || value.trim().length === 0) return;
  await headers.set(profile, name, value);
  // Secret headers go only where the key may go; a profile without a key gets its binding here.
  await guard.bindIfUnbound(profile);
  void vscode.window.showInformationMessage(vscode.l10n.t('Fox Chat: secret header {0} saved for {1}.', name, label));
}

export function registerGatewayCommands(context: vscode.ExtensionContext, guard: GatewayGuard, headers: SecretHeaderStore): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(CommandIds.manageTrustedGateways, () => manageTrustedGateways(guard)),
    vscode.commands.registerCommand(CommandIds.setSecretHeader, () => setSecretHeader(headers, guard)),
  );
}
