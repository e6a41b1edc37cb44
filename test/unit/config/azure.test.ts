import { strict as assert } from 'node:assert';
import { listModels, streamChat } from '../../../src/api/chatClient';
import { toCurl } from '../../../src/api/curl';
import { endpoint, requestHeaders } from '../../../src/api/headers';
import type { StreamEvent } from '../../../src/api/types';
import { decideCredentialRoute, originOf } from '../../../src/config/gatewayOrigin';
import { checkProfileOverride, presetFor, resolveProfile, withApiVersion } from '../../../src/config/profiles';

const KEY = 'azure-key-0123456789abcdef';
const DEPLOYMENT = 'https://fox-res.openai.azure.com/openai/deployments/gpt-4o-prod';

/** A fetch that records URL and headers and answers with one streamed word. */
function recordingFetch(): { fetchImpl: typeof fetch; calls: Array<{ url: string; headers: Headers }> } {
  const calls: Array<{ url: string; headers: Headers }> = [];
  const fetchImpl: typeof fetch = (input, init) => {
    calls.push({ url: typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, headers: new Headers(init?.headers) });
    const body = String(init?.method) === 'GET' ? JSON.stringify({ data: [{ id: 'gpt-4o-prod' }] }) : 'data: {"choices":[{"index":0,"delta":{"content":"Hi"}}]}\n\ndata: [DONE]\n\n';
    return Promise.resolve(new Response(body, { headers: { 'content-type': String(init?.method) === 'GET' ? 'application/json' : 'text/event-stream' } }));
  };
  return { fetchImpl, calls };
}

describe('Azure OpenAI profile', () => {
  it('is a preset whose key goes in the api-key header, aimed at the v1 endpoint', () => {
    const preset = presetFor('azure');
    assert.equal(preset.keyHeader, 'api-key');
    assert.match(preset.baseUrl, /\.openai\.azure\.com\/openai\/v1$/);
    const profile = resolveProfile('azure', { baseUrl: 'https://fox-res.openai.azure.com/openai/v1/', model: 'my-deployment' });
    assert.equal(profile.keyHeader, 'api-key');
    assert.equal(profile.baseUrl, 'https://fox-res.openai.azure.com/openai/v1');
    assert.equal(endpoint(profile.baseUrl, 'chat/completions'), 'https://fox-res.openai.azure.com/openai/v1/chat/completions');
    assert.equal(resolveProfile('openai', undefined).keyHeader, undefined, 'every other profile keeps Authorization');
  });

  it('builds deployment URLs with api-version after the path', () => {
    const { override, problems } = checkProfileOverride('azure', { baseUrl: DEPLOYMENT, apiVersion: '2024-10-21' });
    assert.deepEqual(problems, []);
    const profile = resolveProfile('azure', override);
    assert.equal(profile.baseUrl, `${DEPLOYMENT}?api-version=2024-10-21`);
    assert.equal(endpoint(profile.baseUrl, 'chat/completions'), `${DEPLOYMENT}/chat/completions?api-version=2024-10-21`);
    assert.equal(endpoint(`${DEPLOYMENT}/?api-version=2024-10-21`, 'models'), `${DEPLOYMENT}/models?api-version=2024-10-21`);
    assert.equal(withApiVersion(`${DEPLOYMENT}?api-version=2025-01-01-preview`, '2024-10-21'), `${DEPLOYMENT}?api-version=2025-01-01-preview`, 'a version in the URL wins');
    assert.equal(withApiVersion('https://x.example/v1?tenant=a', '2024-10-21'), 'https://x.example/v1?tenant=a&api-version=2024-10-21');
    assert.equal(withApiVersion(DEPLOYMENT, '  '), DEPLOYMENT);
    assert.deepEqual(
      checkProfileOverride('azure', { apiVersion: '2024-10-21&evil=1' }).problems.map((problem) => problem.setting),
      ['foxChat.profiles.azure.apiVersion'],
    );
  });

  it('sends the key as api-key and never as Authorization', () => {
    const headers = new Map(requestHeaders(KEY, 'text/event-stream', { 'X-Title': 'Fox Chat' }, true, undefined, 'api-key'));
    assert.equal(headers.get('api-key'), KEY);
    assert.equal(headers.get('Authorization'), undefined);
    assert.equal(new Map(requestHeaders(KEY, 'application/json', undefined, false)).get('Authorization'), `Bearer ${KEY}`);
  });

  it('streamChat and listModels go to the deployment with api-version and the api-key header', async () => {
    const { fetchImpl, calls } = recordingFetch();
    const baseUrl = resolveProfile('azure', checkProfileOverride('azure', { baseUrl: DEPLOYMENT, apiVersion: '2024-10-21' }).override).baseUrl;
    const events: StreamEvent[] = [];
    for await (const event of streamChat({ baseUrl, apiKey: KEY, keyHeader: 'api-key', request: { model: 'gpt-4o-prod', messages: [{ role: 'user', content: 'Hi' }] }, fetchImpl })) {
      events.push(event);
    }
    assert.deepEqual(events, [{ type: 'text', text: 'Hi' }]);
    assert.deepEqual(await listModels({ baseUrl, apiKey: KEY, keyHeader: 'api-key', fetchImpl }), ['gpt-4o-prod']);
    assert.deepEqual(
      calls.map((call) => [call.url, call.headers.get('api-key'), call.headers.get('authorization')]),
      [
        [`${DEPLOYMENT}/chat/completions?api-version=2024-10-21`, KEY, null],
        [`${DEPLOYMENT}/models?api-version=2024-10-21`, KEY, null],
      ],
    );
  });

  it('the cURL export shows the api-key header masked', () => {
    const command = toCurl({ baseUrl: `${DEPLOYMENT}?api-version=2024-10-21`, apiKey: KEY, keyHeader: 'api-key', request: { model: 'm', messages: [{ role: 'user', content: 'Hi' }] }, includeUsage: false });
    assert.ok(!command.includes(KEY));
    assert.match(command, /-H 'api-key: [^']*…/);
    assert.ok(!/authorization/i.test(command));
    assert.match(command, /chat\/completions\?api-version=2024-10-21'/);
  });

  it('keeps the key bound to its origin: the query and deployment path do not change where it may go', () => {
    const origin = 'https://fox-res.openai.azure.com';
    assert.equal(originOf(`${DEPLOYMENT}?api-version=2024-10-21`), origin);
    const allowed = { otherOrigin: false, plainHttp: false };
    assert.deepEqual(decideCredentialRoute({ origin, keyOrigin: origin, userOrigin: origin, allowed }), { action: 'send' });
    const elsewhere = originOf('https://evil.example/openai/deployments/x?api-version=2024-10-21') ?? '';
    assert.equal(decideCredentialRoute({ origin: elsewhere, keyOrigin: origin, userOrigin: origin, allowed }).action, 'ask');
  });
});
