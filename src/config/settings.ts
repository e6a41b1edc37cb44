import * as vscode from 'vscode';
import { isRecord } from '../isRecord';
import { DEFAULT_SETTINGS, SETTING_NAMES, SETTINGS_SECTION } from './defaults';
import { originOf } from './gatewayOrigin';
import { isRestrictedInUntrustedWorkspace } from './settingScopes';
import {
  checkProfileOverride,
  DEFAULT_PROFILE_ID,
  isHttpUrl,
  isProfileId,
  PROFILE_PRESETS,
  resolveProfile,
  type ProfileId,
  type ProfileOverrideProblem,
  type ResolvedProfile,
} from './profiles';
import { checkSettings, type ClientOptions, type RequestOptions, type SettingProblem, type ToolOptions } from './requestSettings';

// The one place that reads Fox Chat's workspace configuration.

export interface EffectiveSettings {
  profile: ResolvedProfile;
  request: RequestOptions;
  client: ClientOptions;
  tools: ToolOptions;
}

/** A setting whose value cannot be used, described for the user. */
export class SettingError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(message);
  }
}

const show = (value: unknown): string => (value === undefined ? 'undefined' : JSON.stringify(value));

export function describeSettingProblem(problem: SettingProblem | ProfileOverrideProblem): string {
  if ('expected' in problem) {
    const expected = {
      url: vscode.l10n.t('an http:// or https:// URL'),
      text: vscode.l10n.t('a non-empty text'),
      object: vscode.l10n.t('a JSON object'),
      textMap: vscode.l10n.t('an object of text values'),
      textList: vscode.l10n.t('a list of texts'),
    }[problem.expected];
    return vscode.l10n.t('The setting {0} must be {1} (it is {2}).', problem.setting, expected, show(problem.value));
  }
  switch (problem.kind) {
    case 'number':
      return problem.rule.integer
        ? vscode.l10n.t('The setting {0} must be a whole number from {1} to {2} (it is {3}).', problem.setting, problem.rule.min, problem.rule.max, show(problem.value))
        : vscode.l10n.t('The setting {0} must be a number from {1} to {2} (it is {3}).', problem.setting, problem.rule.min, problem.rule.max, show(problem.value));
    case 'object':
      return vscode.l10n.t('The setting {0} must be a JSON object (it is {1}).', problem.setting, show(problem.value));
    case 'enum':
      return vscode.l10n.t('The setting {0} must be one of {1} (it is {2}).', problem.setting, problem.values.join(', '), show(problem.value));
    case 'enumList':
      return vscode.l10n.t('The setting {0} must be a list of some of {1} (it is {2}).', problem.setting, problem.values.join(', '), show(problem.value));
    case 'reservedKeys':
      return vscode.l10n.t('The setting {0} cannot set {1}: Fox Chat sends those itself.', problem.setting, problem.keys.join(', '));
  }
}

/** A value the user set (in any scope VS Code honours here), ignoring the default. */
function explicitString(config: vscode.WorkspaceConfiguration, key: string): string | undefined {
  const inspected = config.inspect<string>(key);
  // inspect() reports an untrusted workspace's values even where get() ignores them.
  const workspaceIgnored = !vscode.workspace.isTrusted && isRestrictedInUntrustedWorkspace(`${SETTINGS_SECTION}.${key}`);
  const workspaceValue = workspaceIgnored ? undefined : (inspected?.workspaceFolderValue ?? inspected?.workspaceValue);
  const value = workspaceValue ?? inspected?.globalValue;
  return typeof value === 'string' && value.trim().length > 0 ? value : undefined;
}

export function activeProfileId(): ProfileId {
  const id = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<unknown>('profile');
  return isProfileId(id) ? id : DEFAULT_PROFILE_ID;
}

