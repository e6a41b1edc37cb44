import type * as vscode from 'vscode';
import type { ProfileId } from './profiles';

const secretKey = (profile: ProfileId): string => `foxChat.apiKey.${profile}`;

/** API keys, one per profile, kept in SecretStorage only. Never logs a key or hands it anywhere but to the caller. */
export class ApiKeyStore {
  // Read at each request (ConnectionResolver), so a key changed in another window needs no event.
  constructor(private readonly secrets: vscode.SecretStorage) {}

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
}
