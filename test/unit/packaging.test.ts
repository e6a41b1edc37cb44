// Guards the release artefact: what `npm run package` produced is small, holds only what the
// installed extension needs, and the manifest carries what the Marketplace page shows.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const vsixPath = join(root, 'fox-chat.vsix');
const MAX_VSIX_BYTES = 400 * 1024;

// Keep in step with .vscodeignore. vsce renames README.md, CHANGELOG.md and LICENSE inside the
// package and adds its own two manifest files at the top level.
const ALLOWED_ENTRIES: readonly RegExp[] = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/package\.json$/,
  /^extension\/package\.nls(\.[a-z]{2}(-[a-z]+)?)?\.json$/,
  /^extension\/(readme|changelog)\.md$/,
  /^extension\/LICENSE\.txt$/,
  /^extension\/dist\/(extension|webview)\.js$/,
  /^extension\/l10n\/bundle\.l10n\.[a-z]{2}(-[a-z]+)?\.json$/,
  /^extension\/media\/(fox\.svg|icon\.png|chat\.css|markdown\.css|composer-context\.css)$/,
  /^extension\/media\/walkthrough\/[\w./-]+\.(md|svg|png|gif|jpe?g|webp)$/,
];

const REQUIRED_ENTRIES: readonly string[] = [
  'extension.vsixmanifest',
  'extension/package.json',
  'extension/package.nls.json',
  'extension/readme.md',
  'extension/changelog.md',
  'extension/LICENSE.txt',
  'extension/dist/extension.js',
  'extension/dist/webview.js',
  'extension/media/icon.png',
  'extension/media/fox.svg',
];

