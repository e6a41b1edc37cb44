import { strict as assert } from 'node:assert';
import { GatewayTrustStore, KEY_ORIGINS_KEY, NO_FOLDER, TRUSTED_GATEWAYS_KEY, type KeyValueStorage } from '../../../src/config/gatewayTrust';

/** A Memento in memory that, like VS Code's, hands out copies of what was stored. */
class MemoryStorage implements KeyValueStorage {
  readonly values = new Map<string, string>();
  get<T>(key: string): T | undefined {
    const value = this.values.get(key);
    return value === undefined ? undefined : (JSON.parse(value) as T);
  }
  update(key: string, value: unknown): Promise<void> {
    this.values.set(key, JSON.stringify(value));
    return Promise.resolve();
  }
}

describe('gateway trust store', () => {
  const workspaceA = { id: 'file:///home/me/a', label: 'a' };
  const workspaceB = { id: 'file:///home/me/b', label: 'b' };
  let storage: MemoryStorage;
  let store: GatewayTrustStore;

  beforeEach(() => {
    storage = new MemoryStorage();
    store = new GatewayTrustStore(storage);
  });

  it('binds each profile\'s key to one origin, rebinding replaces it', async () => {
    assert.equal(store.keyOrigin('ofoxai'), undefined);
    await store.bindKey('ofoxai', 'https://api.ofox.ai');
    await store.bindKey('foxora', 'https://api.foxora.ai');
    await store.bindKey('ofoxai', 'https://proxy.example');
    assert.equal(store.keyOrigin('ofoxai'), 'https://proxy.example');
    assert.deepEqual(store.keyOrigins(), { ofoxai: 'https://proxy.example', foxora: 'https://api.foxora.ai' });
    assert.deepEqual(storage.get(KEY_ORIGINS_KEY), { ofoxai: 'https://proxy.example', foxora: 'https://api.foxora.ai' });
  });

  it('a trust for workspace A does not apply in B, nor to another profile, origin or kind', async () => {
    await store.trust(workspaceA, 'ofoxai', 'https://x.example', 'otherOrigin');
    assert.equal(store.isTrusted(workspaceA, 'ofoxai', 'https://x.example', 'otherOrigin'), true);
    assert.equal(store.isTrusted(workspaceB, 'ofoxai', 'https://x.example', 'otherOrigin'), false);
    assert.equal(store.isTrusted({ id: NO_FOLDER, label: '' }, 'ofoxai', 'https://x.example', 'otherOrigin'), false);
    assert.equal(store.isTrusted(workspaceA, 'foxora', 'https://x.example', 'otherOrigin'), false);
    assert.equal(store.isTrusted(workspaceA, 'ofoxai', 'https://y.example', 'otherOrigin'), false);
    assert.equal(store.isTrusted(workspaceA, 'ofoxai', 'https://x.example', 'plainHttp'), false);
  });

  it('remembers a trust once, with the workspace label for the list', async () => {
    await store.trust(workspaceA, 'ofoxai', 'https://x.example', 'otherOrigin');
    await store.trust(workspaceA, 'ofoxai', 'https://x.example', 'otherOrigin');
    assert.deepEqual(store.trusts(), [{ workspace: workspaceA.id, workspaceLabel: 'a', profile: 'ofoxai', origin: 'https://x.example', kind: 'otherOrigin' }]);
  });

  it('revokes exactly the trusts given', async () => {
    await store.trust(workspaceA, 'ofoxai', 'https://x.example', 'otherOrigin');
    await store.trust(workspaceB, 'ofoxai', 'https://x.example', 'otherOrigin');
    await store.trust(workspaceA, 'ofoxai', 'http://x.example', 'plainHttp');
    const [first] = store.trusts();
    assert.ok(first);
    await store.revoke([first]);
    assert.equal(store.isTrusted(workspaceA, 'ofoxai', 'https://x.example', 'otherOrigin'), false);
    assert.equal(store.isTrusted(workspaceB, 'ofoxai', 'https://x.example', 'otherOrigin'), true);
    assert.equal(store.isTrusted(workspaceA, 'ofoxai', 'http://x.example', 'plainHttp'), true);
    await store.revoke(store.trusts());
    assert.deepEqual(store.trusts(), []);
  });

  it('ignores malformed stored values instead of trusting them', async () => {
    await storage.update(TRUSTED_GATEWAYS_KEY, [{ workspace: workspaceA.id, profile: 'ofoxai', origin: 'https://x.example' }, 'junk', null]);
    await storage.update(KEY_ORIGINS_KEY, 'junk');
    assert.deepEqual(store.trusts(), []);
    assert.equal(store.isTrusted(workspaceA, 'ofoxai', 'https://x.example', 'otherOrigin'), false);
    assert.equal(store.keyOrigin('ofoxai'), undefined);
  });
});
