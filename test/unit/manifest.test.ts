import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandIds } from '../../src/commandIds';
import { DEFAULT_SETTINGS, SETTING_NAMES, SETTINGS_SECTION } from '../../src/config/defaults';
import { DEFAULT_PROFILE_ID, PROFILE_PRESETS } from '../../src/config/profiles';
import { CLIENT_NUMBER_SETTINGS, IMAGE_DETAILS, NUMBER_SETTINGS, RESPONSE_FORMATS } from '../../src/config/requestSettings';

const root = join(__dirname, '..', '..', '..');
const readJson = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(root, name), 'utf8')) as Record<string, unknown>;

interface Manifest {
  engines: { vscode: string };
  devDependencies: Record<string, string>;
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string }[];
    configuration: { properties: Record<string, { default?: unknown; minimum?: number; maximum?: number; type?: string | string[]; enum?: string[] }> };
  };
}

const manifest = readJson('package.json') as unknown as Manifest;

describe('package.json', () => {
  it('contributes exactly the commands the code registers', () => {
    assert.deepEqual(manifest.contributes.commands.map((command) => command.command).sort(), Object.values(CommandIds).sort());
  });

  const properties = manifest.contributes.configuration.properties;
  const property = (name: string): (typeof properties)[string] => properties[`${SETTINGS_SECTION}.${name}`]!;

  it('declares exactly the settings the code reads, with the same defaults', () => {
    assert.deepEqual(Object.keys(properties).sort(), SETTING_NAMES.map((name) => `${SETTINGS_SECTION}.${name}`).sort());
    for (const [name, value] of Object.entries(DEFAULT_SETTINGS)) {
      assert.equal(property(name).default, value, name);
    }
    assert.equal(DEFAULT_SETTINGS.profile, DEFAULT_PROFILE_ID);
  });

  it('gives every numeric setting the range the run-time check uses', () => {
    const rules = { ...NUMBER_SETTINGS, ...CLIENT_NUMBER_SETTINGS };
    for (const [name, { rule }] of Object.entries(rules)) {
      assert.equal(property(name).minimum, rule.min, `${name} minimum`);
      assert.equal(property(name).maximum, rule.max, `${name} maximum`);
      const types = ([] as string[]).concat(property(name).type ?? []);
      assert.ok(types.includes(rule.integer ? 'integer' : 'number'), `${name} type ${types.join()}`);
    }
    for (const [name, { default: value }] of Object.entries(CLIENT_NUMBER_SETTINGS)) {
      assert.equal(property(name).default, value, `${name} default`);
    }
  });

  it('offers exactly the profiles and response formats the code knows', () => {
    assert.deepEqual(property('profile').enum, PROFILE_PRESETS.map((preset) => preset.id));
    assert.deepEqual(property('responseFormat').enum, [...RESPONSE_FORMATS]);
    assert.deepEqual(property('imageDetail').enum, [...IMAGE_DETAILS]);
  });

  it('targets VS Code 1.100 with matching types and activates only on demand', () => {
    assert.equal(manifest.engines.vscode, '^1.100.0');
    assert.equal(manifest.devDependencies['@types/vscode'], '~1.100.0');
    assert.ok(!manifest.activationEvents.includes('*'));
  });

  it('has every %key% in English, German and Spanish, and no unused key', () => {
    const text = readFileSync(join(root, 'package.json'), 'utf8');
    const used = new Set(Array.from(text.matchAll(/"%([^%"]+)%"/g), (match) => match[1]!));
    for (const file of ['package.nls.json', 'package.nls.de.json', 'package.nls.es.json']) {
      const keys = new Set(Object.keys(readJson(file)));
      assert.deepEqual([...used].filter((key) => !keys.has(key)), [], `missing in ${file}`);
      assert.deepEqual([...keys].filter((key) => !used.has(key)), [], `unused in ${file}`);
    }
  });
});
