import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import type { ToolCall } from '../api/types';
import type { ToolResult, ToolRunner } from '../chat/chatSession';
import type { InlineEditEnd } from '../edits/inlineEditSession';
import { guardWorkspacePath, isInside, type GuardedPath, type WorkspaceRoot } from '../tools/pathGuard';
import {
  parseToolCall,
  summarizeCall,
  type GetDiagnosticsArgs,
  type ListFilesArgs,
  type ProposeEditArgs,
  type ReadFileArgs,
  type SearchTextArgs,
} from '../tools/toolArguments';
import { capResult, MAX_LIST_RESULTS, MAX_SEARCH_RESULTS, WRITING_TOOLS, isToolName, type ToolName } from '../tools/toolDefinitions';

/** Files larger than this are not read or searched: they are data, not code to talk about. */
const MAX_FILE_BYTES = 1024 * 1024;
/** How many files search_text looks at, at most. */
const MAX_SEARCHED_FILES = 2_000;
const MAX_LINE_CHARS = 240;
const DEFAULT_LIST_RESULTS = 100;
const DEFAULT_SEARCH_RESULTS = 50;

/** Puts a proposed change into the editor for review and says how the review ended. */
export type ProposeCode = (editor: vscode.TextEditor, code: string) => Promise<InlineEditEnd | undefined>;

const error = (text: string): ToolResult => ({ text, state: 'error' });

async function realPath(absolute: string): Promise<string | undefined> {
  try {
    return await fs.realpath(absolute);
  } catch {
    return undefined;
  }
}

function workspaceRoots(): WorkspaceRoot[] {
  return (vscode.workspace.workspaceFolders ?? [])
    .filter((folder) => folder.uri.scheme === 'file')
    .map((folder) => ({ name: folder.name, fsPath: folder.uri.fsPath }));
}

/**
 * What the user keeps out of the explorer and out of search (files.exclude, search.exclude: e.g.
 * node_modules), as one glob. Passing an exclude to findFiles replaces its default files.exclude,
 * so both lists go in. Patterns with a `when` condition are left out (they cannot be expressed here).
 */
function excludeGlob(): string | undefined {
  const patterns = ['files.exclude', 'search.exclude'].flatMap((section) =>
    Object.entries(vscode.workspace.getConfiguration().get<Record<string, unknown>>(section) ?? {})
      .filter(([, enabled]) => enabled === true)
      .map(([glob]) => glob),
  );
  return patterns.length > 0 ? `{${[...new Set(patterns)].join(',')}}` : undefined;
}

function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8_000).includes(0);
}

/**
 * The workspace tools the model may call. Every path goes through the workspace guard; results are
 * capped; bad arguments and failures come back as error results, never as exceptions.
 */
export class WorkspaceTools implements ToolRunner {
  constructor(
    private readonly enabled: readonly ToolName[],
    private readonly proposeCode: ProposeCode,
  ) {}

  describe(call: ToolCall): { summary: string; needsApproval: boolean } {
    const { name, arguments: args } = call.function;
    return { summary: summarizeCall(name, args), needsApproval: isToolName(name) && WRITING_TOOLS.has(name) };
  }

  async run(call: ToolCall, signal: AbortSignal): Promise<ToolResult> {
    const parsed = parseToolCall(call.function.name, call.function.arguments, this.enabled);
    if (!parsed.ok) return error(parsed.error);
    const { call: checked } = parsed;
    switch (checked.name) {
      case 'read_file':
        return this.readFile(checked.args);
      case 'list_files':
        return this.listFiles(checked.args, signal);
      case 'search_text':
        return this.searchText(checked.args, signal);
      case 'get_diagnostics':
        return this.diagnostics(checked.args);
      case 'get_selection':
        return this.selection();
      case 'propose_edit':
        return this.proposeEdit(checked.args);
    }
  }

  private guard(path: string): Promise<GuardedPath> {
    return guardWorkspacePath(path, workspaceRoots(), realPath);
  }

