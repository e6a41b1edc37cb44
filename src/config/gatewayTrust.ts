// vscode-free: what the user allowed about where keys go, kept in the user's own storage
// (globalState), never in the workspace, which is the party the allowance protects against.
import type { ProfileId } from './profiles';

/** The part of vscode.Memento this needs, so the store runs in plain Node under test. */
export interface KeyValueStorage {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export const KEY_ORIGINS_KEY = 'foxChat.keyOrigins';
export const TRUSTED_GATEWAYS_KEY = 'foxChat.trustedGateways';

/** otherOrigin: the key may go to an origin it was not stored for; plainHttp: it may go over plain http. */
export type TrustKind = 'otherOrigin' | 'plainHttp';

/** A window: its workspace file, else its first folder, else no folder at all. */
export interface WorkspaceIdentity {
  /** Stable: a URI string, or NO_FOLDER. */
  id: string;
  /** For people: the folder or workspace name. */
  label: string;
}

export const NO_FOLDER = 'no-folder';

export interface GatewayTrust {
  workspace: string;
  workspaceLabel: string;
  profile: ProfileId;
  origin: string;
  kind: TrustKind;
}

const sameTrust = (a: Omit<GatewayTrust, 'workspaceLabel'>, b: Omit<GatewayTrust, 'workspaceLabel'>): boolean =>
  a.workspace === b.workspace && a.profile === b.profile && a.origin === b.origin && a.kind === b.kind;

function isTrust(value: unknown): value is GatewayTrust {
  if (typeof value !== 'object' || value === null) return false;
  const { workspace, workspaceLabel, profile, origin, kind } = value as Record<string, unknown>;
  return (
    typeof workspace === 'string' &&
    typeof workspaceLabel === 'string' &&
    typeof profile === 'string' &&
    typeof origin === 'string' &&
    (kind === 'otherOrigin' || kind === 'plainHttp')
  );
}

/** Which origin each profile's key was stored for, and which other destinations the user allowed per workspace. */
export class GatewayTrustStore {
  constructor(private readonly storage: KeyValueStorage) {}

  keyOrigin(profile: ProfileId): string | undefined {
    const origins = this.keyOrigins();
    const origin = origins[profile];
    return typeof origin === 'string' ? origin : undefined;
  }

  keyOrigins(): Partial<Record<ProfileId, string>> {
    const stored = this.storage.get<unknown>(KEY_ORIGINS_KEY);
    return typeof stored === 'object' && stored !== null ? (stored) : {};
  }

  async bindKey(profile: ProfileId, origin: string): Promise<void> {
    await this.storage.update(KEY_ORIGINS_KEY, { ...this.keyOrigins(), [profile]: origin });
  }

  trusts(): GatewayTrust[] {
    const stored = this.storage.get<unknown>(TRUSTED_GATEWAYS_KEY);
    return Array.isArray(stored) ? stored.filter(isTrust) : [];
  }

  isTrusted(workspace: WorkspaceIdentity, profile: ProfileId, origin: string, kind: TrustKind): boolean {
    const wanted = { workspace: workspace.id, profile, origin, kind };
    return this.trusts().some((trust) => sameTrust(trust, wanted));
  }

  async trust(workspace: WorkspaceIdentity, profile: ProfileId, origin: string, kind: TrustKind): Promise<void> {
    if (this.isTrusted(workspace, profile, origin, kind)) return;
    const trust: GatewayTrust = { workspace: workspace.id, workspaceLabel: workspace.label, profile, origin, kind };
    await this.storage.update(TRUSTED_GATEWAYS_KEY, [...this.trusts(), trust]);
  }

  async revoke(revoked: readonly GatewayTrust[]): Promise<void> {
    await this.storage.update(
      TRUSTED_GATEWAYS_KEY,
      this.trusts().filter((trust) => !revoked.some((gone) => sameTrust(gone, trust))),
    );
  }
}
