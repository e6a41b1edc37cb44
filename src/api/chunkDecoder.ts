// Turns the `data:` payloads of a chat-completions stream into typed events. This is the per-chunk
// hot path: one JSON.parse and a handful of property reads for an ordinary text chunk.

import { isRecord } from '../isRecord';
import { excerpt, messageFromErrorValue } from './errors';
import { redactSecret } from './redact';
import { ToolCallAccumulator } from './toolCallAccumulator';
import type { StreamEvent, Usage } from './types';

export class ChunkDecoder {
  private readonly toolCalls = new ToolCallAccumulator();

  /** `apiKey` is masked in every error this decoder reports. */
  constructor(private readonly apiKey: string | undefined) {}

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
      out.push(this.streamError(`Malformed stream data: ${excerpt(redactSecret(data, this.apiKey), 80)}`));
      return true;
    }
    if (chunk.error !== undefined && chunk.error !== null) {
      out.push(this.streamError(messageFromErrorValue(chunk) ?? `Stream error: ${excerpt(redactSecret(data, this.apiKey), 120)}`));
      return true;
    }

    const choices = chunk.choices;
    // Usage-only chunks come with `choices: []`.
    if (Array.isArray(choices) && choices.length > 0) {
      const choice: unknown = choices[0];
      if (isRecord(choice)) this.pushChoice(choice, out);
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

  private pushChoice(choice: Record<string, unknown>, out: StreamEvent[]): void {
    // `delta` in stream chunks, `message` in a whole chat.completion.
    const delta = choice.delta ?? choice.message;
    if (isRecord(delta)) {
      // DeepSeek and most gateways say `reasoning_content`, OpenRouter says `reasoning`.
      const reasoning = delta.reasoning_content ?? delta.reasoning;
      if (typeof reasoning === 'string' && reasoning !== '') out.push({ type: 'reasoning', text: reasoning });
      const content = delta.content;
      if (typeof content === 'string' && content !== '') out.push({ type: 'text', text: content });
      const toolCalls = delta.tool_calls;
      if (Array.isArray(toolCalls)) {
        for (const raw of toolCalls as unknown[]) {
          const piece = this.toolCalls.add(raw);
          if (piece) out.push(piece);
        }
      }
    }
    const reason = choice.finish_reason;
    if (typeof reason === 'string') {
      // The calls go out before `finish`, so whoever sees finish_reason "tool_calls" already has them.
      this.end(out);
      out.push({ type: 'finish', reason });
    }
  }

  private streamError(message: string): StreamEvent {
    return { type: 'error', error: { kind: 'stream', message: redactSecret(message, this.apiKey) } };
  }
}

function toUsage(raw: Record<string, unknown>): Usage {
  const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
  const prompt = count(raw.prompt_tokens);
  const completion = count(raw.completion_tokens);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: typeof raw.total_tokens === 'number' ? count(raw.total_tokens) : prompt + completion,
  };
}
