import * as vscode from 'vscode';
import type { ProfileId } from './profiles';

const SECRET_PREFIX = 'foxChat.apiKey.';
const secretKey = (profile: ProfileId): string => `${SECRET_PREFIX}${profile}`;

/** API keys, one per profile, kept in SecretStorage only. Never logs a key or hands it anywhere but to the caller. */
export class ApiKeyStore implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange((event) => {
      if (event.key.startsWith(SECRET_PREFIX)) {
        this.changeEmitter.fire();
      }
    });
  }

  async get(profile: ProfileId): Promise<string | undefined> {
    const key = await this.secrets.get(secretKey(profile));
    return key && key.length > 0 ? key : undefined;
  }

  async set(profile: ProfileId, key: string): Promise<void> {
    const trimmed = key.trim();
    if (trimmed.length === 0) {
      throw new Error('An empty API key cannot be stored.');
    }
    await this.secrets.store(secretKey(profile), trimmed);
  }

  async clear(profile: ProfileId): Promise<void> {
    await this.secrets.delete(secretKey(profile));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }
}
