import assert from 'node:assert/strict';
import { GatewayError, errorFromResponse, excerpt, kindFromStatus, networkError, parseRetryAfter } from '../../../src/api/errors';
import type { GatewayErrorKind } from '../../../src/api/types';

describe('kindFromStatus', () => {
  const table: Array<[number, GatewayErrorKind]> = [
    [400, 'badRequest'],
    [401, 'auth'],
    [403, 'auth'],
    [404, 'notFound'],
    [413, 'badRequest'],
    [422, 'badRequest'],
    [429, 'rateLimited'],
    [500, 'server'],
    [502, 'server'],
    [503, 'server'],
  ];
  for (const [status, kind] of table) {
    it(`${status} → ${kind}`, () => assert.equal(kindFromStatus(status), kind));
  }
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  const table: Array<[string | null, number | undefined]> = [
    ['120', 120],
    [' 7 ', 7],
    ['0', 0],
    ['1.5', 2],
    ['Wed, 01 Jan 2025 00:00:30 GMT', 30],
    ['Tue, 31 Dec 2024 23:59:00 GMT', 0],
    ['-5', undefined],
    ['soon', undefined],
    ['', undefined],
    [null, undefined],
  ];
  for (const [value, expected] of table) {
    it(`${JSON.stringify(value)} → ${String(expected)}`, () => assert.equal(parseRetryAfter(value, now), expected));
  }
});

describe('errorFromResponse', () => {
  it('uses error.message from a JSON body', async () => {
    const info = await errorFromResponse(
      new Response(JSON.stringify({ error: { message: 'The model `x` does not exist', code: 'model_not_found' } }), { status: 404 }),
    );
    assert.deepEqual(info, { kind: 'notFound', status: 404, message: 'The model `x` does not exist' });
  });

  it('falls back to a top-level message, then a string error', async () => {
    assert.equal((await errorFromResponse(new Response('{"message":"Bad temperature"}', { status: 400 }))).message, 'Bad temperature');
    assert.equal((await errorFromResponse(new Response('{"error":"quota exhausted"}', { status: 402 }))).message, 'quota exhausted');
  });

  it('describes non-JSON and message-less bodies with the status line and an excerpt', async () => {
    assert.equal((await errorFromResponse(new Response('', { status: 502 }))).message, '502 Bad Gateway');
    assert.equal(
      (await errorFromResponse(new Response('upstream   connect error\n\tor disconnect', { status: 503, statusText: 'Service Unavailable' }))).message,
      '503 Service Unavailable: upstream connect error or disconnect',
    );
    assert.equal((await errorFromResponse(new Response('{"detail":{}}', { status: 500 }))).message, '500 Internal Server Error: {"detail":{}}');
  });

  it('keeps a huge HTML body to a short excerpt', async () => {
    const html = `<html><head><style>p{}</style></head><body><p>${'overloaded '.repeat(100_000)}</p></body></html>`;
    const info = await errorFromResponse(new Response(html, { status: 503 }));
    assert.equal(info.kind, 'server');
    assert.ok(info.message.startsWith('503 Service Unavailable: overloaded overloaded'));
    assert.ok(info.message.length <= 240, `too long: ${info.message.length}`);
    assert.ok(!info.message.includes('<'));
  });

  it('reads Retry-After on 429 (seconds or HTTP-date)', async () => {
    const seconds = await errorFromResponse(new Response('{}', { status: 429, headers: { 'Retry-After': '12' } }));
    assert.equal(seconds.kind, 'rateLimited');
    assert.equal(seconds.retryAfterSeconds, 12);
    const date = new Date(Date.now() + 60_000).toUTCString();
    const fromDate = await errorFromResponse(new Response('{}', { status: 429, headers: { 'Retry-After': date } }));
    assert.ok(fromDate.retryAfterSeconds !== undefined && fromDate.retryAfterSeconds >= 58 && fromDate.retryAfterSeconds <= 60);
    const none = await errorFromResponse(new Response('{}', { status: 429 }));
    assert.equal('retryAfterSeconds' in none, false);
  });
});

describe('excerpt', () => {
  it('strips tags, head and entities and collapses whitespace', () => {
    assert.equal(excerpt('<html><head><title>T</title></head><body><h1>A &amp; B</h1>\n\n<p>c&nbsp;d</p></body></html>'), 'A & B c d');
  });
  it('cuts long text with an ellipsis', () => {
    const cut = excerpt('x'.repeat(500), 20);
    assert.equal(cut.length, 20);
    assert.ok(cut.endsWith('…'));
  });
});

describe('networkError', () => {
  it('takes the message of fetch’s cause', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    assert.deepEqual(networkError(new TypeError('fetch failed', { cause })), {
      kind: 'network',
      message: 'connect ECONNREFUSED 127.0.0.1:9',
    });
  });
  it('looks inside an empty AggregateError (dual-stack connect)', () => {
    const cause = new AggregateError([new Error('connect ECONNREFUSED ::1:9')], '');
    assert.equal(networkError(new TypeError('fetch failed', { cause })).message, 'connect ECONNREFUSED ::1:9');
  });
  it('falls back to the error code, then the error itself', () => {
    const cause = Object.assign(new Error(''), { code: 'ENOTFOUND' });
    assert.equal(networkError(new TypeError('fetch failed', { cause })).message, 'ENOTFOUND');
    assert.equal(networkError(new Error('socket hang up')).message, 'socket hang up');
  });
});

describe('GatewayError', () => {
  it('is an Error carrying the info', () => {
    const error = new GatewayError({ kind: 'auth', status: 401, message: 'nope' });
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'GatewayError');
    assert.equal(error.message, 'nope');
    assert.deepEqual(error.info, { kind: 'auth', status: 401, message: 'nope' });
  });
});
