// Extensions besides Fox Chat in the e2e profile, and language packs in particular.
//
// VS Code shows an extension's package.nls.<lang>.json and l10n/bundle.l10n.<lang>.json only when
// the display language resolves to <lang>, and code-server resolves a locale (its --locale, or
// "locale" in the profile's User/argv.json) only to a language that an installed language pack
// provides; otherwise it falls back to English. The real packs come from the Marketplace / Open VSX,
// which these machines cannot reach, so tests install a minimal one from test/fixtures.
//
// Installing is not quite enough: VS Code lists the installed language packs in
// <user-data-dir>/languagepacks.json, and writes that file only when a pack is installed through a
// running server (the NativeLanguagePackService's post-install hook), not when code-server's
// `--install-extension` CLI installs it before the server starts. registerLanguagePacks writes the
// file from the installed extensions exactly as that hook does
// (vs/platform/languagePacks/node/languagePacks.ts in code-server 4.100.3).

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Packs the extension in `folder` into `outFile` with the project's own vsce. */
export async function packExtensionFolder(folder: string, outFile: string): Promise<string> {
  const vsce = path.join(path.dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
  await execFileAsync(
    process.execPath,
    [vsce, 'package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '--out', outFile],
    { cwd: folder, timeout: 60_000 },
  );
  if (!fs.existsSync(outFile)) throw new Error(`vsce did not write ${outFile}`);
  return outFile;
}

interface InstalledExtension {
  identifier: { id: string; uuid?: string };
  version: string;
  relativeLocation?: string;
  location?: { path?: string; fsPath?: string };
}

interface LocalizationContribution {
  languageId?: unknown;
  languageName?: unknown;
  localizedLanguageName?: unknown;
  translations?: { id?: unknown; path?: unknown }[];
}

interface LanguagePack {
  hash: string;
  label: string | undefined;
  extensions: { extensionIdentifier: { id: string; uuid?: string }; version: string }[];
  translations: Record<string, string>;
}

/**
 * Writes <userDataDir>/languagepacks.json for the language packs installed in `extensionsDir`
 * (read from its extensions.json). Returns the languages found; writes nothing when there are none.
 */
export function registerLanguagePacks(extensionsDir: string, userDataDir: string): string[] {
  const installedFile = path.join(extensionsDir, 'extensions.json');
  if (!fs.existsSync(installedFile)) return [];
  const installed = JSON.parse(fs.readFileSync(installedFile, 'utf8')) as InstalledExtension[];
  const packs: Record<string, LanguagePack> = {};
  for (const extension of installed) {
    const location = extension.relativeLocation
      ? path.join(extensionsDir, extension.relativeLocation)
      : (extension.location?.fsPath ?? extension.location?.path);
    if (!location) continue;
    const manifest = JSON.parse(fs.readFileSync(path.join(location, 'package.json'), 'utf8')) as {
      version: string;
      contributes?: { localizations?: LocalizationContribution[] };
    };
    for (const localization of manifest.contributes?.localizations ?? []) {
      const translations = localization.translations ?? [];
      if (typeof localization.languageId !== 'string' || translations.length === 0) continue;
      const label =
        typeof localization.localizedLanguageName === 'string'
          ? localization.localizedLanguageName
          : typeof localization.languageName === 'string'
            ? localization.languageName
            : undefined;
      const pack = (packs[localization.languageId] ??= { hash: '', label, extensions: [], translations: {} });
      pack.extensions.push({ extensionIdentifier: extension.identifier, version: manifest.version });
      for (const translation of translations) {
        if (typeof translation.id === 'string' && typeof translation.path === 'string') {
          pack.translations[translation.id] = path.join(location, translation.path);
        }
      }
    }
  }
  for (const pack of Object.values(packs)) {
    const md5 = createHash('md5');
    for (const { extensionIdentifier, version } of pack.extensions) md5.update(extensionIdentifier.uuid ?? extensionIdentifier.id).update(version);
    pack.hash = md5.digest('hex');
  }
  const languages = Object.keys(packs);
  if (languages.length > 0) fs.writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify(packs));
  return languages;
}
