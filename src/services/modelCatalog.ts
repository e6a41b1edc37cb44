import type * as vscode from 'vscode';
import { listModels } from '../api/chatClient';
import type { KeyHeader } from '../api/headers';

interface CachedModels {
  baseUrl: string;
  models: string[];
  fetchedAt: number;
}

const STATE_KEY = 'foxChat.modelCache';
/** Gateways add models rarely; a day-old list is still useful and Refresh is one click away. */
const MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** The gateway's model list per profile, cached in global state so the picker opens instantly. */
export class ModelCatalog {
  constructor(
    private readonly state: vscode.Memento,
    /** The same fetch as the chat requests (proxy, certificates); Node's when undefined. */
    private readonly fetchImpl?: typeof fetch,
  ) {}

  cached(profile: string, baseUrl: string): string[] | undefined {
    const entry = this.entries()[profile];
    return entry && entry.baseUrl === baseUrl && Date.now() - entry.fetchedAt < MAX_AGE_MS ? entry.models : undefined;
  }

  async fetch(
    profile: string,
    connection: { baseUrl: string; apiKey: string | undefined; headers: Record<string, string>; secretHeaders?: Record<string, string>; keyHeader?: KeyHeader },
    signal?: AbortSignal,
  ): Promise<string[]> {
    const models = await listModels({ ...connection, signal, fetchImpl: this.fetchImpl });
    await this.state.update(STATE_KEY, { ...this.entries(), [profile]: { baseUrl: connection.baseUrl, models, fetchedAt: Date.now() } });
    return models;
  }

  private entries(): Record<string, CachedModels> {
    return this.state.get<Record<string, CachedModels>>(STATE_KEY, {});
  }
}
