// vscode-free: the gateway presets and how user overrides combine with them.
import type { KeyHeader } from '../api/headers';
import { isRecord } from '../isRecord';

export type ProfileId = 'ofoxai' | 'foxora' | 'openai' | 'openrouter' | 'azure' | 'ollama' | 'lmstudio' | 'custom';

export interface ProfilePreset {
  id: ProfileId;
  label: string;
  baseUrl: string;
  model: string;
  /** Local servers (Ollama, LM Studio) take no key; a key is still sent if one is stored. */
  requiresKey: boolean;
  headers?: Record<string, string>;
  /** Default `authorization`. */
  keyHeader?: KeyHeader;
}

export const PROFILE_PRESETS: readonly ProfilePreset[] = [
  { id: 'ofoxai', label: 'OfoxAI', baseUrl: 'https://api.ofox.ai/v1', model: 'openai/gpt-4o', requiresKey: true },
  { id: 'foxora', label: 'Foxora', baseUrl: 'https://api.foxora.ai/v1', model: 'gpt-4o-mini', requiresKey: true },
  { id: 'openai', label: 'OpenAI', baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini', requiresKey: true },
  {
    id: 'openrouter',
    label: 'OpenRouter',
    baseUrl: 'https://openrouter.ai/api/v1',
    model: 'openai/gpt-4o-mini',
    requiresKey: true,
    // OpenRouter attributes traffic by these optional headers.
    headers: { 'HTTP-Referer': 'https://github.com/foxchat/fox-chat', 'X-Title': 'Fox Chat' },
  },
  {
    id: 'azure',
    label: 'Azure OpenAI',
    // The v1 endpoint takes the deployment name as `model`; a deployment URL
    // (…/openai/deployments/<name>) with `apiVersion` works as well.
    baseUrl: 'https://YOUR-RESOURCE.openai.azure.com/openai/v1',
    model: 'gpt-4o-mini',
    requiresKey: true,
    keyHeader: 'api-key',
  },
  { id: 'ollama', label: 'Ollama', baseUrl: 'http://localhost:11434/v1', model: 'llama3.2', requiresKey: false },
  { id: 'lmstudio', label: 'LM Studio', baseUrl: 'http://localhost:1234/v1', model: 'local-model', requiresKey: false },
  { id: 'custom', label: 'Custom', baseUrl: 'http://localhost:8000/v1', model: 'default', requiresKey: true },
];

export const DEFAULT_PROFILE_ID: ProfileId = 'ofoxai';

export function isProfileId(value: unknown): value is ProfileId {
  return typeof value === 'string' && PROFILE_PRESETS.some((preset) => preset.id === value);
}

export function presetFor(id: ProfileId): ProfilePreset {
  const preset = PROFILE_PRESETS.find((candidate) => candidate.id === id);
  if (!preset) {
    throw new Error(`Unknown profile ${id}`);
  }
  return preset;
}

/** What a user may override per profile in `foxChat.profiles`. */
export interface ProfileOverride {
  baseUrl?: string;
  model?: string;
  provider?: Record<string, unknown>;
  headers?: Record<string, string>;
  fallbackModels?: string[];
  /** Azure OpenAI's `api-version` query parameter, added to every request URL. */
  apiVersion?: string;
}

export interface ResolvedProfile {
  id: ProfileId;
  label: string;
  baseUrl: string;
  model: string;
  requiresKey: boolean;
  provider?: Record<string, unknown>;
  headers: Record<string, string>;
  fallbackModels: string[];
  keyHeader?: KeyHeader;
}

/**
 * The profile in effect. Precedence: an explicitly set `foxChat.baseUrl` / `foxChat.model`,
 * then the profile's override in `foxChat.profiles`, then the preset.
 */
export function resolveProfile(
  id: ProfileId,
  override: ProfileOverride | undefined,
  explicit: { baseUrl?: string; model?: string } = {},
): ResolvedProfile {
  const preset = presetFor(id);
  const baseUrl = withApiVersion((explicit.baseUrl ?? override?.baseUrl ?? preset.baseUrl).trim().replace(/\/+$/, ''), override?.apiVersion);
  return {
    id,
    label: preset.label,
    baseUrl,
    model: (explicit.model ?? override?.model ?? preset.model).trim(),
    requiresKey: preset.requiresKey,
    provider: override?.provider,
    headers: { ...preset.headers, ...override?.headers },
    fallbackModels: (override?.fallbackModels ?? []).map((model) => model.trim()).filter((model) => model.length > 0),
    ...(preset.keyHeader && preset.keyHeader !== 'authorization' ? { keyHeader: preset.keyHeader } : {}),
  };
}

/**
 * The base URL with `?api-version=` (Azure OpenAI deployment URLs need it); request paths go
 * before the query (see api/headers.ts endpoint). A version already in the URL is left alone.
 */
export function withApiVersion(baseUrl: string, apiVersion: string | undefined): string {
  const version = apiVersion?.trim();
  if (!version || /[?&]api-version=/i.test(baseUrl)) return baseUrl;
  return `${baseUrl}${baseUrl.includes('?') ? '&' : '?'}api-version=${encodeURIComponent(version)}`;
}

export interface ProfileOverrideProblem {
  setting: string;
  value: unknown;
  expected: 'url' | 'text' | 'object' | 'textMap' | 'textList';
}

/** Checks one entry of `foxChat.profiles`; bad fields are reported and left out. */
export function checkProfileOverride(id: ProfileId, value: unknown): { override: ProfileOverride; problems: ProfileOverrideProblem[] } {
  const override: ProfileOverride = {};
  const problems: ProfileOverrideProblem[] = [];
  if (value === undefined || value === null) {
    return { override, problems };
  }
  const setting = `foxChat.profiles.${id}`;
  if (!isRecord(value)) {
    return { override, problems: [{ setting, value, expected: 'object' }] };
  }
  const { baseUrl, model, provider, headers, fallbackModels, apiVersion } = value;
  if (baseUrl !== undefined) {
    if (typeof baseUrl === 'string' && isHttpUrl(baseUrl)) override.baseUrl = baseUrl;
    else problems.push({ setting: `${setting}.baseUrl`, value: baseUrl, expected: 'url' });
  }
  if (model !== undefined) {
    if (typeof model === 'string' && model.trim().length > 0) override.model = model;
    else problems.push({ setting: `${setting}.model`, value: model, expected: 'text' });
  }
  if (provider !== undefined) {
    if (isRecord(provider)) override.provider = provider;
    else problems.push({ setting: `${setting}.provider`, value: provider, expected: 'object' });
  }
  if (headers !== undefined) {
    if (isRecord(headers) && Object.values(headers).every((header) => typeof header === 'string')) {
      override.headers = headers as Record<string, string>;
    } else {
      problems.push({ setting: `${setting}.headers`, value: headers, expected: 'textMap' });
    }
  }
  if (apiVersion !== undefined) {
    if (typeof apiVersion === 'string' && /^[\w.-]+$/.test(apiVersion.trim())) override.apiVersion = apiVersion;
    else problems.push({ setting: `${setting}.apiVersion`, value: apiVersion, expected: 'text' });
  }
  if (fallbackModels !== undefined) {
    if (Array.isArray(fallbackModels) && fallbackModels.every((model) => typeof model === 'string')) {
      override.fallbackModels = fallbackModels;
    } else {
      problems.push({ setting: `${setting}.fallbackModels`, value: fallbackModels, expected: 'textList' });
    }
  }
  return { override, problems };
}

export function isHttpUrl(value: string): boolean {
  return /^https?:\/\/[^/\s]+/i.test(value.trim());
}
