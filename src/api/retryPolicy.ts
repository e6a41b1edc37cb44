// When and how long to wait before asking the gateway again. Pure functions, so the rules can be
// read and tested without a network.

import type { GatewayErrorInfo } from './types';

export interface RecoveryPolicy {
  /** Retries per model after the first attempt; 0 turns retrying off. */
  maxRetries?: number;
  /** First backoff delay; doubled for each further retry, with jitter. */
  baseDelayMs?: number;
  /** Cap on one backoff delay (Retry-After is not capped by it, see maxRetryAfterSeconds). */
  maxDelayMs?: number;
  /** A Retry-After up to this is waited out; a longer one is not worth waiting for and is reported. */
  maxRetryAfterSeconds?: number;
  /** Per attempt: no bytes for this long counts as a (retryable) timeout. 0 turns it off. */
  idleTimeoutMs?: number;
}

export type ResolvedRecoveryPolicy = Required<RecoveryPolicy>;

export const DEFAULT_RECOVERY_POLICY: Readonly<ResolvedRecoveryPolicy> = Object.freeze({
  maxRetries: 2,
  baseDelayMs: 1000,
  maxDelayMs: 8000,
  maxRetryAfterSeconds: 30,
  // Matches the default of the foxChat.idleTimeoutSeconds setting.
  idleTimeoutMs: 60_000,
});

/** The policy with defaults filled in; values that are not finite non-negative numbers count as unset. */
export function resolveRecoveryPolicy(policy: RecoveryPolicy): ResolvedRecoveryPolicy {
  const pick = (value: number | undefined, fallback: number): number =>
    value !== undefined && Number.isFinite(value) && value >= 0 ? value : fallback;
  const d = DEFAULT_RECOVERY_POLICY;
  return {
    maxRetries: Math.floor(pick(policy.maxRetries, d.maxRetries)),
    baseDelayMs: pick(policy.baseDelayMs, d.baseDelayMs),
    maxDelayMs: pick(policy.maxDelayMs, d.maxDelayMs),
    maxRetryAfterSeconds: pick(policy.maxRetryAfterSeconds, d.maxRetryAfterSeconds),
    idleTimeoutMs: pick(policy.idleTimeoutMs, d.idleTimeoutMs),
  };
}

/**
 * Failures worth another try, as long as nothing of the answer has arrived yet: rate limits, the
 * gateway's own failures (5xx, or an error event before any output), no connection, a stall.
 * 401/403, 400 and 404 would fail the same way again.
 */
export function isRetryable(error: GatewayErrorInfo): boolean {
  switch (error.kind) {
    case 'rateLimited':
    case 'server':
    case 'network':
    case 'timeout':
    case 'stream':
      return true;
    case 'auth':
    case 'badRequest':
    case 'notFound':
    case 'contentFilter':
      return false;
  }
}

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so clients that
 * failed together do not come back together, and no retry comes back at once.
 * `retry` counts from 0 for the first retry.
 */
export function backoffDelay(retry: number, policy: ResolvedRecoveryPolicy, random: () => number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

export type RecoveryDecision =
  /** Wait `delayMs`, then try the same model again. */
  | { action: 'retry'; delayMs: number }
  /** This model will not answer: try the next fallback model, or report the error if there is none. */
  | { action: 'nextModel' }
  /** Report the error now; no other model would fare better. */
  | { action: 'fail' };

/** What to do after `error` ended an attempt before its first token, `retry` retries into this model. */
export function decideRecovery(
  error: GatewayErrorInfo,
  retry: number,
  policy: ResolvedRecoveryPolicy,
  random: () => number,
): RecoveryDecision {
  // 404 almost always means the model id is unknown there; another model may well exist.
  if (error.kind === 'notFound') return { action: 'nextModel' };
  if (!isRetryable(error)) return { action: 'fail' };
  if (retry >= policy.maxRetries) return { action: 'nextModel' };
  const retryAfter = error.retryAfterSeconds;
  if (retryAfter !== undefined) {
    // The gateway said how long; waiting less would only be refused again.
    return retryAfter <= policy.maxRetryAfterSeconds ? { action: 'retry', delayMs: retryAfter * 1000 } : { action: 'nextModel' };
  }
  return { action: 'retry', delayMs: backoffDelay(retry, policy, random) };
}
