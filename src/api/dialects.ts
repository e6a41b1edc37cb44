// What each gateway turned out to refuse, learned from its 400s and kept across sessions, so a
// request that was refused once goes out in the gateway's dialect from then on. One mechanism for
// every optional field (it began as the memory of which gateways reject `stream_options`).

import { isRecord } from '../isRecord';
import type { ChatMessage, ChatRequest, GatewayErrorInfo, ResponseFormat } from './types';

/**
 * A change to the request body that a gateway needs. The first group is retried at once and
 * transparently; `noResponseFormat` and `noImages` are remembered but the refusal still reaches the
 * caller, whose fallback changes what is asked (JSON by prompt, another model for images).
 */
export const DIALECT_FIXES = [
  'noStreamOptions',
  'maxCompletionTokens',
  'noTemperature',
  'noProvider',
  'noReasoningEffort',
  'noTools',
  'sendReasoningContent',
  'omitReasoningContent',
  'noResponseFormat',
  'noImages',
] as const;
export type DialectFix = (typeof DIALECT_FIXES)[number];

/** Fixes whose refusal still reaches the caller: the request would lose what it is about. */
const REPORTED_FIXES: ReadonlySet<DialectFix> = new Set(['noResponseFormat', 'noImages']);

/**
 * Fixes learned for the whole gateway rather than one model: `stream_options` is refused by the
 * gateway's own request parser, whatever model it routes to.
 */
const GATEWAY_WIDE_FIXES: ReadonlySet<DialectFix> = new Set(['noStreamOptions']);

/** The part of VS Code's Memento the memory needs; anything with get/update will do in tests. */
export interface DialectStorage {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void>;
}

export const DIALECTS_STATE_KEY = 'foxChat.learnedDialects';
/** Where the memory of stream_options refusals was kept before it learned more than that. */
export const LEGACY_STREAM_OPTIONS_KEY = 'foxChat.streamOptionsRejectedBy';

/** One learned entry: `model` is '' for what holds for the whole gateway. */
export interface LearnedDialect {
  baseUrl: string;
  model: string;
  fixes: DialectFix[];
}

/** Learned per base URL and model, persisted through `storage` when one is given. */
export class GatewayDialects {
  private readonly learned = new Map<string, { baseUrl: string; model: string; fixes: Set<DialectFix> }>();

  constructor(private readonly storage?: DialectStorage) {
    if (storage) {
      this.restore(storage.get(LEGACY_STREAM_OPTIONS_KEY));
      this.restore(storage.get(DIALECTS_STATE_KEY));
    }
  }

  /** Everything learned for requests of `model` to `baseUrl` (gateway-wide fixes included). */
  fixesFor(baseUrl: string, model: string): ReadonlySet<DialectFix> {
    const gateway = this.learned.get(keyOf(baseUrl, ''))?.fixes;
    const forModel = this.learned.get(keyOf(baseUrl, model))?.fixes;
    return new Set([...(gateway ?? []), ...(forModel ?? [])]);
  }

  has(baseUrl: string, model: string, fix: DialectFix): boolean {
    return this.fixesFor(baseUrl, model).has(fix);
  }

  /** Remembers `fix`; true when it was new. A reasoning_content fix replaces its opposite. */
  learn(baseUrl: string, model: string, fix: DialectFix): boolean {
    const added = this.add(baseUrl, model, fix);
    if (added) this.persist();
    return added;
  }

  private add(baseUrl: string, model: string, fix: DialectFix): boolean {
    const scopeModel = GATEWAY_WIDE_FIXES.has(fix) ? '' : model;
    const key = keyOf(baseUrl, scopeModel);
    let entry = this.learned.get(key);
    if (!entry) {
      entry = { baseUrl: normaliseBaseUrl(baseUrl), model: scopeModel, fixes: new Set() };
      this.learned.set(key, entry);
    }
    if (entry.fixes.has(fix)) return false;
    if (fix === 'sendReasoningContent') entry.fixes.delete('omitReasoningContent');
    if (fix === 'omitReasoningContent') entry.fixes.delete('sendReasoningContent');
    entry.fixes.add(fix);
    return true;
  }

  /** Forgets everything learned (or only what was learned about `baseUrl`). */
  reset(baseUrl?: string): void {
    if (baseUrl === undefined) this.learned.clear();
    else for (const [key, entry] of this.learned) if (entry.baseUrl === normaliseBaseUrl(baseUrl)) this.learned.delete(key);
    this.persist();
  }

  /** What was learned, sorted by base URL and model, for display and storage. */
  snapshot(): LearnedDialect[] {
    return [...this.learned.values()]
      .filter((entry) => entry.fixes.size > 0)
      .map((entry) => ({ baseUrl: entry.baseUrl, model: entry.model, fixes: DIALECT_FIXES.filter((fix) => entry.fixes.has(fix)) }))
      .sort((a, b) => a.baseUrl.localeCompare(b.baseUrl) || a.model.localeCompare(b.model));
  }

