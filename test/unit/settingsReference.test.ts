import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  END_MARKER,
  REPO_ROOT,
  START_MARKER,
  readSettingsSection,
  renderRepositorySettings,
  renderSettingsTable,
  replaceSettingsSection,
  type Manifest,
} from '../docs/settingsReference';

/** The data rows of a rendered table, keyed by setting id, split into cells. */
function rows(table: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const line of table.split('\n').slice(2)) {
    // Cell separators are space-padded; an escaped pipe is preceded by a backslash, so it stays.
    const cells = line.slice(2, -2).split(' | ');
    result.set(cells[0] ?? '', cells.slice(1));
  }
  return result;
}

describe('README settings reference', () => {
  it('matches package.json and package.nls.json', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    assert.equal(
      readSettingsSection(readme),
      renderRepositorySettings(),
      'README.md settings table is out of date: run `npm run docs:settings`',
    );
  });

  it('documents every contributed setting', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, unknown> } };
    };
    const documented = [...rows(renderRepositorySettings()).keys()];
    assert.deepEqual(documented.sort(), Object.keys(manifest.contributes.configuration.properties).map((id) => `\`${id}\``).sort());
  });
});

describe('renderSettingsTable', () => {
  const nls = { 'config.a': 'From %nls%.', 'config.enum.x': 'The x one.' };
  const manifest: Manifest = {
    contributes: {
      configuration: [
        {
          properties: {
            'ext.flag': { type: 'boolean', default: false, description: 'plain', markdownDescription: '%config.a%', order: 2 },
            'ext.level': {
              type: 'string',
              enum: ['x', 'y'],
              default: 'x',
              markdownEnumDescriptions: ['%config.enum.x%', ''],
              description: 'See `#ext.flag#`.',
              order: 1,
            },
            'ext.ratio': { type: ['number', 'null'], default: null, minimum: -2, maximum: 1000000, description: 'a | b' },
          },
        },
        {
          properties: {
            'ext.count': { type: 'integer', default: 3, minimum: 1, description: 'Count.' },
            'ext.names': { type: 'array', items: { type: 'string', enum: ['p', 'q'] }, uniqueItems: true, default: ['p'], description: 'Names.' },
            'ext.map': {
              type: 'object',
              default: {},
              propertyNames: { enum: ['k1', 'k2'] },
              additionalProperties: { type: 'object', properties: { url: { type: 'string' }, tags: { type: 'array' } } },
              description: 'Map.',
            },
            'ext.free': { description: 'Anything.' },
            'ext.pattern': { type: 'string', pattern: '^(a|b)$', minLength: 1, default: '', description: 'Uses `a`.' },
          },
        },
      ],
    },
  };
  const table = renderSettingsTable(manifest, nls);
  const byId = rows(table);

  it('has a header and one row per setting from every configuration node, by order then name', () => {
    const lines = table.split('\n');
    assert.equal(lines[0], '| Setting | Type | Default | Allowed | Description |');
    assert.equal(lines[1], '| --- | --- | --- | --- | --- |');
    assert.deepEqual(
      [...byId.keys()],
      ['`ext.level`', '`ext.flag`', '`ext.count`', '`ext.free`', '`ext.map`', '`ext.names`', '`ext.pattern`', '`ext.ratio`'],
    );
  });

  it('renders booleans and prefers markdownDescription, resolving %key% from package.nls.json', () => {
    assert.deepEqual(byId.get('`ext.flag`'), ['boolean', '`false`', '`true`, `false`', 'From %nls%.']);
  });

  it('lists enum values with their descriptions and unwraps settings links', () => {
    assert.deepEqual(byId.get('`ext.level`'), ['string', '`x`', '`x`, `y`', 'See `ext.flag`. `x`: The x one.']);
  });

  it('renders numeric ranges, nullable types as unset, and escapes pipes', () => {
    assert.deepEqual(byId.get('`ext.ratio`'), ['number', 'unset', '-2 to 1,000,000', 'a \\| b']);
    assert.deepEqual(byId.get('`ext.count`'), ['integer', '`3`', 'at least 1', 'Count.']);
  });

  it('describes arrays, maps of objects and untyped settings', () => {
    assert.deepEqual(byId.get('`ext.names`'), ['array of string', '`["p"]`', 'any of `p`, `q`; no duplicates', 'Names.']);
    assert.deepEqual(byId.get('`ext.map`'), ['object', '`{}`', 'keys `k1`, `k2`; each value: fields `url`, `tags`', 'Map.']);
    assert.deepEqual(byId.get('`ext.free`'), ['any', 'unset', 'any', 'Anything.']);
  });

  it('escapes pipes inside code spans and keeps an empty string default visible', () => {
    assert.deepEqual(byId.get('`ext.pattern`'), ['string', '`""`', 'not empty; matches `^(a\\|b)$`', 'Uses `a`.']);
  });

  it('fails on a %key% missing from package.nls.json rather than printing the key', () => {
    const broken: Manifest = { contributes: { configuration: { properties: { 'ext.x': { type: 'string', description: '%nope%' } } } } };
    assert.throws(() => renderSettingsTable(broken, {}), /ext\.x: %nope% is not in package\.nls\.json/);
  });
});

describe('replaceSettingsSection', () => {
  const readme = ['# T', '', '## Settings', '', START_MARKER, '| old |', END_MARKER, '', 'The API key paragraph.', ''].join('\n');

  it('replaces only what is between the markers, and is stable', () => {
    const once = replaceSettingsSection(readme, '| new |');
    assert.equal(once, ['# T', '', '## Settings', '', START_MARKER, '| new |', END_MARKER, '', 'The API key paragraph.', ''].join('\n'));
    assert.equal(replaceSettingsSection(once, '| new |'), once);
    assert.equal(readSettingsSection(once), '| new |');
  });

  it('keeps CRLF line endings', () => {
    const crlf = readme.replace(/\n/g, '\r\n');
    assert.equal(replaceSettingsSection(crlf, '| a |\n| b |'), crlf.replace('| old |', '| a |\r\n| b |'));
  });

  it('refuses a README without the markers', () => {
    assert.throws(() => readSettingsSection('# T\n'), /settings:start/);
    assert.throws(() => replaceSettingsSection(`${END_MARKER}\n${START_MARKER}\n`, ''), /settings:start/);
  });
});
