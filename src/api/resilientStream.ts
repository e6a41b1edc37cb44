// streamChat with the recovery of product.md "Errors and recovery": retries with backoff (or the
// gateway's Retry-After) for failures before the first token, then fallback models in turn.

import { streamChat } from './chatClient';
import type { StreamChatOptions } from './chatClient';
import { decideRecovery, resolveRecoveryPolicy } from './retryPolicy';
import type { RecoveryPolicy } from './retryPolicy';
import type { ChatStreamEvent, GatewayErrorInfo, StreamEvent } from './types';

export interface StreamWithRecoveryOptions extends StreamChatOptions {
  policy: RecoveryPolicy;
  /** Tried in order, each with its own retries, once `request.model` has failed retryably (or 404). */
  fallbackModels?: string[];
  /** Waits between attempts; must resolve early when `signal` aborts. Injectable for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Source of backoff jitter in [0, 1). */
  random?: () => number;
}

/**
 * Streams like streamChat, plus `retrying` before each wait and `model` when a fallback model
 * takes over. Once any output (text, reasoning or a tool call) has arrived, an error is final:
 * the partial answer stays and the error event ends the stream. Aborting `signal` (also during a
 * wait) ends the stream quietly.
 */
export async function* streamWithRecovery(options: StreamWithRecoveryOptions): AsyncGenerator<ChatStreamEvent, void, undefined> {
  const { policy: partialPolicy, fallbackModels, sleep = abortableSleep, random = Math.random, ...chatOptions } = options;
  const policy = resolveRecoveryPolicy({
    ...partialPolicy,
    idleTimeoutMs: partialPolicy.idleTimeoutMs ?? chatOptions.idleTimeoutMs,
  });
  const { signal } = chatOptions;
  const models = [chatOptions.request.model];
  for (const model of fallbackModels ?? []) {
    if (model !== '' && !models.includes(model)) models.push(model);
  }

  for (let m = 0; m < models.length; m++) {
    const model = models[m] as string;
    if (m > 0) yield { type: 'model', model };
    const request = m === 0 ? chatOptions.request : { ...chatOptions.request, model };

    for (let retry = 0; ; retry++) {
      let failure: GatewayErrorInfo | undefined;
      const attempt = streamChat({ ...chatOptions, request, idleTimeoutMs: policy.idleTimeoutMs });
      for await (const event of attempt) {
        if (event.type === 'error') {
          failure = event.error;
          break;
        }
        yield event;
        if (isOutput(event)) {
          // From the first output on every event, a final error included, passes through as it is:
          // delegated, which saves the per-event await of a re-yield on the hot path.
          yield* attempt;
          return;
        }
      }
      // Done, stopped, or failed before any output.
      if (failure === undefined || signal?.aborted) return;

      const decision = decideRecovery(failure, retry, policy, random);
      const isLastModel = m === models.length - 1;
      if (decision.action === 'fail' || (decision.action === 'nextModel' && isLastModel)) {
        yield { type: 'error', error: failure };
        return;
      }
      if (decision.action === 'nextModel') break;

      const skip = new AbortController();
      yield {
        type: 'retrying',
        attempt: retry + 2,
        maxAttempts: policy.maxRetries + 1,
        delayMs: decision.delayMs,
        error: failure,
        retryNow: () => skip.abort(),
      };
      // The consumer may have pressed "Retry now" (or Stop) while handling the event.
      if (!skip.signal.aborted && !signal?.aborted) {
        try {
          await sleep(decision.delayMs, signal ? AbortSignal.any([signal, skip.signal]) : skip.signal);
        } catch {
          // A sleep that rejects on abort is as good as one that resolves.
        }
      }
    }
  }
}

/** setTimeout as a promise that resolves (never rejects) as soon as `signal` aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Output the user has seen: after it, a retry would repeat or contradict what is on screen. */
function isOutput(event: StreamEvent): boolean {
  return event.type === 'text' || event.type === 'reasoning' || event.type === 'toolCallDelta' || event.type === 'toolCalls';
}
