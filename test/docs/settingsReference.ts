// The README's settings table, generated from package.json so the documentation cannot drift from
// what VS Code shows. `npm run docs:settings` rewrites README.md between the markers;
// test/unit/settingsReference.test.ts fails when someone forgets to.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const START_MARKER = '<!-- settings:start -->';
export const END_MARKER = '<!-- settings:end -->';

/** The part of a JSON Schema that VS Code settings use; anything else is ignored, not rejected. */
export interface SettingSchema {
  type?: string | string[];
  default?: unknown;
  enum?: unknown[];
  enumDescriptions?: string[];
  markdownEnumDescriptions?: string[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  items?: SettingSchema | SettingSchema[];
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  properties?: Record<string, SettingSchema>;
  additionalProperties?: boolean | SettingSchema;
  propertyNames?: SettingSchema;
  order?: number;
  description?: string;
  markdownDescription?: string;
  deprecationMessage?: string;
  markdownDeprecationMessage?: string;
}

interface ConfigurationNode {
  properties?: Record<string, SettingSchema>;
}

export interface Manifest {
  contributes?: { configuration?: ConfigurationNode | ConfigurationNode[] };
}

export type Translations = Record<string, string>;

/** One row per setting, in the order the Settings editor shows them. */
export function renderSettingsTable(manifest: Manifest, nls: Translations): string {
  const rows = collectSettings(manifest).map(([id, schema]) =>
    [
      code(id),
      renderType(schema),
      renderDefault(schema.default),
      renderAllowed(schema),
      renderDescription(id, schema, nls),
    ].map(cell),
  );
  const header = ['Setting', 'Type', 'Default', 'Allowed', 'Description'];
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

function collectSettings(manifest: Manifest): [string, SettingSchema][] {
  // `contributes.configuration` may be one node or an array of them (one per settings category).
  const nodes = ([] as ConfigurationNode[]).concat(manifest.contributes?.configuration ?? []);
  const entries = nodes.flatMap((node) => Object.entries(node.properties ?? {}));
  // VS Code lists settings with an `order` first, then the rest by name; the table follows suit.
  return entries.sort(([idA, a], [idB, b]) => {
    const orderA = a.order ?? Number.POSITIVE_INFINITY;
    const orderB = b.order ?? Number.POSITIVE_INFINITY;
    if (orderA !== orderB) {
      return orderA < orderB ? -1 : 1;
    }
    return idA.localeCompare(idB, 'en');
  });
}

function typesOf(schema: SettingSchema): string[] {
  if (schema.type !== undefined) {
    return ([] as string[]).concat(schema.type);
  }
  // An enum without a type is still typed by its values; say so rather than leave the cell empty.
  if (schema.enum !== undefined) {
    return [...new Set(schema.enum.map((value) => (value === null ? 'null' : typeof value)))];
  }
  return [];
}

function renderType(schema: SettingSchema): string {
  // "null" only means "may be unset", which the Default column already says.
  const types = typesOf(schema).filter((type) => type !== 'null');
  if (types.length === 0) {
    return 'any';
  }
  return types
    .map((type) => {
      const items = Array.isArray(schema.items) ? undefined : schema.items;
      if (type === 'array' && items !== undefined) {
        const itemTypes = typesOf(items).filter((itemType) => itemType !== 'null');
        return itemTypes.length > 0 ? `array of ${itemTypes.join(' or ')}` : 'array';
      }
      return type;
    })
    .join(' or ');
}

function renderDefault(value: unknown): string {
  if (value === undefined || value === null) {
    return 'unset';
  }
  // Quotes only where they carry meaning: the empty string would otherwise be an empty code span.
  return code(typeof value === 'string' && value !== '' ? value : spacedJson(value));
}

/** JSON with a space after `,` and `:`, so a long default can wrap in a narrow table column. */
function spacedJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(spacedJson).join(', ')}]`;
  }
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value).map(([key, inner]) => `${JSON.stringify(key)}: ${spacedJson(inner)}`).join(', ')}}`;
  }
  // JSON.stringify gives undefined for undefined, functions and symbols, though its type says string.
  const json = JSON.stringify(value) as string | undefined;
  return json ?? String(value);
}

function formatNumber(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 20 });
}

function renderRange(minimum: number | undefined, maximum: number | undefined, exclusiveMinimum?: number, exclusiveMaximum?: number): string | undefined {
  const low = minimum !== undefined ? formatNumber(minimum) : exclusiveMinimum !== undefined ? `more than ${formatNumber(exclusiveMinimum)}` : undefined;
  const high = maximum !== undefined ? formatNumber(maximum) : exclusiveMaximum !== undefined ? `less than ${formatNumber(exclusiveMaximum)}` : undefined;
  if (low !== undefined && high !== undefined) {
    return `${low} to ${high}`;
  }
  if (low !== undefined) {
    return minimum !== undefined ? `at least ${low}` : low;
  }
  if (high !== undefined) {
    return maximum !== undefined ? `at most ${high}` : high;
  }
  return undefined;
}

function codeList(values: readonly unknown[]): string {
  return values.map((value) => code(typeof value === 'string' ? value : JSON.stringify(value))).join(', ');
}

