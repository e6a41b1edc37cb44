// Turns the `data:` payloads of a chat-completions stream into typed events. This is the per-chunk
// hot path: one JSON.parse and a handful of property reads for an ordinary text chunk.

import { isRecord } from '../isRecord';
import { excerpt, messageFromErrorValue, toMasker } from './errors';
import type { SecretsToMask } from './errors';
import { plainTextChunk } from './plainTextChunk';
import type { Masker } from './redact';
import { ToolCallAccumulator } from './toolCallAccumulator';
import type { StreamEvent, Usage } from './types';

/** The answer cap when the caller sets none: far beyond any real answer, well short of trouble. */
export const DEFAULT_MAX_ANSWER_BYTES = 32 * 1024 * 1024;
/** Agents call a handful of tools per answer; dozens more is a model stuck in a loop. */
export const MAX_TOOL_CALLS = 64;

export class ChunkDecoder {
  private readonly toolCalls = new ToolCallAccumulator(MAX_TOOL_CALLS);
  private readonly mask: Masker;
  /** A piece of a tool call arrived since the last `toolCalls` event. */
  private toolCallsChanged = false;
  /** UTF-8 bytes of text, reasoning and tool-call names and arguments so far. */
  private answerBytes = 0;

  /**
   * `secrets` (the API key, secret header values) are masked in every error this decoder reports.
   * Once the answer passes `maxAnswerBytes`, the piece that would pass it is dropped and the
   * stream ends with an error.
   */
  constructor(
    secrets: SecretsToMask,
    private readonly maxAnswerBytes: number = DEFAULT_MAX_ANSWER_BYTES,
  ) {
    this.mask = toMasker(secrets);
  }

  /**
   * Appends the events of one `data:` payload (or of a whole JSON completion) to `out`. Returns
   * true when the stream is over: [DONE], an error object, a content-filter verdict, or something
   * that is not a JSON chunk. `event` is the SSE event name, when the gateway sent one.
   */
  push(data: string, out: StreamEvent[], event?: string): boolean {
    if (data === '[DONE]') {
      this.end(out);
      return true;
    }
    const plainText = plainTextChunk(data);
    if (plainText !== undefined) {
      if (plainText === '') return false;
      if (this.overflows(plainText, out)) return true;
      appendPiece('text', plainText, out);
      return false;
    }
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      chunk = undefined;
    }
    // `event: error` frames (Groq) carry an error whatever their data looks like.
    if (event === 'error') {
      const message = messageFromErrorValue(chunk) ?? excerpt(this.mask(data), 200);
      out.push(this.streamError(message || 'The gateway sent an error event without a message.'));
      return true;
    }
    if (Array.isArray(chunk) && chunk.length > 0 && isRecord(chunk[0]) && chunk[0].error !== undefined) {
      // Gemini wraps its error objects in an array.
      chunk = chunk[0];
    }
    if (!isRecord(chunk)) {
      out.push(this.streamError(`Malformed stream data: ${excerpt(this.mask(data), 80)}`));
      return true;
    }
    if (chunk.error !== undefined && chunk.error !== null) {
      out.push(this.streamError(messageFromErrorValue(chunk) ?? `Stream error: ${excerpt(this.mask(data), 120)}`));
      return true;
    }

