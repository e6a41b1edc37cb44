import type * as vscode from 'vscode';
import { isRecord } from '../isRecord';
import type { ProfileId } from './profiles';

const SECRET_PREFIX = 'foxChat.secretHeaders.';
const secretKey = (profile: ProfileId): string => `${SECRET_PREFIX}${profile}`;

/**
 * Credential headers (e.g. Ocp-Apim-Subscription-Key) per profile, kept in SecretStorage as one
 * JSON object per profile. Never logs a value.
 */
export class SecretHeaderStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(profile: ProfileId): Promise<Record<string, string>> {
    const stored = await this.secrets.get(secretKey(profile));
    if (!stored) return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(stored);
    } catch {
      return {};
    }
    if (!isRecord(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].length > 0));
  }

  async set(profile: ProfileId, name: string, value: string): Promise<void> {
    const trimmed = value.trim();
    if (trimmed.length === 0) {
      throw new Error('An empty header value cannot be stored.');
    }
    const headers = await this.get(profile);
    // One entry per name, whatever its case: HTTP header names are case-insensitive.
    for (const existing of Object.keys(headers)) {
      if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
    }
    await this.secrets.store(secretKey(profile), JSON.stringify({ ...headers, [name]: trimmed }));
  }

  async remove(profile: ProfileId, name: string): Promise<void> {
    const headers = await this.get(profile);
    delete headers[name];
    if (Object.keys(headers).length === 0) {
      await this.secrets.delete(secretKey(profile));
    } else {
      await this.secrets.store(secretKey(profile), JSON.stringify(headers));
    }
  }
}
