// vscode-free, so a unit test can hold these against package.json's contributes.configuration.

export const SETTINGS_SECTION = 'foxChat';

/** Every setting Fox Chat reads, without the `foxChat.` prefix. */
export const SETTING_NAMES = [
  'profile',
  'baseUrl',
  'model',
  'profiles',
  'temperature',
  'maxTokens',
  'topP',
  'frequencyPenalty',
  'presencePenalty',
  'responseFormat',
  'jsonSchema',
  'provider',
  'extraBody',
  'idleTimeoutSeconds',
  'maxRetries',
  'maxAnswerMB',
  'imageDetail',
  'reasoningEffort',
  'tools.enabled',
  'tools.toolChoice',
  'tools.enabledTools',
  'tools.maxRounds',
  'ignoreFiles',
  'promptFolders',
] as const;

/** Defaults that matter when the setting is read; request parameters default to unset. */
export const DEFAULT_SETTINGS = {
  profile: 'ofoxai',
  baseUrl: 'https://api.ofox.ai/v1',
  model: 'openai/gpt-4o',
  responseFormat: 'text',
  imageDetail: 'auto',
} as const;