    const choices = chunk.choices;
    // `choices: []` chunks carry usage, Azure's prompt_filter_results or OpenAI's moderation.
    if (Array.isArray(choices) && choices.length > 0) {
      const choice: unknown = choices[0];
      if (isRecord(choice) && this.pushChoice(choice, out)) return true;
    }
    if (isRecord(chunk.usage)) {
      out.push({ type: 'usage', usage: toUsage(chunk.usage) });
    }
    const blocked = filteredCategories(chunk.prompt_filter_results);
    if (blocked !== undefined) {
      out.push(contentFilterError(blocked));
      return true;
    }
    return false;
  }

  /** The stream ended cleanly (with or without [DONE]): tool calls still open are complete now. */
  end(out: StreamEvent[]): void {
    if (this.toolCallsChanged) {
      // Every call so far, not only those since the last `toolCalls`: consumers keep the latest list.
      out.push({ type: 'toolCalls', calls: this.toolCalls.calls() });
      this.toolCallsChanged = false;
    }
  }

  /** Returns true when the choice ended the stream (a cap, or a content filter; the error event is in `out`). */
  private pushChoice(choice: Record<string, unknown>, out: StreamEvent[]): boolean {
    // `delta` in stream chunks, `message` in a whole chat.completion.
    const delta = choice.delta ?? choice.message;
    if (isRecord(delta)) {
      const reasoning = reasoningOf(delta);
      if (reasoning !== undefined && this.pushPiece('reasoning', reasoning, out)) return true;
      const content = delta.content;
      if (typeof content === 'string') {
        if (content !== '' && this.pushPiece('text', content, out)) return true;
      } else if (Array.isArray(content)) {
        // Mistral's parts: `text` parts are the answer, `thinking` parts hold text parts of reasoning.
        for (const part of content as unknown[]) {
          if (!isRecord(part)) continue;
          if (part.type === 'text' && typeof part.text === 'string') {
            if (part.text !== '' && this.pushPiece('text', part.text, out)) return true;
          } else if (part.type === 'thinking') {
            const thinking = textOfParts(part.thinking);
            if (thinking !== '' && this.pushPiece('reasoning', thinking, out)) return true;
          }
        }
      }
      const toolCalls = delta.tool_calls;
      if (Array.isArray(toolCalls)) {
        for (const raw of toolCalls as unknown[]) {
          const piece = this.toolCalls.add(raw);
          if (this.toolCalls.tooMany) {
            out.push(this.streamError(`The model started more than ${MAX_TOOL_CALLS} tool calls in one answer; the answer was stopped.`));
            return true;
          }
          // An entry with nothing in it (Qwen's closing `"arguments": ""`) changes nothing.
          if (!piece || (piece.id === undefined && piece.name === undefined && piece.argumentsDelta === undefined)) continue;
          if (piece.name !== undefined && this.overflows(piece.name, out)) return true;
          if (piece.argumentsDelta !== undefined && this.overflows(piece.argumentsDelta, out)) return true;
          this.toolCallsChanged = true;
          out.push(piece);
        }
      }
    }
    const blocked = filteredCategories(choice.content_filter_results);
    const reason = choice.finish_reason;
    if (typeof reason === 'string') {
      // The calls go out before `finish`, so whoever sees finish_reason "tool_calls" already has them.
      this.end(out);
      out.push({ type: 'finish', reason });
    }
    // Azure's verdict may come with finish_reason "content_filter" or in a chunk after the finish.
    if (blocked !== undefined || reason === 'content_filter') {
      out.push(contentFilterError(blocked ?? []));
      return true;
    }
    return false;
  }

  /** Pushes a text or reasoning piece; past the cap, pushes the error instead and returns true. */
  private pushPiece(type: 'text' | 'reasoning', text: string, out: StreamEvent[]): boolean {
    if (this.overflows(text, out)) return true;
    appendPiece(type, text, out);
    return false;
  }

  /** Counts `piece` into the answer; past the cap, pushes the error instead and returns true. */
  private overflows(piece: string, out: StreamEvent[]): boolean {
    this.answerBytes += Buffer.byteLength(piece, 'utf8');
    if (this.answerBytes <= this.maxAnswerBytes) return false;
    out.push(this.streamError(answerTooLargeMessage(this.maxAnswerBytes)));
    return true;
  }

  private streamError(message: string): StreamEvent {
    return { type: 'error', error: { kind: 'stream', message: this.mask(message) } };
  }
}

/**
 * Adds a text or reasoning piece to `out`, joined to the last event when that is a piece of the same
 * kind. `out` holds the events of one network read, yielded together: the consumer renders once per
 * frame anyway, and every event costs an async-generator hop on the way (about as much as parsing it
 * in bench/stream.ts, where a read holds hundreds of chunks).
 */