/** Every setting in effect, checked. Throws SettingError naming the first bad setting and its allowed values. */
export function readSettings(): EffectiveSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const rawProfile = config.get<unknown>('profile', DEFAULT_PROFILE_ID);
  if (!isProfileId(rawProfile)) {
    throw new SettingError(
      'foxChat.profile',
      describeSettingProblem({ setting: 'foxChat.profile', value: rawProfile, kind: 'enum', values: PROFILE_PRESETS.map((preset) => preset.id) }),
    );
  }
  const overrides = config.get<unknown>('profiles');
  const overrideValue = typeof overrides === 'object' && overrides !== null ? (overrides as Record<string, unknown>)[rawProfile] : undefined;
  const { override, problems: profileProblems } = checkProfileOverride(rawProfile, overrideValue);

  const baseUrl = explicitString(config, 'baseUrl');
  if (baseUrl !== undefined && !isHttpUrl(baseUrl)) {
    profileProblems.unshift({ setting: 'foxChat.baseUrl', value: baseUrl, expected: 'url' });
  }
  const first = profileProblems[0];
  if (first) {
    throw new SettingError(first.setting, describeSettingProblem(first));
  }

  const raw: Record<string, unknown> = {};
  for (const key of SETTING_NAMES) {
    raw[key] = config.get<unknown>(key);
  }
  const { request, client, tools, problems } = checkSettings(raw);
  if (problems[0]) {
    throw new SettingError(problems[0].setting, describeSettingProblem(problems[0]));
  }

  const profile = resolveProfile(rawProfile, override, { baseUrl, model: explicitString(config, 'model') });
  // The profile's provider object applies unless foxChat.provider replaces it.
  request.provider ??= profile.provider;
  return { profile, request, client, tools };
}

/**
 * The base URL the user's own settings (no workspace or folder values) give `profile`: where a key
 * stored now is meant to go. Same precedence as readSettings; an unusable value falls back.
 */
export function userBaseUrl(profile: ProfileId): string {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const explicit = config.inspect<unknown>('baseUrl')?.globalValue;
  const overrides = config.inspect<unknown>('profiles')?.globalValue;
  const { override } = checkProfileOverride(profile, isRecord(overrides) ? overrides[profile] : undefined);
  const baseUrl = typeof explicit === 'string' && isHttpUrl(explicit) ? explicit : undefined;
  return resolveProfile(profile, override, { baseUrl }).baseUrl;
}

export function onDidChangeSettings(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration(SETTINGS_SECTION)) {
      listener();
    }
  });
}

/**
 * foxChat.ignoreFiles as the user set it. Only the user's own value counts (the setting is
 * application-scoped): a repository's .vscode/settings.json must not be able to weaken it.
 */
export function readIgnoreFilePatterns(): string[] {
  const inspected = vscode.workspace.getConfiguration(SETTINGS_SECTION).inspect<unknown>('ignoreFiles');
  const value = inspected?.globalValue ?? inspected?.defaultValue;
  return Array.isArray(value) ? value.filter((pattern): pattern is string => typeof pattern === 'string') : [];
}

/**
 * foxChat.promptFolders as the user set it (application-scoped, like ignoreFiles: a repository must
 * not make Fox Chat read prompt files from elsewhere on the disk).
 */
export function readPromptFolders(): string[] {
  const inspected = vscode.workspace.getConfiguration(SETTINGS_SECTION).inspect<unknown>('promptFolders');
  const value = inspected?.globalValue ?? inspected?.defaultValue;
  return Array.isArray(value) ? value.filter((folder): folder is string => typeof folder === 'string' && folder.trim() !== '') : [];
}

/** The model in effect, or the default while a setting is broken (the status bar says which). */
export function currentModel(): string {
  try {
    return readSettings().profile.model;
  } catch {
    return DEFAULT_SETTINGS.model;
  }
}

/** Where requests go now (scheme, host, port), or '' while a setting is broken. */
export function currentGatewayOrigin(): string {
  try {
    return originOf(readSettings().profile.baseUrl) ?? '';
  } catch {
    return '';
  }
}
