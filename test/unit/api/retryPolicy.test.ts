import assert from 'node:assert/strict';
import { DEFAULT_RECOVERY_POLICY, backoffDelay, decideRecovery, isRetryable, resolveRecoveryPolicy } from '../../../src/api/retryPolicy';
import type { RecoveryDecision } from '../../../src/api/retryPolicy';
import type { GatewayErrorInfo, GatewayErrorKind } from '../../../src/api/types';

const policy = resolveRecoveryPolicy({});
const half = (): number => 0.5;

describe('recovery policy', () => {
  it('defaults: 2 retries, 1 s doubling up to 8 s, Retry-After up to 30 s, 60 s idle timeout', () => {
    assert.deepEqual(DEFAULT_RECOVERY_POLICY, { maxRetries: 2, baseDelayMs: 1000, maxDelayMs: 8000, maxRetryAfterSeconds: 30, idleTimeoutMs: 60_000 });
    assert.deepEqual(policy, DEFAULT_RECOVERY_POLICY);
    assert.ok(Object.isFrozen(DEFAULT_RECOVERY_POLICY));
  });

  it('resolveRecoveryPolicy keeps valid values (0 included) and replaces invalid ones', () => {
    assert.deepEqual(resolveRecoveryPolicy({ maxRetries: 0, baseDelayMs: 10, maxDelayMs: 20, maxRetryAfterSeconds: 0, idleTimeoutMs: 0 }), {
      maxRetries: 0,
      baseDelayMs: 10,
      maxDelayMs: 20,
      maxRetryAfterSeconds: 0,
      idleTimeoutMs: 0,
    });
    assert.deepEqual(resolveRecoveryPolicy({ maxRetries: -1, baseDelayMs: Number.NaN, maxDelayMs: Infinity, maxRetryAfterSeconds: -5 }), DEFAULT_RECOVERY_POLICY);
    assert.equal(resolveRecoveryPolicy({ maxRetries: 2.7 }).maxRetries, 2);
  });

  describe('isRetryable', () => {
    const table: Array<[GatewayErrorKind, boolean]> = [
      ['rateLimited', true],
      ['server', true],
      ['network', true],
      ['timeout', true],
      ['stream', true],
      ['auth', false],
      ['badRequest', false],
      ['notFound', false],
    ];
    for (const [kind, expected] of table) it(`${kind} → ${expected}`, () => assert.equal(isRetryable({ kind, message: '' }), expected));
  });

  describe('backoffDelay: doubling, half fixed and half jitter, capped', () => {
    const table: Array<[number, number, number]> = [
      // retry, random, delay
      [0, 0, 500],
      [0, 0.5, 750],
      [0, 0.999, 1000],
      [1, 0, 1000],
      [1, 1, 2000],
      [2, 0.5, 3000],
      [3, 1, 8000],
      [4, 1, 8000],
      [10, 0, 4000],
    ];
    for (const [retry, random, expected] of table) {
      it(`retry ${retry}, random ${random} → ${expected} ms`, () => assert.equal(backoffDelay(retry, policy, () => random), expected));
    }
  });

  describe('decideRecovery', () => {
    const error = (kind: GatewayErrorKind, extra: Partial<GatewayErrorInfo> = {}): GatewayErrorInfo => ({ kind, message: 'x', ...extra });
    const table: Array<[string, GatewayErrorInfo, number, RecoveryDecision]> = [
      ['503, first retry: backoff', error('server', { status: 503 }), 0, { action: 'retry', delayMs: 750 }],
      ['503, second retry: doubled', error('server', { status: 503 }), 1, { action: 'retry', delayMs: 1500 }],
      ['503, retries used up: next model', error('server', { status: 503 }), 2, { action: 'nextModel' }],
      ['network: backoff', error('network'), 0, { action: 'retry', delayMs: 750 }],
      ['timeout: backoff', error('timeout'), 0, { action: 'retry', delayMs: 750 }],
      ['error event before any token: backoff', error('stream'), 0, { action: 'retry', delayMs: 750 }],
      ['429 without Retry-After: backoff', error('rateLimited', { status: 429 }), 0, { action: 'retry', delayMs: 750 }],
      ['429 Retry-After 12: waits exactly that', error('rateLimited', { status: 429, retryAfterSeconds: 12 }), 0, { action: 'retry', delayMs: 12_000 }],
      ['429 Retry-After 30 (the limit): waits', error('rateLimited', { status: 429, retryAfterSeconds: 30 }), 1, { action: 'retry', delayMs: 30_000 }],
      ['429 Retry-After 31: not waited for', error('rateLimited', { status: 429, retryAfterSeconds: 31 }), 0, { action: 'nextModel' }],
      ['503 Retry-After 3: waits that too', error('server', { status: 503, retryAfterSeconds: 3 }), 0, { action: 'retry', delayMs: 3000 }],
      ['401: fail', error('auth', { status: 401 }), 0, { action: 'fail' }],
      ['403: fail', error('auth', { status: 403 }), 0, { action: 'fail' }],
      ['400: fail', error('badRequest', { status: 400 }), 0, { action: 'fail' }],
      ['404: next model, no retry', error('notFound', { status: 404 }), 0, { action: 'nextModel' }],
    ];
    for (const [name, info, retry, expected] of table) {
      it(name, () => assert.deepEqual(decideRecovery(info, retry, policy, half), expected));
    }

    it('maxRetries 0 never retries', () => {
      assert.deepEqual(decideRecovery(error('server'), 0, resolveRecoveryPolicy({ maxRetries: 0 }), half), { action: 'nextModel' });
    });
  });
});