function appendPiece(type: 'text' | 'reasoning', text: string, out: StreamEvent[]): void {
  const last = out[out.length - 1];
  if (last !== undefined && last.type === type) {
    last.text += text;
  } else {
    out.push({ type, text });
  }
}

export function answerTooLargeMessage(maxAnswerBytes: number): string {
  return `The answer grew larger than ${formatBytes(maxAnswerBytes)}; the answer was stopped.`;
}

/** `8 MB`, `1.5 MB`, `200 KB`, `100 bytes`: binary units, as the limits are set. */
export function formatBytes(bytes: number): string {
  const round = (value: number): string => String(Math.round(value * 10) / 10);
  if (bytes >= 1024 * 1024) return `${round(bytes / 1024 / 1024)} MB`;
  if (bytes >= 1024) return `${round(bytes / 1024)} KB`;
  return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
}

function toUsage(raw: Record<string, unknown>): Usage {
  const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
  const prompt = count(raw.prompt_tokens);
  const completion = count(raw.completion_tokens);
  const usage: Usage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: typeof raw.total_tokens === 'number' ? count(raw.total_tokens) : prompt + completion,
  };
  // Reported only by some gateways; absent stays absent rather than becoming a misleading 0.
  const optional = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined);
  const reasoning = optional(isRecord(raw.completion_tokens_details) ? raw.completion_tokens_details.reasoning_tokens : undefined);
  const cached = optional(isRecord(raw.prompt_tokens_details) ? raw.prompt_tokens_details.cached_tokens : undefined);
  const cost = optional(raw.cost);
  if (reasoning !== undefined) usage.reasoning_tokens = reasoning;
  if (cached !== undefined) usage.cached_tokens = cached;
  if (cost !== undefined) usage.cost = cost;
  return usage;
}

/**
 * The reasoning of one delta. Gateways name it differently (DeepSeek `reasoning_content`,
 * OpenRouter and Groq `reasoning`, OpenRouter also `reasoning_details`), and some send the same
 * text under two names, so only the first name present counts.
 */
function reasoningOf(delta: Record<string, unknown>): string | undefined {
  // Two reads rather than a loop over a new array: this runs for every chunk.
  if (typeof delta.reasoning_content === 'string' && delta.reasoning_content !== '') return delta.reasoning_content;
  if (typeof delta.reasoning === 'string' && delta.reasoning !== '') return delta.reasoning;
  const details = delta.reasoning_details;
  if (!Array.isArray(details)) return undefined;
  let text = '';
  for (const detail of details as unknown[]) {
    if (!isRecord(detail)) continue;
    // reasoning.text has `text`, reasoning.summary has `summary`; reasoning.encrypted has neither.
    const piece = typeof detail.text === 'string' ? detail.text : detail.summary;
    if (typeof piece === 'string') text += piece;
  }
  return text === '' ? undefined : text;
}

function textOfParts(parts: unknown): string {
  if (typeof parts === 'string') return parts;
  if (!Array.isArray(parts)) return '';
  let text = '';
  for (const part of parts as unknown[]) {
    if (isRecord(part) && typeof part.text === 'string') text += part.text;
  }
  return text;
}

/**
 * The categories an Azure content filter blocked (`{"hate": {"filtered": true, ...}}`, or a list
 * of such results under `content_filter_results`), or undefined when nothing was filtered.
 */
function filteredCategories(results: unknown): string[] | undefined {
  const blocked: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value as unknown[]) visit(isRecord(item) ? (item.content_filter_results ?? item) : item);
      return;
    }
    if (!isRecord(value)) return;
    for (const [category, verdict] of Object.entries(value)) {
      if (isRecord(verdict) && verdict.filtered === true && !blocked.includes(category)) blocked.push(category);
    }
  };
  visit(results);
  return blocked.length > 0 ? blocked : undefined;
}

/** The message lists the categories (or says none were named); the host words the sentence. */
function contentFilterError(categories: readonly string[]): StreamEvent {
  return { type: 'error', error: { kind: 'contentFilter', message: categories.length > 0 ? categories.join(', ') : 'content_filter' } };
}
