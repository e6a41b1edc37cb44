// vscode-free: the request parameters users set, their allowed ranges, and the check run before
// every request (the settings schema checks too, but settings.json can hold anything).
import { REASONING_EFFORTS } from '../api/types';
import type { ImageDetail, ReasoningEffort, ResponseFormat } from '../api/types';
import { isRecord } from '../isRecord';
import { isToolName, TOOL_NAMES, type ToolName } from '../tools/toolDefinitions';

export interface NumberRule {
  kind: 'number';
  min: number;
  max: number;
  integer: boolean;
}

/** Numeric request settings: setting name (under foxChat.) → wire field and range. */
export const NUMBER_SETTINGS = {
  temperature: { field: 'temperature', rule: { kind: 'number', min: 0, max: 2, integer: false } },
  maxTokens: { field: 'max_tokens', rule: { kind: 'number', min: 1, max: 1_000_000, integer: true } },
  topP: { field: 'top_p', rule: { kind: 'number', min: 0, max: 1, integer: false } },
  frequencyPenalty: { field: 'frequency_penalty', rule: { kind: 'number', min: -2, max: 2, integer: false } },
  presencePenalty: { field: 'presence_penalty', rule: { kind: 'number', min: -2, max: 2, integer: false } },
} as const satisfies Record<string, { field: string; rule: NumberRule }>;

/** Settings of the client itself, not sent on the wire. */
export const CLIENT_NUMBER_SETTINGS = {
  idleTimeoutSeconds: { rule: { kind: 'number', min: 5, max: 600, integer: false }, default: 60 },
  maxRetries: { rule: { kind: 'number', min: 0, max: 5, integer: true }, default: 2 },
  maxAnswerMB: { rule: { kind: 'number', min: 1, max: 512, integer: true }, default: 32 },
  'tools.maxRounds': { rule: { kind: 'number', min: 1, max: 25, integer: true }, default: 8 },
} as const satisfies Record<string, { rule: NumberRule; default: number }>;

export const RESPONSE_FORMATS = ['text', 'json_object', 'json_schema'] as const;
export const IMAGE_DETAILS = ['auto', 'low', 'high'] as const;
export const TOOL_CHOICES = ['auto', 'none', 'required'] as const;
export type ResponseFormatSetting = (typeof RESPONSE_FORMATS)[number];

/** Keys extraBody may not set: they are the request itself. */
export const RESERVED_BODY_KEYS = ['model', 'messages', 'stream'] as const;

export type SettingProblem =
  | { setting: string; value: unknown; kind: 'number'; rule: NumberRule }
  | { setting: string; value: unknown; kind: 'object' }
  | { setting: string; value: unknown; kind: 'enum'; values: readonly string[] }
  | { setting: string; value: unknown; kind: 'enumList'; values: readonly string[] }
  | { setting: string; value: unknown; kind: 'reservedKeys'; keys: readonly string[] };

export interface RequestOptions {
  temperature?: number;
  max_tokens?: number;
  top_p?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
  response_format?: ResponseFormat;
  reasoning_effort?: ReasoningEffort;
  provider?: Record<string, unknown>;
  extraBody?: Record<string, unknown>;
}

export interface ClientOptions {
  idleTimeoutMs: number;
  maxRetries: number;
  /** foxChat.maxAnswerMB in bytes. */
  maxAnswerBytes: number;
  imageDetail: ImageDetail;
}

export interface ToolOptions {
  /** The tools offered; empty when tools are off. */
  enabled: ToolName[];
  choice: (typeof TOOL_CHOICES)[number];
  maxRounds: number;
}

export interface CheckedSettings {
  request: RequestOptions;
  client: ClientOptions;
  tools: ToolOptions;
  problems: SettingProblem[];
}

const isUnset = (value: unknown): boolean => value === undefined || value === null;

function checkNumber(value: unknown, rule: NumberRule): value is number {
  return (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= rule.min &&
    value <= rule.max &&
    (!rule.integer || Number.isInteger(value))
  );
}

/**
 * Reads the raw values of `foxChat.*` (keys without the prefix) into request and client options.
 * Unset values are left out; every bad value becomes a problem naming the setting.
 */
