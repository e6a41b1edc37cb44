import { strict as assert } from 'node:assert';
import { checkProfileOverride, PROFILE_PRESETS, resolveProfile } from '../../../src/config/profiles';

describe('profiles', () => {
  it('has the eight profiles of the product (Azure OpenAI since issue 13), OfoxAI first', () => {
    assert.deepEqual(
      PROFILE_PRESETS.map((preset) => preset.label),
      ['OfoxAI', 'Foxora', 'OpenAI', 'OpenRouter', 'Azure OpenAI', 'Ollama', 'LM Studio', 'Custom'],
    );
    assert.equal(PROFILE_PRESETS[0]!.baseUrl, 'https://api.ofox.ai/v1');
    assert.equal(PROFILE_PRESETS[0]!.model, 'openai/gpt-4o');
    assert.equal(PROFILE_PRESETS.find((preset) => preset.id === 'ollama')?.requiresKey, false);
  });

  it('uses the preset when nothing is overridden', () => {
    const profile = resolveProfile('foxora', undefined);
    assert.equal(profile.baseUrl, 'https://api.foxora.ai/v1');
    assert.equal(profile.model, 'gpt-4o-mini');
    assert.deepEqual(profile.fallbackModels, []);
    assert.equal(profile.provider, undefined);
  });

  it('applies the profile override, and explicit foxChat.baseUrl / foxChat.model over it', () => {
    const override = { baseUrl: 'https://proxy.example/v1/', model: 'anthropic/claude-sonnet-4.5', fallbackModels: [' openai/gpt-4o ', ''], provider: { sort: 'price' } };
    const fromOverride = resolveProfile('ofoxai', override);
    assert.equal(fromOverride.baseUrl, 'https://proxy.example/v1');
    assert.equal(fromOverride.model, 'anthropic/claude-sonnet-4.5');
    assert.deepEqual(fromOverride.fallbackModels, ['openai/gpt-4o']);
    assert.deepEqual(fromOverride.provider, { sort: 'price' });
    const explicit = resolveProfile('ofoxai', override, { baseUrl: 'http://127.0.0.1:9/v1', model: 'mock' });
    assert.equal(explicit.baseUrl, 'http://127.0.0.1:9/v1');
    assert.equal(explicit.model, 'mock');
  });

  it('merges extra headers over the preset headers', () => {
    const profile = resolveProfile('openrouter', { headers: { 'X-Title': 'Mine', 'X-Extra': '1' } });
    assert.equal(profile.headers['X-Title'], 'Mine');
    assert.equal(profile.headers['X-Extra'], '1');
    assert.ok(profile.headers['HTTP-Referer']);
  });

  it('reports each malformed override field with its setting path', () => {
    const { override, problems } = checkProfileOverride('foxora', {
      baseUrl: 'ftp://nope',
      model: '',
      provider: 'x',
      headers: { a: 1 },
      fallbackModels: 'gpt-4o',
    });
    assert.deepEqual(override, {});
    assert.deepEqual(
      problems.map((problem) => [problem.setting, problem.expected]),
      [
        ['foxChat.profiles.foxora.baseUrl', 'url'],
        ['foxChat.profiles.foxora.model', 'text'],
        ['foxChat.profiles.foxora.provider', 'object'],
        ['foxChat.profiles.foxora.headers', 'textMap'],
        ['foxChat.profiles.foxora.fallbackModels', 'textList'],
      ],
    );
    assert.deepEqual(checkProfileOverride('foxora', 'oops').problems[0]?.expected, 'object');
  });
});
