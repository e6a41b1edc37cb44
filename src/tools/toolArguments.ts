// vscode-free: turns the arguments text of a tool call into checked arguments, or into an error the
// model can read and correct. Nothing the model sends may throw past this point.
import { Validator } from '@cfworker/json-schema';
import { isRecord } from '../isRecord';
import { echoInput } from './pathGuard';
import { capError, isToolName, TOOL_SCHEMAS, type ToolName } from './toolDefinitions';

export interface ReadFileArgs {
  path: string;
  start_line?: number;
  end_line?: number;
}
export interface ListFilesArgs {
  glob: string;
  max_results?: number;
}
export interface SearchTextArgs {
  query: string;
  is_regex?: boolean;
  case_sensitive?: boolean;
  glob?: string;
  max_results?: number;
}
export interface GetDiagnosticsArgs {
  path?: string;
}
export type GetSelectionArgs = Record<string, never>;
export interface ProposeEditArgs {
  path: string;
  start_line: number;
  end_line: number;
  new_text: string;
  explanation?: string;
}

export interface ToolArguments {
  read_file: ReadFileArgs;
  list_files: ListFilesArgs;
  search_text: SearchTextArgs;
  get_diagnostics: GetDiagnosticsArgs;
  get_selection: GetSelectionArgs;
  propose_edit: ProposeEditArgs;
}

/** A call whose name and arguments check out. */
export type CheckedCall = { [N in ToolName]: { name: N; args: ToolArguments[N] } }[ToolName];

export type ParsedCall = { ok: true; call: CheckedCall } | { ok: false; error: string };

const validators = new Map<ToolName, Validator>();

function validatorFor(name: ToolName): Validator {
  let validator = validators.get(name);
  if (!validator) {
    validator = new Validator(TOOL_SCHEMAS[name].parameters, '2020-12', false);
    validators.set(name, validator);
  }
  return validator;
}

/**
 * Checks a call against the tools that are enabled. An unknown or disabled tool, arguments that are
 * not JSON, or arguments that break the tool's schema come back as an error text for the model.
 */
export function parseToolCall(name: string, argumentsText: string, enabled: readonly ToolName[]): ParsedCall {
  const parsed = checkToolCall(name, argumentsText, enabled);
  return parsed.ok ? parsed : { ok: false, error: capError(parsed.error) };
}

function checkToolCall(name: string, argumentsText: string, enabled: readonly ToolName[]): ParsedCall {
  if (!isToolName(name) || !enabled.includes(name)) {
    const offered = enabled.length > 0 ? enabled.join(', ') : 'none';
    return { ok: false, error: `Unknown tool "${echoInput(name, 100)}". The tools you can call are: ${offered}.` };
  }
  let args: unknown;
  try {
    // A call without parameters may come with no arguments at all.
    args = argumentsText.trim() === '' ? {} : JSON.parse(argumentsText);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `The arguments of ${name} are not valid JSON (${echoInput(reason)}). Send a JSON object.` };
  }
  if (!isRecord(args)) {
    return { ok: false, error: `The arguments of ${name} must be a JSON object.` };
  }
  const result = validatorFor(name).validate(args);
  if (!result.valid) {
    const problems = result.errors
      // The schema library reports each failure at every level it bubbles through; the deepest say the most.
      .filter((problem) => problem.keyword !== 'properties' && problem.keyword !== 'allOf')
      .map((problem) => `${echoInput(problem.instanceLocation.replace(/^#\/?/, ''), 100) || '(arguments)'}: ${echoInput(problem.error)}`);
    return { ok: false, error: `Invalid arguments for ${name}: ${[...new Set(problems)].join('; ')}.` };
  }
  if ((name === 'read_file' || name === 'propose_edit') && args.start_line !== undefined && args.end_line !== undefined && Number(args.end_line) < Number(args.start_line)) {
    return { ok: false, error: `Invalid arguments for ${name}: end_line must not be before start_line.` };
  }
  return { ok: true, call: { name, args } as CheckedCall };
}

/** One line for the panel on what a call does, from its arguments as far as they can be read. */
export function summarizeCall(name: string, argumentsText: string): string {
  let args: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(argumentsText || '{}');
    if (isRecord(parsed)) args = parsed;
  } catch {
    return '';
  }
  const text = (key: string): string => (typeof args[key] === 'string' ? (args[key]) : '');
  const lines = (): string => {
    const start = args.start_line;
    const end = args.end_line;
    if (typeof start !== 'number') return '';
    return typeof end === 'number' && end !== start ? ` ${start}-${end}` : ` ${start}`;
  };
  switch (name) {
    case 'read_file':
    case 'propose_edit':
      return `${text('path')}${lines() ? `:${lines().trim()}` : ''}`;
    case 'list_files':
      return text('glob');
    case 'search_text':
      return text('glob') ? `"${text('query')}" in ${text('glob')}` : `"${text('query')}"`;
    case 'get_diagnostics':
      return text('path');
    default:
      return '';
  }
}
