import * as fs from 'node:fs/promises';
import * as nodePath from 'node:path';
import * as vscode from 'vscode';
import type { ToolCall } from '../api/types';
import type { ToolResult, ToolRunner } from '../chat/toolRunner';
import type { InlineEditEnd } from '../edits/inlineEditSession';
import { abortable } from '../tools/abortable';
import { ignoredRefusal, type IgnoreList, type IgnoreMatch } from '../tools/ignoreList';
import { echoInput, guardWorkspacePath, isInside, type GuardedPath, type WorkspaceRoot } from '../tools/pathGuard';
import { DEFAULT_SCAN_LIMITS, scanFiles, type ScannedFile } from '../tools/searchScan';
import { compileMatcher } from '../tools/textMatcher';
import {
  parseToolCall,
  summarizeCall,
  type GetDiagnosticsArgs,
  type ListFilesArgs,
  type ProposeEditArgs,
  type ReadFileArgs,
  type SearchTextArgs,
} from '../tools/toolArguments';
import { capError, capResult, MAX_LIST_RESULTS, MAX_SEARCH_RESULTS, WRITING_TOOLS, isToolName, type ToolName } from '../tools/toolDefinitions';
import { ignoreListFor, ignoreMatchFor } from './ignoredFiles';

/** Files larger than this are not read or searched: they are data, not code to talk about. */
const MAX_FILE_BYTES = 1024 * 1024;
/** How many files search_text looks at, at most. */
const MAX_SEARCHED_FILES = 2_000;
/** Characters of text search_text scans in all before it answers with what it has. */
const MAX_SEARCHED_CHARS = 20 * 1024 * 1024;
/** Extra files list_files asks for, so ignored ones left out do not shorten the list. */
const LIST_SLACK = 200;
const DEFAULT_LIST_RESULTS = 100;
const DEFAULT_SEARCH_RESULTS = 50;

/** Puts a proposed change into the editor for review and says how the review ended. */
/** Shows `code` for review in place of the editor's selection; `signal` aborting withdraws it. */
export type ProposeCode = (editor: vscode.TextEditor, code: string, signal: AbortSignal) => Promise<InlineEditEnd | undefined>;

const error = (text: string): ToolResult => ({ text: capError(text), state: 'error' });
const STOPPED: ToolResult = { text: 'The tool call was stopped by the user.', state: 'error' };

type Guarded = Extract<GuardedPath, { ok: true }>;

/** The ignore lists of one tool call, one per workspace folder, each read once when first needed. */
class CallIgnoreLists {
  private readonly lists = new Map<string, Promise<IgnoreList>>();

  constructor(private readonly signal: AbortSignal) {}

  private listFor(root: WorkspaceRoot): Promise<IgnoreList> {
    let list = this.lists.get(root.fsPath);
    if (!list) {
      list = ignoreListFor({ uri: vscode.Uri.file(root.fsPath) }, this.signal);
      this.lists.set(root.fsPath, list);
    }
    return list;
  }

  /** The rule hiding `relative` (to `root`), if any. */
  async match(root: WorkspaceRoot, relative: string): Promise<IgnoreMatch | undefined> {
    return (await abortable(this.listFor(root), this.signal)).match(relative);
  }

  /** Judges the path as asked and, after symlinks, as it really is: a link may not reveal an ignored file. */
  async matchGuarded(guarded: Guarded): Promise<IgnoreMatch | undefined> {
    return (await this.match(guarded.root, guarded.relative)) ?? (await this.match(guarded.root, guarded.realRelative));
  }
}

