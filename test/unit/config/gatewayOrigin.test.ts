import { strict as assert } from 'node:assert';
import { decideCredentialRoute, isLoopback, isPlainHttpToRemote, originOf, type CredentialRoute } from '../../../src/config/gatewayOrigin';

describe('gateway origins', () => {
  it('normalises case, default ports, paths, user info and trailing dots the way URL does', () => {
    assert.equal(originOf('https://API.Ofox.AI/v1'), 'https://api.ofox.ai');
    assert.equal(originOf('HTTPS://api.ofox.ai:443/v1/'), 'https://api.ofox.ai');
    assert.equal(originOf('http://localhost:80/v1'), 'http://localhost');
    assert.equal(originOf('http://localhost:11434/v1?x=1#y'), 'http://localhost:11434');
    assert.equal(originOf('  https://user:secret@gateway.example/v1  '), 'https://gateway.example');
    assert.equal(originOf('http://[::1]:8000/v1'), 'http://[::1]:8000');
    assert.equal(originOf('http://[0:0:0:0:0:0:0:1]/v1'), 'http://[::1]');
  });

  it('tells schemes and ports apart', () => {
    assert.notEqual(originOf('http://gateway.example/v1'), originOf('https://gateway.example/v1'));
    assert.notEqual(originOf('https://gateway.example:8443/v1'), originOf('https://gateway.example/v1'));
    assert.equal(originOf('https://gateway.example/v1'), originOf('https://gateway.example/openai/v1'));
  });

  it('has no origin for what is not an http(s) URL', () => {
    assert.equal(originOf('ftp://gateway.example'), undefined);
    assert.equal(originOf('not a url'), undefined);
    assert.equal(originOf('file:///etc/passwd'), undefined);
  });

  it('knows loopback hosts: 127.0.0.0/8, ::1 and localhost', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '127.255.255.255', 'localhost', 'LOCALHOST', 'api.localhost', '::1', '[::1]', 'localhost.']) {
      assert.equal(isLoopback(host), true, host);
    }
    for (const host of ['128.0.0.1', '10.0.0.1', '192.168.1.2', '127.0.0.256', 'localhost.example', 'mylocalhost', '::2', 'example.com', '0.0.0.0']) {
      assert.equal(isLoopback(host), false, host);
    }
  });

  it('treats only plain http to another machine as readable on the way', () => {
    assert.equal(isPlainHttpToRemote('http://gateway.example'), true);
    assert.equal(isPlainHttpToRemote('http://10.0.0.5:8000'), true);
    assert.equal(isPlainHttpToRemote('http://127.0.0.1:4000'), false);
    assert.equal(isPlainHttpToRemote('http://[::1]:4000'), false);
    assert.equal(isPlainHttpToRemote('http://localhost:11434'), false);
    assert.equal(isPlainHttpToRemote('https://gateway.example'), false);
  });
});

describe('where a key may go', () => {
  const route = (overrides: Partial<CredentialRoute>): CredentialRoute => ({
    origin: 'https://api.ofox.ai',
    keyOrigin: 'https://api.ofox.ai',
    userOrigin: 'https://api.ofox.ai',
    allowed: { otherOrigin: false, plainHttp: false },
    ...overrides,
  });

  it('sends to the origin the key was stored for', () => {
    assert.deepEqual(decideCredentialRoute(route({})), { action: 'send' });
    assert.deepEqual(decideCredentialRoute(route({ origin: 'http://127.0.0.1:9', keyOrigin: 'http://127.0.0.1:9', userOrigin: 'http://127.0.0.1:9' })), { action: 'send' });
  });

  it('asks before a workspace sends it elsewhere, and sends once that is allowed', () => {
    const elsewhere = route({ origin: 'https://x.example' });
    assert.deepEqual(decideCredentialRoute(elsewhere), { action: 'ask', origin: 'https://x.example', keyOrigin: 'https://api.ofox.ai', source: 'workspace' });
    assert.deepEqual(decideCredentialRoute({ ...elsewhere, allowed: { otherOrigin: true, plainHttp: false } }), { action: 'send' });
  });

  it('asks without blaming the workspace when the user\'s own settings point elsewhere', () => {
    const typo = route({ origin: 'https://api.ofox.ia', userOrigin: 'https://api.ofox.ia' });
    assert.deepEqual(decideCredentialRoute(typo), { action: 'ask', origin: 'https://api.ofox.ia', keyOrigin: 'https://api.ofox.ai', source: 'user' });
  });

  it('a different port or scheme is another origin', () => {
    assert.equal(decideCredentialRoute(route({ origin: 'https://api.ofox.ai:8443' })).action, 'ask');
    assert.equal(decideCredentialRoute(route({ origin: 'http://api.ofox.ai' })).action, 'ask');
  });

  it('warns about plain http to another machine, also for the key\'s own origin, until accepted', () => {
    const plain = route({ origin: 'http://gateway.corp:8000', keyOrigin: 'http://gateway.corp:8000', userOrigin: 'http://gateway.corp:8000' });
    assert.deepEqual(decideCredentialRoute(plain), { action: 'warnPlainHttp', origin: 'http://gateway.corp:8000' });
    assert.deepEqual(decideCredentialRoute({ ...plain, allowed: { otherOrigin: false, plainHttp: true } }), { action: 'send' });
  });

  it('asks about the other origin first, then warns about its plain http', () => {
    const other = route({ origin: 'http://x.example' });
    assert.equal(decideCredentialRoute(other).action, 'ask');
    assert.equal(decideCredentialRoute({ ...other, allowed: { otherOrigin: true, plainHttp: false } }).action, 'warnPlainHttp');
    assert.equal(decideCredentialRoute({ ...other, allowed: { otherOrigin: true, plainHttp: true } }).action, 'send');
  });
});