  /**
   * Adds what snapshot() returned, or the list of base URLs the stream_options memory used to
   * keep; anything else (stale or corrupt storage) is ignored.
   */
  restore(stored: unknown): void {
    if (!Array.isArray(stored)) return;
    for (const item of stored as unknown[]) {
      if (typeof item === 'string' && item !== '') {
        this.add(item, '', 'noStreamOptions');
      } else if (isRecord(item) && typeof item.baseUrl === 'string' && item.baseUrl !== '' && typeof item.model === 'string' && Array.isArray(item.fixes)) {
        for (const fix of item.fixes as unknown[]) {
          if (isDialectFix(fix)) this.add(item.baseUrl, item.model, fix);
        }
      }
    }
  }

  /** stream_options, as the memory was first asked about it. */
  isRejected(baseUrl: string): boolean {
    return this.has(baseUrl, '', 'noStreamOptions');
  }

  markRejected(baseUrl: string): void {
    this.learn(baseUrl, '', 'noStreamOptions');
  }

  private persist(): void {
    if (!this.storage) return;
    void this.storage.update(DIALECTS_STATE_KEY, this.snapshot());
    // Its content now lives in the snapshot; left behind, a reset would not forget it.
    if (this.storage.get(LEGACY_STREAM_OPTIONS_KEY) !== undefined) void this.storage.update(LEGACY_STREAM_OPTIONS_KEY, undefined);
  }
}

/** The memory used when a caller brings none: it lasts as long as the process. */
export const defaultGatewayDialects = new GatewayDialects();

export function isDialectFix(value: unknown): value is DialectFix {
  return typeof value === 'string' && (DIALECT_FIXES as readonly string[]).includes(value);
}

/** True for fixes whose refusal is passed on to the caller after it is learned. */
export function isReportedFix(fix: DialectFix): boolean {
  return REPORTED_FIXES.has(fix);
}

export function normaliseBaseUrl(baseUrl: string): string {
  return baseUrl.trim().replace(/\/+$/, '').toLowerCase();
}

function keyOf(baseUrl: string, model: string): string {
  return `${normaliseBaseUrl(baseUrl)}\n${model}`;
}

// ---------------------------------------------------------------------------------------------
// Telling refusals apart

/**
 * Groq and others answer 400 `tool_use_failed` when the model wrote one malformed tool call: the
 * gateway has function calling, this one generation went wrong, so tools must stay on.
 */
export function isInvalidToolCall(info: GatewayErrorInfo, body: string): boolean {
  return /tool_use_failed|failed_generation|tool call validation failed|failed to call a function/i.test(`${info.message}\n${body}`);
}

/**
 * The fix a 400/422 asks for, given the body that was sent; undefined when the refusal is about
 * something else, or names a field the body did not carry (then the fix would change nothing).
 */