  /** The text as the user sees it: an open document's unsaved changes count. */
  private async readText(guarded: Extract<GuardedPath, { ok: true }>): Promise<{ text: string } | { error: string }> {
    const open = vscode.workspace.textDocuments.find((document) => document.uri.scheme === 'file' && document.uri.fsPath === guarded.absolute);
    if (open) return { text: open.getText() };
    let stat;
    try {
      stat = await fs.stat(guarded.absolute);
    } catch {
      return { error: `No such file in the workspace: ${this.display(guarded)}` };
    }
    if (!stat.isFile()) return { error: `${this.display(guarded)} is a folder, not a file; use list_files to see what it holds.` };
    if (stat.size > MAX_FILE_BYTES) return { error: `${this.display(guarded)} is too large to read (${stat.size} bytes; the limit is ${MAX_FILE_BYTES}).` };
    const bytes = await fs.readFile(guarded.absolute);
    if (looksBinary(bytes)) return { error: `${this.display(guarded)} is a binary file.` };
    return { text: new TextDecoder().decode(bytes) };
  }

  private async readFile(args: ReadFileArgs): Promise<ToolResult> {
    const guarded = await this.guard(args.path);
    if (!guarded.ok) return error(guarded.error);
    const read = await this.readText(guarded);
    if ('error' in read) return error(read.error);
    const lines = read.text.split(/\r?\n/);
    const start = args.start_line ?? 1;
    const end = Math.min(args.end_line ?? lines.length, lines.length);
    if (start > lines.length) return error(`${this.display(guarded)} has only ${lines.length} lines.`);
    const numbered = lines.slice(start - 1, end).map((line, offset) => `${start + offset}: ${line}`);
    return { text: capResult(`${this.display(guarded)} (lines ${start}-${end} of ${lines.length})\n${numbered.join('\n')}`) };
  }

