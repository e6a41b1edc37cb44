import { strict as assert } from 'node:assert';
import { credentialHeaderNames, isHeaderName, looksLikeCredentialHeader } from '../../../src/config/credentialHeaders';

describe('credential header names', () => {
  it('spots headers that carry credentials, whatever their case', () => {
    for (const name of ['Authorization', 'api-key', 'X-Api-Key', 'x_api_key', 'X-Auth-Token', 'Client-Secret', 'Password', 'Cookie', 'Ocp-Apim-Subscription-Key', 'subscription_key']) {
      assert.equal(looksLikeCredentialHeader(name), true, name);
    }
    for (const name of ['HTTP-Referer', 'X-Title', 'Content-Type', 'X-Request-Id', 'OpenAI-Organization']) {
      assert.equal(looksLikeCredentialHeader(name), false, name);
    }
  });

  it('lists the credential headers of a settings object (the presets\' headers pass)', () => {
    assert.deepEqual(credentialHeaderNames({ 'HTTP-Referer': 'https://github.com/foxchat/fox-chat', 'X-Title': 'Fox Chat' }), []);
    assert.deepEqual(credentialHeaderNames({ 'X-Title': 'Fox', 'Ocp-Apim-Subscription-Key': 'abc', 'X-Api-Key': 'def' }), ['Ocp-Apim-Subscription-Key', 'X-Api-Key']);
  });

  it('accepts HTTP header names only', () => {
    assert.equal(isHeaderName('Ocp-Apim-Subscription-Key'), true);
    assert.equal(isHeaderName('X-Api-Key: abc'), false);
    assert.equal(isHeaderName('X Api'), false);
    assert.equal(isHeaderName(''), false);
  });
});
