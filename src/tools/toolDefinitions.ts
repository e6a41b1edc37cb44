// vscode-free: the tools Fox Chat offers the model, as the JSON schemas sent in `tools`. The same
// schemas check the arguments the model sends back (toolArguments.ts), so they cannot drift apart.
import type { FunctionTool } from '../api/types';

export const TOOL_NAMES = ['read_file', 'list_files', 'search_text', 'get_diagnostics', 'get_selection', 'propose_edit'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

export function isToolName(value: unknown): value is ToolName {
  return (TOOL_NAMES as readonly unknown[]).includes(value);
}

/** Tools that change something: they run only after the user allows them. */
export const WRITING_TOOLS: ReadonlySet<ToolName> = new Set<ToolName>(['propose_edit']);

/** The most a tool result may hold; longer results are cut with a note saying so. */
export const MAX_RESULT_CHARS = 20_000;
export const MAX_LIST_RESULTS = 200;
export const MAX_SEARCH_RESULTS = 100;
/** Longest error text a tool sends back: a hostile argument echoed in it is never sent back whole. */
export const MAX_ERROR_CHARS = 2_000;

/**
 * Longest arguments the schemas accept. Nothing the tools do needs more, and a model that sends a
 * megabyte-long path or pattern is refused before any work starts.
 */
export const ARGUMENT_LIMITS = {
  path: 1_024,
  glob: 512,
  query: 1_000,
  new_text: 200_000,
  explanation: 2_000,
} as const;

const path = {
  type: 'string',
  minLength: 1,
  maxLength: ARGUMENT_LIMITS.path,
  description: 'Path relative to the workspace folder, with forward slashes, e.g. "src/index.ts". In a multi-root workspace, start with the folder name.',
};
const line = { type: 'integer', minimum: 1 };

export const TOOL_SCHEMAS: Readonly<Record<ToolName, { description: string; parameters: Record<string, unknown> }>> = {
  read_file: {
    description: 'Read a text file of the workspace, optionally only a range of lines (1-based, inclusive). Returns the lines prefixed with their numbers.',
    parameters: {
      type: 'object',
      properties: { path, start_line: line, end_line: line },
      required: ['path'],
      additionalProperties: false,
    },
  },
  list_files: {
    description: 'List workspace files whose path matches a glob pattern such as "**/*.ts" or "src/**". Files the user excludes from the explorer and from search (e.g. node_modules) are left out.',
    parameters: {
      type: 'object',
      properties: {
        glob: { type: 'string', minLength: 1, maxLength: ARGUMENT_LIMITS.glob },
        max_results: { type: 'integer', minimum: 1, maximum: MAX_LIST_RESULTS },
      },
      required: ['glob'],
      additionalProperties: false,
    },
  },
  search_text: {
    description:
      'Search the text of workspace files for a string (or a regular expression in RE2 syntax when is_regex is true: no backreferences or lookaround). Returns matching lines as path:line: text.',
    parameters: {
      type: 'object',
      properties: {
        query: { type: 'string', minLength: 1, maxLength: ARGUMENT_LIMITS.query },
        is_regex: { type: 'boolean' },
        case_sensitive: { type: 'boolean' },
        glob: { type: 'string', minLength: 1, maxLength: ARGUMENT_LIMITS.glob, description: 'Only search files matching this glob.' },
        max_results: { type: 'integer', minimum: 1, maximum: MAX_SEARCH_RESULTS },
      },
      required: ['query'],
      additionalProperties: false,
    },
  },
  get_diagnostics: {
    description: 'Get the errors and warnings VS Code reports (compiler, linter) for one workspace file, or for all open workspace files when path is left out.',
    parameters: {
      type: 'object',
      properties: { path },
      additionalProperties: false,
    },
  },
  get_selection: {
    description: 'Get the text the user has selected in the active editor, with its file, language and line range.',
    parameters: { type: 'object', properties: {}, additionalProperties: false },
  },
  propose_edit: {
    description:
      'Propose replacing lines start_line..end_line (1-based, inclusive) of a workspace file with new_text. The user reviews the change in the editor and accepts or rejects it; the result says which.',
    parameters: {
      type: 'object',
      properties: {
        path,
        start_line: line,
        end_line: line,
        new_text: { type: 'string', maxLength: ARGUMENT_LIMITS.new_text },
        explanation: { type: 'string', maxLength: ARGUMENT_LIMITS.explanation, description: 'One sentence for the user on why.' },
      },
      required: ['path', 'start_line', 'end_line', 'new_text'],
      additionalProperties: false,
    },
  },
};

/** The `tools` field for the enabled tools, in a stable order. */
export function toolDefinitions(enabled: readonly ToolName[]): FunctionTool[] {
  return TOOL_NAMES.filter((name) => enabled.includes(name)).map((name) => ({
    type: 'function',
    function: { name, description: TOOL_SCHEMAS[name].description, parameters: TOOL_SCHEMAS[name].parameters },
  }));
}

/** An error text cut to MAX_ERROR_CHARS, so whatever it echoes stays short. */
export function capError(text: string, max = MAX_ERROR_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}… [error cut short]`;
}

/** `text` cut to `max` characters, with a note telling the model how much was left out. */
export function capResult(text: string, max = MAX_RESULT_CHARS): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}\n[truncated: ${text.length - max} more characters not shown]`;
}
