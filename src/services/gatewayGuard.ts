import * as vscode from 'vscode';
import { decideCredentialRoute, originOf } from '../config/gatewayOrigin';
import { GatewayTrustStore, NO_FOLDER, type WorkspaceIdentity } from '../config/gatewayTrust';
import type { ProfileId, ResolvedProfile } from '../config/profiles';
import { userBaseUrl } from '../config/settings';

/** This window, as trusts remember it: the workspace file, else the first folder. */
export function currentWorkspace(): WorkspaceIdentity {
  const uri = vscode.workspace.workspaceFile ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!uri) return { id: NO_FOLDER, label: vscode.l10n.t('No folder open') };
  return { id: uri.toString(), label: vscode.workspace.name ?? uri.path };
}

/**
 * Keeps a profile's key (and secret headers) to the origin it was stored for. Anything else —
 * a workspace pointing elsewhere, the user's own settings changed since, plain http to another
 * machine — is asked about in a modal first; the answers live in the user's globalState.
 */
export class GatewayGuard {
  readonly store: GatewayTrustStore;

  constructor(globalState: vscode.Memento) {
    this.store = new GatewayTrustStore(globalState);
  }

  /** Where the user's own settings send this profile's requests (workspace values ignored). */
  userOrigin(profile: ProfileId): string {
    const baseUrl = userBaseUrl(profile);
    return originOf(baseUrl) ?? baseUrl;
  }

  /** Binds the profile's credentials to where the user's own settings point now (Set API Key). */
  async bindToUserSettings(profile: ProfileId): Promise<void> {
    await this.store.bindKey(profile, this.userOrigin(profile));
  }

  /** Binds the profile's credentials to the user's settings unless they are bound already. */
  async bindIfUnbound(profile: ProfileId): Promise<string> {
    const bound = this.store.keyOrigin(profile);
    if (bound) return bound;
    // Keys stored before origins were bound: the user's own settings say where they were meant for.
    await this.bindToUserSettings(profile);
    return this.userOrigin(profile);
  }

  /** True when the profile's credentials may go with a request to its base URL now; asks when that needs the user. */
  async mayCarryCredentials(profile: ResolvedProfile): Promise<boolean> {
    const origin = originOf(profile.baseUrl) ?? profile.baseUrl;
    let keyOrigin = await this.bindIfUnbound(profile.id);
    const userOrigin = this.userOrigin(profile.id);
    const workspace = currentWorkspace();
    for (;;) {
      const decision = decideCredentialRoute({
        origin,
        keyOrigin,
        userOrigin,
        allowed: {
          otherOrigin: this.store.isTrusted(workspace, profile.id, origin, 'otherOrigin'),
          plainHttp: this.store.isTrusted(workspace, profile.id, origin, 'plainHttp'),
        },
      });
      switch (decision.action) {
        case 'send':
          return true;
        case 'ask':
          if (decision.source === 'workspace') {
            if (!(await askWorkspaceOrigin(profile.label, origin, keyOrigin))) return false;
            await this.store.trust(workspace, profile.id, origin, 'otherOrigin');
          } else {
            // The user's own settings changed since the key was stored: allowing moves the key there, for every workspace.
            if (!(await askUserOrigin(profile.label, origin, keyOrigin))) return false;
            await this.store.bindKey(profile.id, origin);
            keyOrigin = origin;
          }
          break;
        case 'warnPlainHttp':
          if (!(await warnPlainHttp(profile.label, origin))) return false;
          await this.store.trust(workspace, profile.id, origin, 'plainHttp');
          break;
      }
    }
  }
}

async function modal(message: string, detail: string, confirm: string, decline: string): Promise<boolean> {
  const confirmItem: vscode.MessageItem = { title: confirm };
  // The close affordance replaces the Cancel button VS Code adds to every modal.
  const declineItem: vscode.MessageItem = { title: decline, isCloseAffordance: true };
  const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, confirmItem, declineItem);
  return choice === confirmItem;
}

function askWorkspaceOrigin(label: string, origin: string, keyOrigin: string): Promise<boolean> {
  return modal(
    vscode.l10n.t('This workspace points Fox Chat at {0}. Send your {1} key there?', origin, label),
    vscode.l10n.t(
      'Your {0} key was stored for {1}. The address comes from this workspace\'s settings; allowing it is remembered for this workspace only and can be revoked with "Fox Chat: Manage Trusted Gateways".',
      label,
      keyOrigin,
    ),
    vscode.l10n.t('Allow for This Workspace'),
    vscode.l10n.t('Not Now'),
  );
}

function askUserOrigin(label: string, origin: string, keyOrigin: string): Promise<boolean> {
  return modal(
    vscode.l10n.t('Fox Chat is set to send requests to {0}. Send your {1} key there?', origin, label),
    vscode.l10n.t(
      'Your {0} key was stored for {1}. If the new address is a typo, choose Not Now and correct foxChat.baseUrl or foxChat.profiles in your settings. Allowing binds the key to {2} from now on.',
      label,
      keyOrigin,
      origin,
    ),
    vscode.l10n.t('Use Key There'),
    vscode.l10n.t('Not Now'),
  );
}

function warnPlainHttp(label: string, origin: string): Promise<boolean> {
  return modal(
    vscode.l10n.t('Send your {0} key to {1} over plain http?', label, origin),
    vscode.l10n.t(
      'Plain http is not encrypted: anyone on the network between you and {0} can read the key. Use https if the gateway offers it. Your answer is remembered for this workspace.',
      origin,
    ),
    vscode.l10n.t('Send Anyway'),
    vscode.l10n.t('Cancel'),
  );
}