// Sources, source maps, tests and dependencies are bundled or not needed at run time; any of them
// in the package means the allow-list or the build went wrong.
const FORBIDDEN_ENTRIES: readonly RegExp[] = [/\.tsx?$/, /\.map$/, /(^|\/)test\//, /(^|\/)src\//, /(^|\/)node_modules\//];

// https://code.visualstudio.com/api/references/extension-manifest: the Marketplace rejects others.
const MARKETPLACE_CATEGORIES: readonly string[] = [
  'AI', 'Azure', 'Chat', 'Data Science', 'Debuggers', 'Education', 'Extension Packs', 'Formatters', 'Keymaps',
  'Language Packs', 'Linters', 'Machine Learning', 'Notebooks', 'Other', 'Programming Languages', 'SCM Providers',
  'Snippets', 'Testing', 'Themes', 'Visualization',
];

interface ZipEntry {
  name: string;
  uncompressedSize: number;
}

/**
 * Names and sizes from a zip's central directory. A .vsix is a plain zip written by vsce (yazl),
 * so the end-of-central-directory record is enough; ZIP64 would mean a package far over budget.
 */
function readZipEntries(zip: Buffer): ZipEntry[] {
  const EOCD_SIGNATURE = 0x06054b50;
  const CENTRAL_SIGNATURE = 0x02014b50;
  const EOCD_SIZE = 22;
  // The record sits at the end, followed only by a comment of at most 65535 bytes.
  let eocd = -1;
  for (let offset = zip.length - EOCD_SIZE; offset >= Math.max(0, zip.length - EOCD_SIZE - 0xffff); offset--) {
    if (zip.readUInt32LE(offset) === EOCD_SIGNATURE) {
      eocd = offset;
      break;
    }
  }
  if (eocd === -1) {
    throw new Error('not a zip file: no end-of-central-directory record');
  }
  const count = zip.readUInt16LE(eocd + 10);
  const directoryOffset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || directoryOffset === 0xffffffff) {
    throw new Error('ZIP64 archive: not expected for a .vsix of this size');
  }
  const entries: ZipEntry[] = [];
  let position = directoryOffset;
  for (let index = 0; index < count; index++) {
    if (zip.readUInt32LE(position) !== CENTRAL_SIGNATURE) {
      throw new Error(`corrupt central directory at byte ${position}`);
    }
    const utf8Names = (zip.readUInt16LE(position + 8) & 0x0800) !== 0;
    const nameLength = zip.readUInt16LE(position + 28);
    const extraLength = zip.readUInt16LE(position + 30);
    const commentLength = zip.readUInt16LE(position + 32);
    const name = zip.toString(utf8Names ? 'utf8' : 'latin1', position + 46, position + 46 + nameLength);
    entries.push({ name, uncompressedSize: zip.readUInt32LE(position + 24) });
    position += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function readVsix(): { size: number; names: string[] } {
  // A missing package must fail, not skip: a skipped guard reads as a passing one in CI.
  assert.ok(existsSync(vsixPath), `${vsixPath} not found: run npm run package first`);
  const zip = readFileSync(vsixPath);
  return { size: zip.length, names: readZipEntries(zip).map((entry) => entry.name) };
}

describe('fox-chat.vsix', () => {
  it(`is at most ${MAX_VSIX_BYTES / 1024} KB`, () => {
    const { size } = readVsix();
    assert.ok(size <= MAX_VSIX_BYTES, `fox-chat.vsix is ${(size / 1024).toFixed(1)} KB, over the ${MAX_VSIX_BYTES / 1024} KB budget`);
  });

  it('holds only allow-listed files, and all the required ones', () => {
    const { names } = readVsix();
    const files = names.filter((name) => !name.endsWith('/'));
    assert.deepEqual(
      files.filter((name) => !ALLOWED_ENTRIES.some((pattern) => pattern.test(name))),
      [],
      'files outside the allow-list (update .vscodeignore and this test together if they belong)',
    );
    assert.deepEqual(REQUIRED_ENTRIES.filter((name) => !files.includes(name)), [], 'required files missing from the package');
  });

  it('holds no TypeScript, source maps, tests, sources or node_modules', () => {
    const { names } = readVsix();
    assert.deepEqual(names.filter((name) => FORBIDDEN_ENTRIES.some((pattern) => pattern.test(name))), []);
  });
});

interface ReleaseManifest {
  icon?: unknown;
  galleryBanner?: { color?: unknown; theme?: unknown };
  repository?: unknown;
  license?: unknown;
  categories?: unknown;
  keywords?: unknown;
}

describe('package.json release fields', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as ReleaseManifest;

  it('has a 128x128 PNG icon under 20 KB', () => {
    assert.equal(manifest.icon, 'media/icon.png');
    const iconPath = join(root, 'media', 'icon.png');
    assert.ok(existsSync(iconPath), 'media/icon.png is missing');
    const png = readFileSync(iconPath);
    assert.ok(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'media/icon.png is not a PNG');
    // IHDR is always the first chunk: width and height follow its 4-byte type at offset 12.
    assert.equal(png.toString('latin1', 12, 16), 'IHDR');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128], 'icon size');
    assert.ok(statSync(iconPath).size < 20 * 1024, 'media/icon.png is 20 KB or more');
  });

  it('has a gallery banner', () => {
    assert.match(String(manifest.galleryBanner?.color), /^#[0-9a-f]{6}$/i);
    assert.ok(manifest.galleryBanner?.theme === 'dark' || manifest.galleryBanner?.theme === 'light', 'galleryBanner.theme');
  });

  it('names its repository and an MIT licence that matches LICENSE', () => {
    const repository = manifest.repository;
    const url = typeof repository === 'string' ? repository : (repository as { url?: unknown } | undefined)?.url;
    assert.match(String(url), /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
    assert.equal(manifest.license, 'MIT');
    assert.match(readFileSync(join(root, 'LICENSE'), 'utf8'), /^MIT License\r?\n/);
  });

  const stringList = (value: unknown, field: string): string[] => {
    // Array.isArray narrows to any[]; check every element so the rest stays typed.
    assert.ok(Array.isArray(value) && value.length > 0, `${field} must be a non-empty array`);
    const list: unknown[] = value;
    assert.ok(list.every((item) => typeof item === 'string'), `${field} must hold strings`);
    return list;
  };

  it('uses Marketplace categories and a short list of distinct keywords', () => {
    const categories = stringList(manifest.categories, 'categories');
    assert.deepEqual(categories.filter((category) => !MARKETPLACE_CATEGORIES.includes(category)), []);
    const keywords = stringList(manifest.keywords, 'keywords');
    // The Marketplace accepts at most 30 keywords.
    assert.ok(keywords.length <= 30, 'more than 30 keywords');
    assert.equal(new Set(keywords).size, keywords.length, 'duplicate keywords');
  });

  it('has a CHANGELOG entry for the current version', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
    assert.ok(changelog.includes(`## [${version}]`), `CHANGELOG.md has no "## [${version}]" section`);
  });

  it('packages from an allow-list whose plain paths all exist', () => {
    const lines = readFileSync(join(root, '.vscodeignore'), 'utf8')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    assert.equal(lines[0], '**', '.vscodeignore must start by excluding everything');
    assert.deepEqual(lines.slice(1).filter((line) => !line.startsWith('!')), [], 'only re-includes after **');
    // A stale entry for a file that no longer exists hides a missing asset until run time.
    const plainPaths = lines.slice(1).map((line) => line.slice(1)).filter((path) => !/[*?[{]/.test(path));
    assert.deepEqual(plainPaths.filter((path) => !existsSync(join(root, path))), [], '.vscodeignore names missing files');
  });
});