const isAbort = (problem: unknown): boolean => problem instanceof Error && problem.name === 'AbortError';

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
export function excludeGlob(): string | undefined {
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

/** Read afresh: the signal may have aborted during any await since it was last looked at. */
const stopped = (signal: AbortSignal): boolean => signal.aborted;

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
    if (signal.aborted) return STOPPED;
    const parsed = parseToolCall(call.function.name, call.function.arguments, this.enabled);
    if (!parsed.ok) return error(parsed.error);
    const { call: checked } = parsed;
    const ignored = new CallIgnoreLists(signal);
    try {
      switch (checked.name) {
        case 'read_file':
          return await this.readFile(checked.args, ignored, signal);
        case 'list_files':
          return await this.listFiles(checked.args, ignored, signal);
        case 'search_text':
          return await this.searchText(checked.args, ignored, signal);
        case 'get_diagnostics':
          return await this.diagnostics(checked.args, ignored, signal);
        case 'get_selection':
          return await this.selection(ignored, signal);
        case 'propose_edit':
          return await this.proposeEdit(checked.args, ignored, signal);
      }
    } catch (problem) {
      // Stop ends every wait at once (abortable); that surfaces here as an abort, not a failure.
      if (isAbort(problem) || stopped(signal)) return STOPPED;
      throw problem;
    }
  }

  /** The workspace guard, then the ignore list: a refusal text, or the path to use. */
  private async guard(path: string, ignored: CallIgnoreLists, signal: AbortSignal): Promise<Guarded | { error: string }> {
    const guarded = await guardWorkspacePath(path, workspaceRoots(), realPath, signal);
    if (!guarded.ok) return { error: guarded.error };
    const match = await ignored.matchGuarded(guarded);
    if (match) return { error: ignoredRefusal(this.display(guarded), match) };
    return guarded;
  }

  /** The text as the user sees it: an open document's unsaved changes count. */
  private async readText(guarded: Guarded, signal: AbortSignal): Promise<{ text: string } | { error: string }> {
    const open = vscode.workspace.textDocuments.find((document) => document.uri.scheme === 'file' && document.uri.fsPath === guarded.absolute);
    if (open) return { text: open.getText() };
    let stat;
    try {
      stat = await abortable(fs.stat(guarded.absolute), signal);
    } catch (problem) {
      if (signal.aborted) throw problem;
      return { error: `No such file in the workspace: ${this.display(guarded)}` };
    }
    if (!stat.isFile()) return { error: `${this.display(guarded)} is a folder, not a file; use list_files to see what it holds.` };
    if (stat.size > MAX_FILE_BYTES) return { error: `${this.display(guarded)} is too large to read (${stat.size} bytes; the limit is ${MAX_FILE_BYTES}).` };
    const bytes = await abortable(fs.readFile(guarded.absolute, { signal }), signal);
    if (looksBinary(bytes)) return { error: `${this.display(guarded)} is a binary file.` };
    return { text: new TextDecoder().decode(bytes) };
  }

  private async readFile(args: ReadFileArgs, ignored: CallIgnoreLists, signal: AbortSignal): Promise<ToolResult> {
    const guarded = await this.guard(args.path, ignored, signal);
    if ('error' in guarded) return error(guarded.error);
    const read = await this.readText(guarded, signal);
    if ('error' in read) return error(read.error);
    const lines = read.text.split(/\r?\n/);
    const start = args.start_line ?? 1;
    const end = Math.min(args.end_line ?? lines.length, lines.length);
    if (start > lines.length) return error(`${this.display(guarded)} has only ${lines.length} lines.`);
    const numbered = lines.slice(start - 1, end).map((line, offset) => `${start + offset}: ${line}`);
    return { text: capResult(`${this.display(guarded)} (lines ${start}-${end} of ${lines.length})\n${numbered.join('\n')}`) };
  }

  /**
   * Workspace files matching `glob`, sorted, without the ignored ones (`hidden` counts those).
   * `max` bounds what each folder's search returns, before the ignored files are left out.
   */
  private async findFiles(
    glob: string,
    max: number,
    ignored: CallIgnoreLists,
    signal: AbortSignal,
  ): Promise<{ files: Array<{ uri: vscode.Uri; display: string }>; hidden: number } | { error: string }> {
    const slashed = glob.replace(/\\/g, '/');
    if (slashed.startsWith('/') || /^[a-zA-Z]:/.test(slashed) || slashed.split('/').includes('..')) {
      return { error: `Refused glob "${echoInput(glob)}": use a pattern relative to the workspace, without "..".` };
    }
    const roots = workspaceRoots();
    if (roots.length === 0) return { error: 'No folder is open in VS Code, so there are no workspace files.' };
    const cancel = new vscode.CancellationTokenSource();
    const onAbort = (): void => cancel.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const found: Array<{ uri: vscode.Uri; display: string }> = [];
      let hidden = 0;
      // The model sees the workspace as the user's explorer and search do, without what they hid.
      const exclude = excludeGlob();
      for (const root of roots) {
        const uris = await abortable(
          vscode.workspace.findFiles(new vscode.RelativePattern(vscode.Uri.file(root.fsPath), slashed), exclude, max, cancel.token),
          signal,
        );
        for (const uri of uris) {
          if (await ignored.match(root, nodePath.relative(root.fsPath, uri.fsPath))) {
            hidden++;
            continue;
          }
          const relative = vscode.workspace.asRelativePath(uri, roots.length > 1);
          found.push({ uri, display: relative });
        }
      }
      found.sort((a, b) => a.display.localeCompare(b.display));
      return { files: found.slice(0, max), hidden };
    } finally {
      signal.removeEventListener('abort', onAbort);
      cancel.dispose();
    }
  }

  private async listFiles(args: ListFilesArgs, ignored: CallIgnoreLists, signal: AbortSignal): Promise<ToolResult> {
    const max = Math.min(args.max_results ?? DEFAULT_LIST_RESULTS, MAX_LIST_RESULTS);
    const found = await this.findFiles(args.glob, max + 1 + LIST_SLACK, ignored, signal);
    if ('error' in found) return error(found.error);
    const { files, hidden } = found;
    const hiddenNote = hidden > 0 ? `\n[${hidden} matching file${hidden === 1 ? ' is' : 's are'} hidden by the ignore list of secret files]` : '';
    if (files.length === 0) return { text: `No workspace files match ${echoInput(args.glob)}.${hiddenNote}` };
    const shown = files.slice(0, max).map((file) => file.display);
    const more = files.length > max ? `\n[more files match; narrow the pattern]` : '';
    return { text: capResult(`${shown.join('\n')}${more}${hiddenNote}`) };
  }

  private async searchText(args: SearchTextArgs, ignored: CallIgnoreLists, signal: AbortSignal): Promise<ToolResult> {
    const matcher = compileMatcher(args.query, { isRegex: args.is_regex === true, caseSensitive: args.case_sensitive === true });
    if (!matcher.ok) return error(matcher.error);
    const max = Math.min(args.max_results ?? DEFAULT_SEARCH_RESULTS, MAX_SEARCH_RESULTS);
    const found = await this.findFiles(args.glob ?? '**/*', MAX_SEARCHED_FILES, ignored, signal);
    if ('error' in found) return error(found.error);
    const texts = async function* (this: WorkspaceTools): AsyncGenerator<ScannedFile> {
      for (const file of found.files) {
        if (signal.aborted) return;
        const guarded = await this.guard(file.display, ignored, signal);
        if ('error' in guarded) continue;
        const read = await this.readText(guarded, signal);
        if ('text' in read) yield { display: file.display, text: read.text };
      }
    }.call(this);
    const outcome = await scanFiles(texts, matcher.matches, { ...DEFAULT_SCAN_LIMITS, maxChars: MAX_SEARCHED_CHARS, maxMatches: max }, {
      signal,
      now: () => Date.now(),
      // Gives the host's other work (the panel, the editor, Stop) its turn between slices of the scan.
      yieldToEventLoop: () => new Promise<void>((resolve) => setImmediate(resolve)),
    });
    if (outcome.cutShort === 'stopped') return STOPPED;
    const notes: string[] = [];
    if (outcome.more) notes.push('[more matches; narrow the search]');
    if (outcome.cutShort === 'time') notes.push(`[the search took too long and stopped after ${outcome.filesScanned} files; narrow it with glob or a more specific query]`);
    if (outcome.cutShort === 'size') notes.push(`[the search stopped after ${outcome.filesScanned} files, the most text it scans at once; narrow it with glob]`);
    const noteText = notes.length > 0 ? `\n${notes.join('\n')}` : '';
    const query = echoInput(args.query);
    if (outcome.matches.length === 0) return { text: `No matches for ${args.is_regex ? `/${query}/` : `"${query}"`}.${noteText}` };
    return { text: capResult(`${outcome.matches.join('\n')}${noteText}`) };
  }

  private async diagnostics(args: GetDiagnosticsArgs, ignored: CallIgnoreLists, signal: AbortSignal): Promise<ToolResult> {
    const severity = ['error', 'warning', 'info', 'hint'];
    const format = (uri: vscode.Uri, diagnostic: vscode.Diagnostic): string => {
      const { line, character } = diagnostic.range.start;
      const origin = [diagnostic.source, typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code].filter((part) => part !== undefined && part !== '').join(' ');
      return `${vscode.workspace.asRelativePath(uri)}:${line + 1}:${character + 1} ${severity[diagnostic.severity]}: ${diagnostic.message}${origin ? ` (${origin})` : ''}`;
    };
    if (args.path !== undefined) {
      const guarded = await this.guard(args.path, ignored, signal);
      if ('error' in guarded) return error(guarded.error);
      const uri = vscode.Uri.file(guarded.absolute);
      const found = vscode.languages.getDiagnostics(uri).map((diagnostic) => format(uri, diagnostic));
      return { text: found.length > 0 ? capResult(found.join('\n')) : `No problems reported for ${this.display(guarded)} (diagnostics exist for files a language extension has checked, usually open ones).` };
    }
    const roots = workspaceRoots();
    const found: string[] = [];
    for (const [uri, list] of vscode.languages.getDiagnostics()) {
      if (uri.scheme !== 'file') continue;
      const root = roots.find((candidate) => isInside(candidate.fsPath, uri.fsPath));
      // A problem message may quote the line it is about: an ignored file's lines stay out.
      if (!root || (await ignored.match(root, nodePath.relative(root.fsPath, uri.fsPath)))) continue;
      found.push(...list.map((diagnostic) => format(uri, diagnostic)));
    }
    return { text: found.length > 0 ? capResult(found.join('\n')) : 'No problems reported in the workspace.' };
  }

  private async selection(ignored: CallIgnoreLists, signal: AbortSignal): Promise<ToolResult> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.selection.isEmpty) return { text: 'No text is selected in the active editor.' };
    const { document, selection } = editor;
    const match = await this.ignoreMatchOfDocument(document.uri, ignored, signal);
    if (match) return error(ignoredRefusal(`The active file ${vscode.workspace.asRelativePath(document.uri, false)}`, match));
    const text = document.getText(selection);
    return {
      text: capResult(
        `File: ${vscode.workspace.asRelativePath(document.uri)} (language: ${document.languageId}, lines ${selection.start.line + 1}-${selection.end.line + 1})\n${text}`,
      ),
    };
  }

  /** The rule hiding a document the user has open, which may lie outside every workspace folder. */
  private async ignoreMatchOfDocument(uri: vscode.Uri, ignored: CallIgnoreLists, signal: AbortSignal): Promise<IgnoreMatch | undefined> {
    if (uri.scheme === 'untitled') return undefined;
    const root = workspaceRoots().find((candidate) => uri.scheme === 'file' && isInside(candidate.fsPath, uri.fsPath));
    if (root) return ignored.match(root, nodePath.relative(root.fsPath, uri.fsPath));
    return abortable(ignoreMatchFor(uri), signal);
  }

  private async proposeEdit(args: ProposeEditArgs, ignored: CallIgnoreLists, signal: AbortSignal): Promise<ToolResult> {
    const guarded = await this.guard(args.path, ignored, signal);
    if ('error' in guarded) return error(guarded.error);
    let document: vscode.TextDocument;
    try {
      document = await abortable(vscode.workspace.openTextDocument(vscode.Uri.file(guarded.absolute)), signal);
    } catch (problem) {
      if (signal.aborted) throw problem;
      return error(`No such text file in the workspace: ${this.display(guarded)}`);
    }
    if (args.end_line > document.lineCount) {
      return error(`${this.display(guarded)} has only ${document.lineCount} lines; read it again before proposing an edit.`);
    }
    const editor = await abortable(vscode.window.showTextDocument(document, { preview: false }), signal);
    const end = document.lineAt(args.end_line - 1).range.end;
    editor.selection = new vscode.Selection(args.start_line - 1, 0, end.line, end.character);
    editor.revealRange(editor.selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    const outcome = await abortable(this.proposeCode(editor, args.new_text.replace(/\r?\n$/, ''), signal), signal);
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

  private display(guarded: Guarded): string {
    return workspaceRoots().length > 1 ? `${guarded.root.name}/${guarded.relative}` : guarded.relative;
  }
}
