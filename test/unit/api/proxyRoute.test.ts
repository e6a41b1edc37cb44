// The proxy decision: http.proxy wins over the environment, http.noProxy and no_proxy bypass it,
// loopback gateways never go through a proxy.

import assert from 'node:assert/strict';
import { bypassesProxy, chooseProxy, describeProxy, parseProxy, type ProxySettings } from '../../../src/api/proxyRoute';

const settings = (proxy: string, noProxy: string[] = []): ProxySettings => ({ proxy, noProxy, strictSSL: true });
const chosen = (target: string, s: ProxySettings, env: Record<string, string> = {}): string | undefined => {
  const choice = chooseProxy(new URL(target), s, env);
  return choice ? `${choice.source} ${choice.proxy.href}` : undefined;
};

describe('chooseProxy', () => {
  it('uses http.proxy for https and http targets, adding http:// when the scheme is left out', () => {
    assert.equal(chosen('https://api.ofox.ai/v1', settings('http://proxy.corp:3128')), 'setting http://proxy.corp:3128/');
    assert.equal(chosen('http://gateway.lan:8000/v1', settings('proxy.corp:3128')), 'setting http://proxy.corp:3128/');
  });

  it('connects directly when nothing is set', () => {
    assert.equal(chosen('https://api.ofox.ai/v1', settings('')), undefined);
  });

  it('falls back to https_proxy / HTTPS_PROXY for https and http_proxy for http; the setting wins over both', () => {
    assert.equal(chosen('https://api.ofox.ai/v1', settings(''), { https_proxy: 'http://env:1' }), 'environment http://env:1/');
    assert.equal(chosen('https://api.ofox.ai/v1', settings(''), { HTTPS_PROXY: 'http://ENV:2' }), 'environment http://env:2/');
    assert.equal(chosen('http://gateway.lan/v1', settings(''), { https_proxy: 'http://env:1' }), undefined);
    assert.equal(chosen('http://gateway.lan/v1', settings(''), { http_proxy: 'http://env:3' }), 'environment http://env:3/');
    assert.equal(chosen('https://api.ofox.ai/v1', settings('http://setting:4'), { https_proxy: 'http://env:1' }), 'setting http://setting:4/');
  });

  it('bypasses the proxy for http.noProxy entries and for no_proxy / NO_PROXY', () => {
    assert.equal(chosen('https://api.ofox.ai/v1', settings('http://p:1', ['ofox.ai'])), undefined);
    assert.equal(chosen('https://api.ofox.ai/v1', settings('http://p:1'), { no_proxy: 'example.com, .ofox.ai' }), undefined);
    assert.equal(chosen('https://api.ofox.ai/v1', settings('http://p:1'), { NO_PROXY: '*' }), undefined);
    assert.equal(chosen('https://api.openai.com/v1', settings('http://p:1', ['ofox.ai'])), 'setting http://p:1/');
  });

  it('never proxies loopback gateways (a proxy cannot reach this machine\'s Ollama)', () => {
    for (const target of ['http://localhost:11434/v1', 'http://127.0.0.1:1234/v1', 'http://[::1]:8000/v1', 'http://app.localhost/v1']) {
      assert.equal(chosen(target, settings('http://p:1'), { https_proxy: 'http://env:1', http_proxy: 'http://env:1' }), undefined, target);
    }
  });

  it('ignores an unusable proxy address', () => {
    assert.equal(chosen('https://api.ofox.ai/v1', settings('socks5://p:1080')), undefined);
    assert.equal(parseProxy('   '), undefined);
  });

  it('describes a proxy without its credentials', () => {
    assert.equal(describeProxy(new URL('http://user:secret@proxy.corp:3128')), 'http://proxy.corp:3128');
  });
});

describe('bypassesProxy', () => {
  const bypass = (target: string, ...entries: string[]): boolean => bypassesProxy(new URL(target), entries);

  it('matches host names exactly and as domain suffixes, never as bare substrings', () => {
    assert.equal(bypass('https://api.ofox.ai', 'api.ofox.ai'), true);
    assert.equal(bypass('https://api.ofox.ai', 'ofox.ai'), true);
    assert.equal(bypass('https://api.ofox.ai', '.ofox.ai'), true);
    assert.equal(bypass('https://api.ofox.ai', '*.ofox.ai'), true);
    assert.equal(bypass('https://ofox.ai', '.ofox.ai'), true);
    assert.equal(bypass('https://notofox.ai', 'ofox.ai'), false);
    assert.equal(bypass('https://API.OFOX.AI', 'api.ofox.ai'), true);
  });

  it('matches a port only when the entry names one (default ports included)', () => {
    assert.equal(bypass('https://api.ofox.ai', 'api.ofox.ai:443'), true);
    assert.equal(bypass('https://api.ofox.ai:8443', 'api.ofox.ai:443'), false);
    assert.equal(bypass('http://gateway.lan:8000', 'gateway.lan:8000'), true);
  });

  it('matches IP addresses, IPv4 CIDR ranges and IPv6 addresses', () => {
    assert.equal(bypass('http://10.1.2.3:8000', '10.0.0.0/8'), true);
    assert.equal(bypass('http://11.1.2.3:8000', '10.0.0.0/8'), false);
    assert.equal(bypass('http://192.168.1.20', '192.168.1.20'), true);
    assert.equal(bypass('http://[fd00::1]:8000', 'fd00::1'), true);
    assert.equal(bypass('http://[fd00::1]:8000', '[fd00::1]:8000'), true);
  });

  it('matches everything with *, nothing with empty entries', () => {
    assert.equal(bypass('https://api.ofox.ai', '*'), true);
    assert.equal(bypass('https://api.ofox.ai', '', ' '), false);
  });
});