export function classifyRejection(info: GatewayErrorInfo, body: string, sent: Readonly<Record<string, unknown>>): DialectFix | undefined {
  if (info.status !== 400 && info.status !== 422) return undefined;
  const text = `${info.message}\n${body}`;
  const param = errorParam(body);
  const names = (field: string): boolean => param === field || new RegExp(`(^|[^a-z_])${field}([^a-z_]|$)`, 'i').test(text);

  if (sent.stream_options !== undefined && (names('stream_options') || /include_usage/i.test(text))) return 'noStreamOptions';
  if (sent.max_tokens !== undefined && names('max_tokens')) return 'maxCompletionTokens';
  if (sent.temperature !== undefined && names('temperature')) return 'noTemperature';
  if (sent.reasoning_effort !== undefined && names('reasoning_effort')) return 'noReasoningEffort';
  if (hasReasoningContent(sent) && names('reasoning_content')) return 'omitReasoningContent';
  if (!hasReasoningContent(sent) && /reasoning_content/i.test(text) && /missing|required|must/i.test(text)) return 'sendReasoningContent';
  // "provider" alone is everywhere ("Provider returned error"); only the field itself counts.
  if (sent.provider !== undefined && (param === 'provider' || /["'`]provider["'`]|\bbody\W+provider\b|\bprovider\b\W+extra|unrecognized[^.\n]*\bprovider\b/i.test(text))) return 'noProvider';
  if (sent.tools !== undefined && !isInvalidToolCall(info, body) && refusesTools(text, param)) return 'noTools';
  if (sent.response_format !== undefined && (names('response_format') || /json_schema|json_object|json mode|structured output/i.test(text))) return 'noResponseFormat';
  // "image too large" is about this image, not the gateway: only a refusal of images as such counts.
  if (hasImages(sent) && /image|vision|multi-?modal/i.test(text) && /(not|n't|un)\s*(support|accept|allow|available)|text[- ]only|only (supports )?text/i.test(text)) return 'noImages';
  return undefined;
}

function refusesTools(text: string, param: string | undefined): boolean {
  if (param === 'tools' || param === 'tool_choice') return true;
  return /(does not|doesn't|do not|not) support[s]? (tools|tool[ _-]?(calls|calling|use)|function[ _-]?calling)|\btools?\b[^.\n]{0,40}\bnot (supported|allowed|available)|(tools|tool_choice|function calling)[^.\n]{0,20}(unsupported|unrecognized|unknown)|["'`](tools|tool_choice)["'`]/i.test(
    text,
  );
}

/** `error.param` of an OpenAI-style body, or the last name of a FastAPI/pydantic `loc`. */
function errorParam(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const error = isRecord(parsed) ? (isRecord(parsed.error) ? parsed.error : parsed) : undefined;
  if (error && typeof error.param === 'string') return error.param.split('.')[0];
  return undefined;
}

function messagesOf(body: Readonly<Record<string, unknown>>): unknown[] {
  return Array.isArray(body.messages) ? (body.messages as unknown[]) : [];
}

function hasReasoningContent(body: Readonly<Record<string, unknown>>): boolean {
  return messagesOf(body).some((message) => isRecord(message) && message.reasoning_content !== undefined);
}

function hasImages(body: Readonly<Record<string, unknown>>): boolean {
  return messagesOf(body).some((message) => isRecord(message) && Array.isArray(message.content) && (message.content as unknown[]).some((part) => isRecord(part) && part.type === 'image_url'));
}

// ---------------------------------------------------------------------------------------------
// Speaking the dialect

export interface DialectContext {
  /** openrouter.ai takes reasoning effort as `reasoning: {effort}`. */
  baseUrl: string;
  fixes: ReadonlySet<DialectFix>;
}

/**
 * The body as this gateway wants it. `reasoning_content` on assistant messages (kept by the
 * conversation for gateways that need it back) is only sent where a gateway asked for it.
 */
export function adaptBody<T extends ChatRequest & Record<string, unknown>>(body: T, { baseUrl, fixes }: DialectContext): T {
  const out: Record<string, unknown> = { ...body };
  if (fixes.has('noStreamOptions')) delete out.stream_options;
  if (fixes.has('maxCompletionTokens') && out.max_tokens !== undefined) {
    out.max_completion_tokens ??= out.max_tokens;
    delete out.max_tokens;
  }
  if (fixes.has('noTemperature')) delete out.temperature;
  if (fixes.has('noProvider')) delete out.provider;
  if (fixes.has('noTools')) {
    delete out.tools;
    delete out.tool_choice;
    delete out.parallel_tool_calls;
  }
  if (fixes.has('noReasoningEffort')) {
    delete out.reasoning_effort;
  } else if (out.reasoning_effort !== undefined && isOpenRouter(baseUrl)) {
    const reasoning = isRecord(out.reasoning) ? out.reasoning : {};
    out.reasoning = { ...reasoning, effort: out.reasoning_effort };
    delete out.reasoning_effort;
  }
  if (fixes.has('noResponseFormat') && isRecord(out.response_format)) {
    const format = out.response_format as ResponseFormat;
    delete out.response_format;
    if (format.type !== 'text') out.messages = withSystemNote(body.messages, jsonInstruction(format));
  }
  const sendReasoning = fixes.has('sendReasoningContent') && !fixes.has('omitReasoningContent');
  out.messages = (out.messages as ChatMessage[]).map((message) => adaptMessage(message, sendReasoning));
  return out as T;
}

function adaptMessage(message: ChatMessage, sendReasoning: boolean): ChatMessage {
  if (message.reasoning_content === undefined || (sendReasoning && message.role === 'assistant')) return message;
  const { reasoning_content: _reasoning, ...rest } = message;
  return rest;
}

export function isOpenRouter(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname.toLowerCase();
    return host === 'openrouter.ai' || host.endsWith('.openrouter.ai');
  } catch {
    return false;
  }
}

/** The prompt instruction that stands in for `response_format` on gateways that reject it. */
export function jsonInstruction(format: Exclude<ResponseFormat, { type: 'text' }>): string {
  const base = 'Answer with a single JSON value only: no prose before or after it, no Markdown code fence.';
  return format.type === 'json_schema' && format.json_schema.schema
    ? `${base} It must be valid against this JSON Schema:\n${JSON.stringify(format.json_schema.schema)}`
    : `${base} Answer with a JSON object.`;
}

export function withSystemNote(messages: readonly ChatMessage[], note: string): ChatMessage[] {
  const [first, ...rest] = messages;
  if (first?.role === 'system' && typeof first.content === 'string') {
    return [{ ...first, content: `${first.content}\n\n${note}` }, ...rest];
  }
  return [{ role: 'system', content: note }, ...messages];
}
