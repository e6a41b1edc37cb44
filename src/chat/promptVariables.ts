// vscode-free: the ${...} variables of a prompt body and the workspace files its Markdown links name.
// The host gathers the values (only those a body uses: reading the clipboard is not free of
// surprise) and this module puts them in.
import type { ProblemSeverity } from './contextAttachments';

/** The editor-derived variables, by their name in the body. */
export const EDITOR_VARIABLES = [
  'selection',
  'selectedText',
  'file',
  'fileBasename',
  'language',
  'workspaceFolder',
  'workspaceFolderBasename',
  'clipboard',
  'diagnostics',
] as const;
export type EditorVariable = (typeof EDITOR_VARIABLES)[number];

export type PromptEnvironment = Partial<Record<EditorVariable, string>>;

/** One `${input:name:placeholder}`: asked for with an input box before the prompt is sent. */
export interface InputVariable {
  name: string;
  placeholder: string;
}

const VARIABLE = /\$\{([A-Za-z]+)(?::([^}:]*)(?::([^}]*))?)?\}/g;

/** The editor variables a body uses, so the host reads nothing it does not need. */
export function usedVariables(body: string): Set<EditorVariable> {
  const used = new Set<EditorVariable>();
  for (const match of body.matchAll(VARIABLE)) {
    const name = match[1] as EditorVariable;
    if (match[2] === undefined && (EDITOR_VARIABLES as readonly string[]).includes(name)) used.add(name);
  }
  return used;
}

/** The inputs a body asks for, in the order they first appear; a name used twice is asked once. */
export function inputVariables(body: string): InputVariable[] {
  const inputs: InputVariable[] = [];
  for (const match of body.matchAll(VARIABLE)) {
    const name = match[2]?.trim();
    if (match[1] !== 'input' || !name || inputs.some((input) => input.name === name)) continue;
    inputs.push({ name, placeholder: (match[3] ?? '').trim() });
  }
  return inputs;
}

/**
 * The body with every known variable replaced: editor variables from `environment` (empty when the
 * host has no value, e.g. no selection), inputs from `inputs`. Anything else stays as written, so a
 * body that documents `${HOME}` for a shell keeps it. One pass: a value that itself contains
 * `${...}` (a selection of template code) is never expanded again.
 */
export function expandVariables(body: string, environment: PromptEnvironment, inputs: Readonly<Record<string, string>> = {}): string {
  return body.replace(VARIABLE, (whole, name: string, argument: string | undefined) => {
    if (name === 'input' && argument !== undefined) return inputs[argument.trim()] ?? '';
    if (argument === undefined && (EDITOR_VARIABLES as readonly string[]).includes(name)) {
      const key = name as EditorVariable;
      return environment[key] ?? environment[key === 'selectedText' ? 'selection' : key === 'selection' ? 'selectedText' : key] ?? '';
    }
    return whole;
  });
}

/** A Markdown link of the body to something local: a file to attach, or an image (`![...](...)`). */
export interface PromptLink {
  /** The target as written, without a title or a #fragment, %-decoded. */
  target: string;
  image: boolean;
}

const LINK = /(!?)\[[^\]\n]*\]\(\s*(?:<([^>\n]+)>|([^)\s]+))(?:\s+["'][^"'\n]*["'])?\s*\)/g;

/**
 * Links to files next to the prompt or in the workspace, in order, each once. Web links, mail
 * links, other schemes, anchors and absolute paths are left alone: only relative paths are
 * attached, and the host still checks each stays in the workspace and is not in the ignore list.
 */
export function localLinks(body: string): PromptLink[] {
  const links: PromptLink[] = [];
  for (const match of body.matchAll(LINK)) {
    const raw = (match[2] ?? match[3] ?? '').replace(/#.*$/, '');
    if (raw === '' || /^[a-z][a-z0-9+.-]*:/i.test(raw) || raw.startsWith('/') || raw.startsWith('\\')) continue;
    let target: string;
    try {
      target = decodeURIComponent(raw);
    } catch {
      target = raw;
    }
    if (!links.some((link) => link.target === target)) links.push({ target, image: match[1] === '!' });
  }
  return links;
}

/** Problems of the active file as the ${diagnostics} variable shows them, one per line. */
export interface DiagnosticLine {
  line: number;
  severity: ProblemSeverity;
  message: string;
  source?: string;
}

export function formatDiagnostics(fileName: string, diagnostics: readonly DiagnosticLine[]): string {
  if (diagnostics.length === 0) return `No problems in ${fileName}.`;
  return diagnostics
    .map((diagnostic) => `${fileName}:${diagnostic.line}: ${diagnostic.severity}: ${diagnostic.message}${diagnostic.source ? ` (${diagnostic.source})` : ''}`)
    .join('\n');
}
