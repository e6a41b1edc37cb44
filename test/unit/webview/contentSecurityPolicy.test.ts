import { strict as assert } from 'node:assert';
import { contentSecurityPolicy } from '../../../src/panel/contentSecurityPolicy';

describe('the chat panel Content-Security-Policy', () => {
  const directives = new Map(
    contentSecurityPolicy('https://self.vscode-cdn.net', 'abc123')
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .map(([name = '', ...values]) => [name, values.join(' ')]),
  );

  it('denies by default, runs only scripts with the nonce and makes no requests', () => {
    assert.equal(directives.get('default-src'), "'none'");
    assert.equal(directives.get('script-src'), "'nonce-abc123'");
    assert.equal(directives.get('connect-src'), "'none'");
    assert.equal(directives.get('style-src'), 'https://self.vscode-cdn.net');
    assert.equal(directives.get('img-src'), 'https://self.vscode-cdn.net data:');
  });

  it('allows no form submission and no <base> that re-points relative URLs', () => {
    assert.equal(directives.get('form-action'), "'none'");
    assert.equal(directives.get('base-uri'), "'none'");
  });

  it('never allows inline script or eval', () => {
    assert.doesNotMatch(contentSecurityPolicy('x', 'n'), /unsafe-inline|unsafe-eval/);
  });
});
