// vscode-free: a prompt file (VS Code's `.prompt.md` format) read into what Fox Chat needs to run it.
// YAML front matter between `---` lines, then the Markdown body. Unknown keys are ignored, so files
// written for Copilot (`argument-hint`, `agent`, ...) load as they are.
import { JSON_SCHEMA, load, YAMLException } from 'js-yaml';
import { isRecord } from '../isRecord';

/** Where the answer goes. */
export const PROMPT_OUTPUTS = ['chat', 'replace-selection', 'insert', 'new-document'] as const;
export type PromptOutput = (typeof PROMPT_OUTPUTS)[number];

export const PROMPT_FILE_SUFFIX = '.prompt.md';

export interface PromptFile {
  name: string;
  description: string;
  /** A model id for this prompt; it never changes the gateway or the key. */
  model?: string;
  /** VS Code's `mode` (or its newer name `agent`): kept for display, Fox Chat asks the same way. */
  mode?: string;
  tools?: string[];
  output: PromptOutput;
  body: string;
}

/** Why a file could not be read; `line` is 1-based in the whole file. */
export interface PromptProblem {
  line: number;
  message: string;
}

export type ParsedPrompt = { prompt: PromptFile } | { problem: PromptProblem };

/** "fix-bug.prompt.md" -> "fix-bug". */
export function promptNameFromFileName(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '');
  return base.toLowerCase().endsWith(PROMPT_FILE_SUFFIX) ? base.slice(0, -PROMPT_FILE_SUFFIX.length) : base.replace(/\.md$/i, '');
}

/** The 1-based line of `key:` in the front matter (which starts at file line 2), or of the opening `---`. */
function lineOfKey(frontMatter: string, key: string): number {
  const index = frontMatter.split('\n').findIndex((line) => line.replace(/\s+$/, '').startsWith(`${key}:`));
  return index < 0 ? 1 : index + 2;
}

function splitFrontMatter(text: string): { frontMatter?: string; body: string } | { problem: PromptProblem } {
  const normalised = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = normalised.split('\n');
  if (lines[0]?.trimEnd() !== '---') return { body: normalised };
  const close = lines.findIndex((line, index) => index > 0 && line.trimEnd() === '---');
  if (close < 0) return { problem: { line: 1, message: 'the front matter starting here is not closed by a "---" line' } };
  return { frontMatter: lines.slice(1, close).join('\n'), body: lines.slice(close + 1).join('\n').replace(/^\n+/, '') };
}

/**
 * Reads a prompt file. `fileName` gives the prompt its name (a `name:` key may override it). Problems
 * are plain English for the log and the message that names the file.
 */
export function parsePromptFile(fileName: string, text: string): ParsedPrompt {
  const split = splitFrontMatter(text);
  if ('problem' in split) return split;
  const prompt: PromptFile = { name: promptNameFromFileName(fileName), description: '', output: 'chat', body: split.body };
  if (split.frontMatter === undefined || split.frontMatter.trim() === '') return { prompt };

  let data: unknown;
  try {
    data = load(split.frontMatter, { schema: JSON_SCHEMA });
  } catch (error) {
    if (error instanceof YAMLException) {
      return { problem: { line: error.mark.line + 2, message: error.reason } };
    }
    throw error;
  }
  if (data === null || data === undefined) return { prompt };
  if (!isRecord(data)) {
    return { problem: { line: 2, message: 'the front matter must be a list of "key: value" lines' } };
  }

  const problemAt = (key: string, message: string): { problem: PromptProblem } => ({ problem: { line: lineOfKey(split.frontMatter ?? '', key), message } });
  const text_ = (key: string): string | undefined | { problem: PromptProblem } => {
    const value = data[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value.trim();
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return problemAt(key, `"${key}" must be a text`);
  };

  for (const key of ['name', 'description', 'model', 'mode', 'agent'] as const) {
    const value = text_(key);
    if (typeof value === 'object') return value;
    if (value === undefined || value === '') continue;
    if (key === 'name') prompt.name = value;
    else if (key === 'description') prompt.description = value;
    else if (key === 'model') prompt.model = value;
    else prompt.mode ??= value;
  }

  const tools = data.tools;
  if (tools !== undefined && tools !== null) {
    if (!Array.isArray(tools) || !tools.every((tool): tool is string => typeof tool === 'string')) {
      return problemAt('tools', '"tools" must be a list of tool names');
    }
    prompt.tools = tools;
  }

  const output = text_('output');
  if (typeof output === 'object') return output;
  if (output !== undefined && output !== '') {
    if (!(PROMPT_OUTPUTS as readonly string[]).includes(output)) {
      return problemAt('output', `"output" must be one of ${PROMPT_OUTPUTS.join(', ')} (it is "${output}")`);
    }
    prompt.output = output as PromptOutput;
  }
  return { prompt };
}

/** The text of a new prompt file: front matter with the keys Fox Chat reads, then `body`. */
export function scaffoldPromptFile(description: string, body: string, output: PromptOutput = 'chat'): string {
  const quoted = JSON.stringify(description);
  return `---\ndescription: ${quoted}\noutput: ${output}\n---\n${body.endsWith('\n') ? body : `${body}\n`}`;
}