function constraints(schema: SettingSchema): string[] {
  const parts: string[] = [];
  if (schema.enum !== undefined) {
    parts.push(codeList(schema.enum));
  }
  const range = renderRange(schema.minimum, schema.maximum, schema.exclusiveMinimum, schema.exclusiveMaximum);
  if (range !== undefined) {
    parts.push(range);
  }
  if (schema.minLength !== undefined || schema.maxLength !== undefined) {
    parts.push(
      schema.minLength === 1 && schema.maxLength === undefined
        ? 'not empty'
        : `${renderRange(schema.minLength, schema.maxLength)} characters`,
    );
  }
  if (schema.format !== undefined) {
    parts.push(`format ${code(schema.format)}`);
  }
  if (schema.pattern !== undefined) {
    parts.push(`matches ${code(schema.pattern)}`);
  }
  const items = Array.isArray(schema.items) ? undefined : schema.items;
  if (items !== undefined) {
    const itemParts = constraints(items);
    if (items.enum !== undefined && itemParts.length === 1) {
      parts.push(`any of ${itemParts[0]}`);
    } else if (itemParts.length > 0) {
      parts.push(`each item: ${itemParts.join(', ')}`);
    }
  }
  if (schema.minItems !== undefined || schema.maxItems !== undefined) {
    parts.push(`${renderRange(schema.minItems, schema.maxItems)} items`);
  }
  if (schema.uniqueItems === true) {
    parts.push('no duplicates');
  }
  if (schema.propertyNames?.enum !== undefined) {
    parts.push(`keys ${codeList(schema.propertyNames.enum)}`);
  }
  if (schema.properties !== undefined) {
    parts.push(`fields ${codeList(Object.keys(schema.properties))}`);
  }
  // A map of objects (like `foxChat.profiles`): what matters to the reader is each value's fields.
  if (typeof schema.additionalProperties === 'object') {
    const valueParts = constraints(schema.additionalProperties);
    if (valueParts.length > 0) {
      parts.push(`each value: ${valueParts.join(', ')}`);
    }
  }
  return parts;
}

function renderAllowed(schema: SettingSchema): string {
  const types = typesOf(schema);
  if (schema.enum === undefined && types.length === 1 && types[0] === 'boolean') {
    return `${code('true')}, ${code('false')}`;
  }
  const parts = constraints(schema);
  return parts.length > 0 ? parts.join('; ') : 'any';
}

function translate(text: string, nls: Translations, where: string): string {
  // VS Code replaces a whole-string %key% only; partial matches are literal text.
  const match = /^%(.+)%$/.exec(text);
  if (match === null) {
    return text;
  }
  const translated = nls[match[1] ?? ''];
  if (translated === undefined) {
    throw new Error(`${where}: ${text} is not in package.nls.json`);
  }
  return translated;
}

function renderDescription(id: string, schema: SettingSchema, nls: Translations): string {
  const main = schema.markdownDescription ?? schema.description;
  const parts: string[] = [];
  if (main !== undefined) {
    parts.push(translate(main, nls, id));
  }
  const enumDescriptions = schema.markdownEnumDescriptions ?? schema.enumDescriptions;
  if (schema.enum !== undefined && enumDescriptions !== undefined) {
    schema.enum.forEach((value, index) => {
      const description = enumDescriptions[index];
      if (description !== undefined && description !== '') {
        parts.push(`${code(String(value))}: ${translate(description, nls, `${id} enum ${String(value)}`)}`);
      }
    });
  }
  const deprecation = schema.markdownDeprecationMessage ?? schema.deprecationMessage;
  if (deprecation !== undefined) {
    parts.push(`**Deprecated:** ${translate(deprecation, nls, `${id} deprecation`)}`);
  }
  // `#foxChat.x#` is a settings-editor link; outside VS Code it would show its hashes.
  return parts.join(' ').replace(/#([A-Za-z][\w-]*(?:\.[\w-]+)+)#/g, '$1');
}

function code(text: string): string {
  // A backtick inside needs a longer fence (CommonMark code spans), padded so it does not touch it.
  const longestRun = Math.max(0, ...Array.from(text.matchAll(/`+/g), (match) => match[0].length));
  const fence = '`'.repeat(longestRun + 1);
  return longestRun === 0 ? `${fence}${text}${fence}` : `${fence} ${text} ${fence}`;
}

function cell(text: string): string {
  // A raw `|` ends a table cell even inside a code span (GFM), and a line break ends the row.
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function markerPositions(readme: string): { start: number; end: number } {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`README.md needs ${START_MARKER} followed by ${END_MARKER} in its Settings section`);
  }
  if (readme.indexOf(START_MARKER, start + 1) !== -1 || readme.indexOf(END_MARKER, end + 1) !== -1) {
    throw new Error('README.md has more than one pair of settings markers');
  }
  return { start: start + START_MARKER.length, end };
}

/** What sits between the markers, without the blank-line padding around the table. */
export function readSettingsSection(readme: string): string {
  const { start, end } = markerPositions(readme);
  return readme.slice(start, end).replace(/\r\n/g, '\n').trim();
}

export function replaceSettingsSection(readme: string, table: string): string {
  const { start, end } = markerPositions(readme);
  const newline = readme.includes('\r\n') ? '\r\n' : '\n';
  const body = table.replace(/\r?\n/g, newline);
  return `${readme.slice(0, start)}${newline}${body}${newline}${readme.slice(end)}`;
}

export const REPO_ROOT = join(__dirname, '..', '..', '..');

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

/** The table for the repository's own package.json and English strings. */
export function renderRepositorySettings(root = REPO_ROOT): string {
  const manifest = readJson(join(root, 'package.json')) as Manifest;
  const nls = readJson(join(root, 'package.nls.json')) as Translations;
  return renderSettingsTable(manifest, nls);
}

function main(args: readonly string[]): void {
  const table = renderRepositorySettings();
  if (!args.includes('--write')) {
    process.stdout.write(`${table}\n`);
    return;
  }
  const readmePath = join(REPO_ROOT, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const updated = replaceSettingsSection(readme, table);
  if (updated === readme) {
    process.stdout.write('README.md settings table is up to date.\n');
    return;
  }
  writeFileSync(readmePath, updated);
  process.stdout.write('README.md settings table rewritten from package.json.\n');
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