  private async findFiles(glob: string, max: number, signal: AbortSignal): Promise<Array<{ uri: vscode.Uri; display: string }> | { error: string }> {
    const slashed = glob.replace(/\\/g, '/');
    if (slashed.startsWith('/') || /^[a-zA-Z]:/.test(slashed) || slashed.split('/').includes('..')) {
      return { error: `Refused glob "${glob}": use a pattern relative to the workspace, without "..".` };
    }
    const roots = workspaceRoots();
    if (roots.length === 0) return { error: 'No folder is open in VS Code, so there are no workspace files.' };
    const cancel = new vscode.CancellationTokenSource();
    const onAbort = (): void => cancel.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const found: Array<{ uri: vscode.Uri; display: string }> = [];
      // The model sees the workspace as the user's explorer and search do, without what they hid.
      const exclude = excludeGlob();
      for (const root of roots) {
        const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(vscode.Uri.file(root.fsPath), slashed), exclude, max, cancel.token);
        for (const uri of uris) {
          const relative = vscode.workspace.asRelativePath(uri, roots.length > 1);
          found.push({ uri, display: relative });
        }
      }
      found.sort((a, b) => a.display.localeCompare(b.display));
      return found.slice(0, max);
    } finally {
      signal.removeEventListener('abort', onAbort);
      cancel.dispose();
    }
  }

  private async listFiles(args: ListFilesArgs, signal: AbortSignal): Promise<ToolResult> {
    const max = Math.min(args.max_results ?? DEFAULT_LIST_RESULTS, MAX_LIST_RESULTS);
    const files = await this.findFiles(args.glob, max + 1, signal);
    if ('error' in files) return error(files.error);
    if (files.length === 0) return { text: `No workspace files match ${args.glob}.` };
    const shown = files.slice(0, max).map((file) => file.display);
    const more = files.length > max ? `\n[more files match; narrow the pattern]` : '';
    return { text: capResult(`${shown.join('\n')}${more}`) };
  }

  private async searchText(args: SearchTextArgs, signal: AbortSignal): Promise<ToolResult> {
    let pattern: RegExp;
    try {
      const source = args.is_regex ? args.query : args.query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      pattern = new RegExp(source, args.case_sensitive ? '' : 'i');
    } catch (problem) {
      return error(`Invalid regular expression: ${problem instanceof Error ? problem.message : String(problem)}`);
    }
    const max = Math.min(args.max_results ?? DEFAULT_SEARCH_RESULTS, MAX_SEARCH_RESULTS);
    const files = await this.findFiles(args.glob ?? '**/*', MAX_SEARCHED_FILES, signal);
    if ('error' in files) return error(files.error);
    const matches: string[] = [];
    for (const file of files) {
      if (signal.aborted || matches.length > max) break;
      const guarded = await this.guard(file.display);
      if (!guarded.ok) continue;
      const read = await this.readText(guarded);
      if ('error' in read) continue;
      const lines = read.text.split(/\r?\n/);
      for (let index = 0; index < lines.length && matches.length <= max; index++) {
        if (pattern.test(lines[index])) matches.push(`${file.display}:${index + 1}: ${lines[index].trim().slice(0, MAX_LINE_CHARS)}`);
      }
    }
    if (matches.length === 0) return { text: `No matches for ${args.is_regex ? `/${args.query}/` : `"${args.query}"`}.` };
    const more = matches.length > max ? '\n[more matches; narrow the search]' : '';
    return { text: capResult(`${matches.slice(0, max).join('\n')}${more}`) };
  }

  private async diagnostics(args: GetDiagnosticsArgs): Promise<ToolResult> {
    const severity = ['error', 'warning', 'info', 'hint'];
    const format = (uri: vscode.Uri, diagnostic: vscode.Diagnostic): string => {
      const { line, character } = diagnostic.range.start;
      const origin = [diagnostic.source, typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code].filter((part) => part !== undefined && part !== '').join(' ');
      return `${vscode.workspace.asRelativePath(uri)}:${line + 1}:${character + 1} ${severity[diagnostic.severity]}: ${diagnostic.message}${origin ? ` (${origin})` : ''}`;
    };
    if (args.path !== undefined) {
      const guarded = await this.guard(args.path);
      if (!guarded.ok) return error(guarded.error);
      const uri = vscode.Uri.file(guarded.absolute);
      const found = vscode.languages.getDiagnostics(uri).map((diagnostic) => format(uri, diagnostic));
      return { text: found.length > 0 ? capResult(found.join('\n')) : `No problems reported for ${this.display(guarded)} (diagnostics exist for files a language extension has checked, usually open ones).` };
    }
    const roots = workspaceRoots();
    const found = vscode.languages
      .getDiagnostics()
      .filter(([uri]) => uri.scheme === 'file' && roots.some((root) => isInside(root.fsPath, uri.fsPath)))
      .flatMap(([uri, list]) => list.map((diagnostic) => format(uri, diagnostic)));
    return { text: found.length > 0 ? capResult(found.join('\n')) : 'No problems reported in the workspace.' };
  }

  private selection(): ToolResult {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.selection.isEmpty) return { text: 'No text is selected in the active editor.' };
    const { document, selection } = editor;
    const text = document.getText(selection);
    return {
      text: capResult(
        `File: ${vscode.workspace.asRelativePath(document.uri)} (language: ${document.languageId}, lines ${selection.start.line + 1}-${selection.end.line + 1})\n${text}`,
      ),
    };
  }

  private async proposeEdit(args: ProposeEditArgs): Promise<ToolResult> {
    const guarded = await this.guard(args.path);
    if (!guarded.ok) return error(guarded.error);
    let document: vscode.TextDocument;
    try {
      document = await vscode.workspace.openTextDocument(vscode.Uri.file(guarded.absolute));
    } catch {
      return error(`No such text file in the workspace: ${this.display(guarded)}`);
    }
    if (args.end_line > document.lineCount) {
      return error(`${this.display(guarded)} has only ${document.lineCount} lines; read it again before proposing an edit.`);
    }
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    const end = document.lineAt(args.end_line - 1).range.end;
    editor.selection = new vscode.Selection(args.start_line - 1, 0, end.line, end.character);
    editor.revealRange(editor.selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    const outcome = await this.proposeCode(editor, args.new_text.replace(/\r?\n$/, ''));
    const where = `lines ${args.start_line}-${args.end_line} of ${this.display(guarded)}`;
    const reason = outcome?.reason;
    switch (reason) {
      case 'accepted':
        return { text: `The user accepted the edit of ${where}; the file now holds the new text (not saved yet).` };
      case 'rejected':
        return { text: `The user rejected the edit of ${where}; the file is unchanged.`, state: 'denied' };
      case undefined:
        return error(`The edit of ${where} could not be shown: another change is under review in that file.`);
      default:
        return error(`The edit of ${where} did not go through (${reason}); the file is unchanged.`);
    }
  }

  private display(guarded: Extract<GuardedPath, { ok: true }>): string {
    return workspaceRoots().length > 1 ? `${guarded.root.name}/${guarded.relative}` : guarded.relative;
  }
}
