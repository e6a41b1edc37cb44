// Turns the `data:` payloads of a chat-completions stream into typed events. This is the per-chunk
// hot path: one JSON.parse and a handful of property reads for an ordinary text chunk.

import { isRecord } from '../isRecord';
import { excerpt, messageFromErrorValue, toMasker } from './errors';
import type { SecretsToMask } from './errors';
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
   * true when the stream is over: [DONE], an error object, or something that is not a JSON chunk.
   */
  push(data: string, out: StreamEvent[]): boolean {
    if (data === '[DONE]') {
      this.end(out);
      return true;
    }
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      chunk = undefined;
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
    // Usage-only chunks come with `choices: []`.
    if (Array.isArray(choices) && choices.length > 0) {
      const choice: unknown = choices[0];
      if (isRecord(choice) && this.pushChoice(choice, out)) return true;
    }
    if (isRecord(chunk.usage)) {
      out.push({ type: 'usage', usage: toUsage(chunk.usage) });
    }
    return false;
  }

  /** The stream ended cleanly (with or without [DONE]): tool calls still open are complete now. */
  end(out: StreamEvent[]): void {
    if (!this.toolCalls.isEmpty) {
      out.push({ type: 'toolCalls', calls: this.toolCalls.calls() });
      this.toolCalls.reset();
    }
  }

  /** Returns true when a cap stopped the answer (the error event is in `out`). */
  private pushChoice(choice: Record<string, unknown>, out: StreamEvent[]): boolean {
    // `delta` in stream chunks, `message` in a whole chat.completion.
    const delta = choice.delta ?? choice.message;
    if (isRecord(delta)) {
      // DeepSeek and most gateways say `reasoning_content`, OpenRouter says `reasoning`.
      const reasoning = delta.reasoning_content ?? delta.reasoning;
      if (typeof reasoning === 'string' && reasoning !== '') {
        if (this.overflows(reasoning, out)) return true;
        out.push({ type: 'reasoning', text: reasoning });
      }
      const content = delta.content;
      if (typeof content === 'string' && content !== '') {
        if (this.overflows(content, out)) return true;
        out.push({ type: 'text', text: content });
      }
      const toolCalls = delta.tool_calls;
      if (Array.isArray(toolCalls)) {
        for (const raw of toolCalls as unknown[]) {
          const piece = this.toolCalls.add(raw);
          if (this.toolCalls.tooMany) {
            out.push(this.streamError(`The model started more than ${MAX_TOOL_CALLS} tool calls in one answer; the answer was stopped.`));
            return true;
          }
          if (!piece) continue;
          if (piece.name !== undefined && this.overflows(piece.name, out)) return true;
          if (piece.argumentsDelta !== undefined && this.overflows(piece.argumentsDelta, out)) return true;
          out.push(piece);
        }
      }
    }
    const reason = choice.finish_reason;
    if (typeof reason === 'string') {
      // The calls go out before `finish`, so whoever sees finish_reason "tool_calls" already has them.
      this.end(out);
      out.push({ type: 'finish', reason });
    }
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
