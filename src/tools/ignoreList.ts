// vscode-free: the files no tool may read and no attachment may carry, in gitignore syntax. Three
// sources: the built-in list of secret files and the user's foxChat.ignoreFiles setting, read as one
// list in that order (the setting's "!" lines may re-include a default, e.g. "!.env.example"); and the
// workspace folder's .foxchatignore, which can only hide more. A repository's file must not be able
// to re-include the user's own .env ("!.env" in a cloned .foxchatignore), so its "!" lines apply only
// to its own patterns.
import ignore, { type Ignore } from 'ignore';

export type IgnoreSource = 'builtin' | 'foxchatignore' | 'setting';

export interface IgnoreMatch {
  /** The rule as written, e.g. ".env.*". */
  pattern: string;
  source: IgnoreSource;
}

/** The name of the per-folder ignore file, at the root of each workspace folder. */
export const IGNORE_FILE_NAME = '.foxchatignore';

/** Secrets that never go to a model unless the user says otherwise. */
export const DEFAULT_IGNORED = [
  '.env',
  '.env.*',
  '*.pem',
  '*.key',
  'id_rsa*',
  'id_dsa*',
  'id_ecdsa*',
  'id_ed25519*',
  '.npmrc',
  '.pypirc',
  '.netrc',
  '.git-credentials',
  '.aws/',
  '.ssh/',
  '.gnupg/',
  // A slash inside a pattern anchors it to the root in gitignore syntax; these may sit anywhere.
  '**/.docker/config.json',
  '**/.kube/config',
  '*.keystore',
  '*.jks',
  '*.p12',
  '*.pfx',
  'credentials',
  'credentials.json',
  '*.credentials',
  '.htpasswd',
  'secrets.yml',
  'secrets.yaml',
  'secrets.json',
] as const;

const SOURCES: readonly IgnoreSource[] = ['builtin', 'foxchatignore', 'setting'];

function rulesOf(patterns: Record<IgnoreSource, readonly string[]>, sources: readonly IgnoreSource[]): Ignore {
  // Case-insensitive: on macOS and Windows ".ENV" is the same file as ".env".
  const rules = ignore({ ignorecase: true });
  for (const source of sources) {
    rules.add(patterns[source].filter((pattern) => pattern.trim() !== '').map((pattern) => ({ pattern, mark: source })));
  }
  return rules;
}

export interface IgnoreListInput {
  /** The text of the folder's .foxchatignore, if it has one. */
  ignoreFile?: string;
  /** foxChat.ignoreFiles. */
  settingPatterns?: readonly string[];
}

/** The rules of one workspace folder (or of files outside any folder, without a .foxchatignore). */
export class IgnoreList {
  /** The built-in list, then the user's setting (the last matching rule decides). */
  private readonly userRules: Ignore;
  /** The workspace's .foxchatignore, consulted only for what the user's rules let through. */
  private readonly workspaceRules: Ignore;

  constructor(input: IgnoreListInput = {}) {
    const patterns: Record<IgnoreSource, readonly string[]> = {
      builtin: DEFAULT_IGNORED,
      foxchatignore: (input.ignoreFile ?? '').split(/\r?\n/),
      setting: (input.settingPatterns ?? []).filter((pattern) => typeof pattern === 'string'),
    };
    this.userRules = rulesOf(patterns, ['builtin', 'setting']);
    this.workspaceRules = rulesOf(patterns, ['foxchatignore']);
  }

  /**
   * The rule that hides `relativePath` (relative to the folder, forward or back slashes), or
   * undefined when it may be used. A path inside an ignored folder is hidden by that folder's rule.
   */
  match(relativePath: string): IgnoreMatch | undefined {
    const normalised = relativePath.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/^\/+/, '');
    // A trailing slash stays: it says the path is a folder, which folder rules ("private/") need.
    if (normalised === '' || normalised === '.' || normalised === './') return undefined;
    if (!ignore.isPathValid(normalised)) return undefined;
    for (const rules of [this.userRules, this.workspaceRules]) {
      const result = rules.test(normalised);
      if (result.ignored && result.rule) {
        const source = SOURCES.find((candidate) => candidate === result.rule?.mark) ?? 'builtin';
        return { pattern: result.rule.pattern, source };
      }
    }
    return undefined;
  }
}

/** Where a rule comes from, for a refusal the user and the model can act on. */
export function describeSource(source: IgnoreSource): string {
  switch (source) {
    case 'builtin':
      return "Fox Chat's built-in list of secret files";
    case 'foxchatignore':
      return `the workspace's ${IGNORE_FILE_NAME}`;
    case 'setting':
      return 'the foxChat.ignoreFiles setting';
  }
}

/** The refusal a tool returns for an ignored path. */
export function ignoredRefusal(display: string, match: IgnoreMatch): string {
  return `Refused: ${display} matches "${match.pattern}" in ${describeSource(match.source)}, so it is not shared with the model. Do not try to read it another way; ask the user if you need something from it.`;
}