export function checkSettings(raw: Readonly<Record<string, unknown>>): CheckedSettings {
  const problems: SettingProblem[] = [];
  const request: RequestOptions = {};

  for (const [name, { field, rule }] of Object.entries(NUMBER_SETTINGS)) {
    const value = raw[name];
    if (isUnset(value)) {
      continue;
    }
    if (checkNumber(value, rule)) {
      request[field] = value;
    } else {
      problems.push({ setting: `foxChat.${name}`, value, kind: 'number', rule });
    }
  }

  const client: ClientOptions = { idleTimeoutMs: 0, maxRetries: 0, maxAnswerBytes: 0, imageDetail: 'auto' };
  const detail = raw.imageDetail ?? 'auto';
  if ((IMAGE_DETAILS as readonly unknown[]).includes(detail)) {
    client.imageDetail = detail as ImageDetail;
  } else {
    problems.push({ setting: 'foxChat.imageDetail', value: detail, kind: 'enum', values: IMAGE_DETAILS });
  }
  const idle = raw.idleTimeoutSeconds ?? CLIENT_NUMBER_SETTINGS.idleTimeoutSeconds.default;
  if (checkNumber(idle, CLIENT_NUMBER_SETTINGS.idleTimeoutSeconds.rule)) {
    client.idleTimeoutMs = idle * 1000;
  } else {
    problems.push({ setting: 'foxChat.idleTimeoutSeconds', value: idle, kind: 'number', rule: CLIENT_NUMBER_SETTINGS.idleTimeoutSeconds.rule });
  }
  const answerMegabytes = raw.maxAnswerMB ?? CLIENT_NUMBER_SETTINGS.maxAnswerMB.default;
  if (checkNumber(answerMegabytes, CLIENT_NUMBER_SETTINGS.maxAnswerMB.rule)) {
    client.maxAnswerBytes = answerMegabytes * 1024 * 1024;
  } else {
    problems.push({ setting: 'foxChat.maxAnswerMB', value: answerMegabytes, kind: 'number', rule: CLIENT_NUMBER_SETTINGS.maxAnswerMB.rule });
  }
  const retries = raw.maxRetries ?? CLIENT_NUMBER_SETTINGS.maxRetries.default;
  if (checkNumber(retries, CLIENT_NUMBER_SETTINGS.maxRetries.rule)) {
    client.maxRetries = retries;
  } else {
    problems.push({ setting: 'foxChat.maxRetries', value: retries, kind: 'number', rule: CLIENT_NUMBER_SETTINGS.maxRetries.rule });
  }

  const format = raw.responseFormat ?? 'text';
  if (!RESPONSE_FORMATS.includes(format as ResponseFormatSetting)) {
    problems.push({ setting: 'foxChat.responseFormat', value: format, kind: 'enum', values: RESPONSE_FORMATS });
  } else if (format === 'json_object') {
    request.response_format = { type: 'json_object' };
  } else if (format === 'json_schema') {
    const schema = raw.jsonSchema;
    if (isRecord(schema) && Object.keys(schema).length > 0) {
      request.response_format = { type: 'json_schema', json_schema: { name: 'fox_chat_response', schema } };
    } else {
      problems.push({ setting: 'foxChat.jsonSchema', value: schema, kind: 'object' });
    }
  }

  // `default` sends nothing: the model's own default, and no field for gateways that do not know it.
  const effort = raw.reasoningEffort ?? 'default';
  const efforts = ['default', ...REASONING_EFFORTS] as const;
  if (!(efforts as readonly unknown[]).includes(effort)) {
    problems.push({ setting: 'foxChat.reasoningEffort', value: effort, kind: 'enum', values: efforts });
  } else if (effort !== 'default') {
    request.reasoning_effort = effort as ReasoningEffort;
  }

  for (const name of ['provider', 'extraBody'] as const) {
    const value = raw[name];
    if (isUnset(value)) {
      continue;
    }
    if (!isRecord(value)) {
      problems.push({ setting: `foxChat.${name}`, value, kind: 'object' });
      continue;
    }
    if (Object.keys(value).length === 0) {
      continue;
    }
    if (name === 'extraBody') {
      const reserved = RESERVED_BODY_KEYS.filter((key) => key in value);
      if (reserved.length > 0) {
        problems.push({ setting: 'foxChat.extraBody', value, kind: 'reservedKeys', keys: reserved });
        continue;
      }
    }
    request[name] = value;
  }

  const tools = checkToolSettings(raw, problems);
  return { request, client, tools, problems };
}

function checkToolSettings(raw: Readonly<Record<string, unknown>>, problems: SettingProblem[]): ToolOptions {
  const tools: ToolOptions = { enabled: [], choice: 'auto', maxRounds: CLIENT_NUMBER_SETTINGS['tools.maxRounds'].default };
  const on = raw['tools.enabled'] ?? true;
  if (typeof on !== 'boolean') {
    problems.push({ setting: 'foxChat.tools.enabled', value: on, kind: 'enum', values: ['true', 'false'] });
  }
  const list = raw['tools.enabledTools'] ?? TOOL_NAMES;
  if (Array.isArray(list) && list.every(isToolName)) {
    tools.enabled = on === true ? TOOL_NAMES.filter((name) => list.includes(name)) : [];
  } else {
    problems.push({ setting: 'foxChat.tools.enabledTools', value: list, kind: 'enumList', values: TOOL_NAMES });
  }
  const choice = raw['tools.toolChoice'] ?? 'auto';
  if ((TOOL_CHOICES as readonly unknown[]).includes(choice)) {
    tools.choice = choice as ToolOptions['choice'];
  } else {
    problems.push({ setting: 'foxChat.tools.toolChoice', value: choice, kind: 'enum', values: TOOL_CHOICES });
  }
  const rounds = raw['tools.maxRounds'] ?? tools.maxRounds;
  const roundRule = CLIENT_NUMBER_SETTINGS['tools.maxRounds'].rule;
  if (checkNumber(rounds, roundRule)) {
    tools.maxRounds = rounds;
  } else {
    problems.push({ setting: 'foxChat.tools.maxRounds', value: rounds, kind: 'number', rule: roundRule });
  }
  return tools;
}
