import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SETTING_NAMES, SETTINGS_SECTION } from '../../src/config/defaults';
import { RESTRICTED_IN_UNTRUSTED_WORKSPACE } from '../../src/config/settingScopes';

type Scope = 'application' | 'machine' | 'machine-overridable' | 'window' | 'resource' | 'language-overridable';

interface Decision {
  /** userOnly: application/machine scope, a workspace can never set it. */
  where: 'userOnly' | 'workspaceSettable';
  /** Ignored from the workspace while it is untrusted (restrictedConfigurations). */
  restrictedWhenUntrusted: boolean;
}

const userOnly: Decision = { where: 'userOnly', restrictedWhenUntrusted: false };
const shared = (restrictedWhenUntrusted: boolean): Decision => ({ where: 'workspaceSettable', restrictedWhenUntrusted });

/**
 * One decision per setting. A cloned repository's .vscode/settings.json must not spend the user's
 * money, send their key elsewhere or widen what tools send, so:
 * - user-only: what goes on the wire unchecked (extraBody, provider) or bundles a base URL, extra
 *   headers and fallback models in one object (profiles). A team shares these through docs, not
 *   through a repository that could forward the key or add paid options.
 * - workspace-settable but restricted while untrusted: what a team legitimately shares once it
 *   trusts the folder, but which picks the key's destination (profile, baseUrl), the cost (model,
 *   maxTokens, maxRetries, imageDetail `high`, idleTimeoutSeconds keeping paid streams open), what
 *   the prompt demands (responseFormat, jsonSchema, whose text reaches the model), or which
 *   workspace content tools read and send and how often (tools.*).
 * - ignoreFiles is user-only too: a repository could otherwise re-include its own secrets with
 *   "!.env" (adding patterns is what .foxchatignore is for).
 * - promptFolders is user-only: a repository could otherwise load prompt files from anywhere on
 *   the disk (its own prompts belong in .github/prompts or .foxchat/prompts, loaded only when trusted).
 * - free: temperature, topP and the penalties only shape sampling within checked ranges; they
 *   change neither cost, destination nor what is sent.
 */
const DECISIONS: Record<(typeof SETTING_NAMES)[number], Decision> = {
  profile: shared(true),
  baseUrl: shared(true),
  model: shared(true),
  profiles: userOnly,
  temperature: shared(false),
  maxTokens: shared(true),
  topP: shared(false),
  frequencyPenalty: shared(false),
  presencePenalty: shared(false),
  responseFormat: shared(true),
  jsonSchema: shared(true),
  provider: userOnly,
  extraBody: userOnly,
  idleTimeoutSeconds: shared(true),
  maxRetries: shared(true),
  maxAnswerMB: shared(true),
  imageDetail: shared(true),
  // Reasoning tokens are billed: more effort costs more.
  reasoningEffort: shared(true),
  'tools.enabled': shared(true),
  'tools.toolChoice': shared(true),
  'tools.enabledTools': shared(true),
  'tools.maxRounds': shared(true),
  ignoreFiles: userOnly,
  promptFolders: userOnly,
};

interface Manifest {
  capabilities?: {
    untrustedWorkspaces?: { supported: unknown; description?: string; restrictedConfigurations?: string[] };
    virtualWorkspaces?: { supported: unknown; description?: string };
  };
  contributes: { configuration: { properties: Record<string, { scope?: Scope }> } };
}

const root = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const nls = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
const properties = manifest.contributes.configuration.properties;
const full = (name: string): string => `${SETTINGS_SECTION}.${name}`;

describe('setting scopes and workspace trust', () => {
  it('has a decision for every contributed setting, and only for those', () => {
    assert.deepEqual(Object.keys(DECISIONS).map(full).sort(), Object.keys(properties).sort());
  });

  it('makes exactly the user-only settings application- or machine-scoped', () => {
    for (const [name, decision] of Object.entries(DECISIONS)) {
      const scope = properties[full(name)]?.scope ?? 'window';
      const userOnlyScope = scope === 'application' || scope === 'machine';
      assert.equal(userOnlyScope, decision.where === 'userOnly', `${full(name)} has scope ${scope}`);
    }
  });

  it('restricts exactly the decided settings in untrusted workspaces, in package.json and in the code', () => {
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    const decided = Object.entries(DECISIONS)
      .filter(([, decision]) => decision.restrictedWhenUntrusted)
      .map(([name]) => full(name))
      .sort();
    assert.deepEqual([...(untrusted.restrictedConfigurations ?? [])].sort(), decided);
    assert.deepEqual([...RESTRICTED_IN_UNTRUSTED_WORKSPACE].sort(), decided);
  });

  it('explains the limits in localised descriptions', () => {
    for (const capability of [manifest.capabilities?.untrustedWorkspaces, manifest.capabilities?.virtualWorkspaces]) {
      const key = /^%(.+)%$/.exec(capability?.description ?? '')?.[1];
      assert.ok(key !== undefined && nls[key], `${capability?.description} is a key of package.nls.json`);
    }
    assert.equal(manifest.capabilities?.virtualWorkspaces?.supported, 'limited');
  });
});
