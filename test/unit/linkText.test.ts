import { strict as assert } from 'node:assert';
import { linkHostMismatch } from '../../src/linkText';

describe('linkHostMismatch', () => {
  it('flags a URL or host name as text that opens another host', () => {
    assert.deepEqual(linkHostMismatch('https://github.com/x', 'https://evil.example/y'), { shown: 'github.com', actual: 'evil.example' });
    assert.deepEqual(linkHostMismatch('github.com', 'https://evil.example'), { shown: 'github.com', actual: 'evil.example' });
    assert.deepEqual(linkHostMismatch('github.com/foxchat/fox-chat', 'https://evil.example/'), { shown: 'github.com', actual: 'evil.example' });
    assert.deepEqual(linkHostMismatch('www.github.com', 'http://evil.example'), { shown: 'github.com', actual: 'evil.example' });
    assert.deepEqual(linkHostMismatch('10.0.0.1', 'https://evil.example'), { shown: '10.0.0.1', actual: 'evil.example' });
  });

  it('lets matching links through, whatever the path, case, trailing dot or www. prefix', () => {
    assert.equal(linkHostMismatch('https://github.com/x', 'https://github.com/y'), undefined);
    assert.equal(linkHostMismatch('GitHub.com', 'https://github.com/foxchat'), undefined);
    assert.equal(linkHostMismatch('www.github.com', 'https://github.com'), undefined);
    assert.equal(linkHostMismatch('github.com', 'https://www.github.com/'), undefined);
    assert.equal(linkHostMismatch('github.com.', 'https://github.com/'), undefined);
    assert.equal(linkHostMismatch('http://github.com:8080/a', 'https://github.com/b'), undefined);
  });

  it('treats a different subdomain as a different host', () => {
    assert.deepEqual(linkHostMismatch('github.com', 'https://gist.github.com/a'), { shown: 'github.com', actual: 'gist.github.com' });
    assert.deepEqual(linkHostMismatch('docs.example.com', 'https://example.com'), { shown: 'docs.example.com', actual: 'example.com' });
  });

  it('compares international names in punycode, so a look-alike shows as what it is', () => {
    assert.equal(linkHostMismatch('bücher.de', 'https://xn--bcher-kva.de/'), undefined);
    assert.equal(linkHostMismatch('https://xn--bcher-kva.de', 'https://bücher.de/'), undefined);
    // The first letter is Cyrillic а (U+0430).
    assert.deepEqual(linkHostMismatch('apple.com', 'https://\u0430pple.com/'), { shown: 'apple.com', actual: 'xn--pple-43d.com' });
    assert.deepEqual(linkHostMismatch('\u0430pple.com', 'https://apple.com/'), { shown: 'xn--pple-43d.com', actual: 'apple.com' });
  });

  it('does not prompt for text that is not an address', () => {
    for (const text of ['docs', 'the docs', 'click here: github.com', 'e.g.', 'v1.2.3', 'README.md', 'src/main.ts', 'Node.js', 'package.json', '']) {
      assert.equal(linkHostMismatch(text, 'https://evil.example/'), undefined, text);
    }
  });

  it('checks only web links', () => {
    assert.equal(linkHostMismatch('github.com', 'mailto:me@evil.example'), undefined);
    assert.equal(linkHostMismatch('github.com', 'not a url'), undefined);
  });
});
