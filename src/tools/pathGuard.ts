// vscode-free: the one gate every tool path goes through. A path from the model is untrusted input:
// it may only name something inside a workspace folder, after symlinks are followed.
import * as nodePath from 'node:path';
import { abortable } from './abortable';

export interface WorkspaceRoot {
  /** The folder's name, which starts paths in a multi-root workspace. */
  name: string;
  /** Absolute file-system path of the folder. */
  fsPath: string;
}

export type GuardedPath =
  | {
      ok: true;
      root: WorkspaceRoot;
      absolute: string;
      relative: string;
      /** The path after symlinks, relative to the folder's real path (what an ignore list must also judge). */
      realRelative: string;
    }
  | { ok: false; error: string };

/** Follows symlinks; undefined when the path does not exist (so there is nothing to follow). */
export type RealPath = (absolute: string) => Promise<string | undefined>;

const posix = nodePath.posix;
const VCS_FOLDERS = new Set(['.git', '.hg', '.svn']);
/** Characters of the model's input echoed in a refusal, at most: a huge argument is not sent back whole. */
const MAX_ECHOED_INPUT = 200;

export function echoInput(input: string, max = MAX_ECHOED_INPUT): string {
  return input.length > max ? `${input.slice(0, max)}… (${input.length} characters)` : input;
}

/**
 * Resolves `input` (relative, forward or back slashes) against the workspace folders and refuses
 * anything that is absolute, climbs out with `..`, names the home directory, holds a NUL, lies in a
 * version-control folder, or resolves through a symlink to a place outside its folder. Rejects with
 * the signal's reason once `signal` aborts, also in the middle of following links.
 */
const NO_FOLDER: GuardedPath = { ok: false, error: 'No folder is open in VS Code, so there are no workspace files.' };

export async function guardWorkspacePath(input: string, roots: readonly WorkspaceRoot[], realPath: RealPath, signal?: AbortSignal): Promise<GuardedPath> {
  signal?.throwIfAborted();
  const refuse = (why: string): GuardedPath => ({ ok: false, error: `Refused path "${echoInput(input)}": ${why}` });
  if (roots.length === 0) return NO_FOLDER;
  if (input.includes('\0')) return refuse('it contains a NUL character.');
  // Backslashes separate on Windows; treat them so everywhere so "..\\.." is seen for what it is.
  const slashed = input.trim().replace(/\\/g, '/');
  if (slashed === '') return refuse('it is empty.');
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(slashed)) return refuse('absolute paths, drive letters and URIs are not allowed; use a path relative to the workspace.');
  if (slashed.startsWith('/')) return refuse('absolute paths are not allowed; use a path relative to the workspace.');
  if (slashed === '~' || slashed.startsWith('~/')) return refuse('paths outside the workspace are not allowed.');
  const normalised = posix.normalize(slashed);
  if (normalised === '..' || normalised.startsWith('../')) return refuse('it leads outside the workspace.');

  // Version-control internals hold remotes with tokens and everyone's history, and are never code to discuss.
  if (normalised.split('/').some((segment) => VCS_FOLDERS.has(segment))) return refuse('version-control folders (.git, .hg, .svn) are not open to tools.');

  const [first, ...rest] = normalised.split('/');
  // In a multi-root workspace "<folder name>/..." picks the folder; otherwise the first folder.
  const named = roots.length > 1 ? roots.find((candidate) => candidate.name === first) : undefined;
  const root = named ?? roots[0];
  if (root === undefined) return NO_FOLDER;
  const relative = named ? rest.join('/') || '.' : normalised;
  const absolute = nodePath.resolve(root.fsPath, relative);
  if (!isInside(root.fsPath, absolute)) return refuse('it leads outside the workspace.');

  // A symlink inside the folder may point anywhere: judge the real target, against the real root.
  const realRoot = (await abortable(realPath(root.fsPath), signal)) ?? root.fsPath;
  const realTarget = await realTargetOf(absolute, realPath, signal);
  if (!isInside(realRoot, realTarget)) return refuse('it is a link to a place outside the workspace.');
  if (nodePath.relative(realRoot, realTarget).split(nodePath.sep).some((segment) => VCS_FOLDERS.has(segment))) {
    return refuse('it is a link into a version-control folder.');
  }
  const realRelative = nodePath.relative(realRoot, realTarget).split(nodePath.sep).join('/');
  return { ok: true, root, absolute, relative: relative === '.' ? '' : posix.normalize(relative), realRelative };
}

/**
 * The real path of `absolute`, or for a path that does not exist yet, the real path of its nearest
 * existing parent with the rest appended (a new file under a linked folder is still judged by the link).
 */
async function realTargetOf(absolute: string, realPath: RealPath, signal: AbortSignal | undefined): Promise<string> {
  const missing: string[] = [];
  let current = absolute;
  for (;;) {
    const real = await abortable(realPath(current), signal);
    if (real !== undefined) return nodePath.join(real, ...missing.reverse());
    const parent = nodePath.dirname(current);
    if (parent === current) return absolute;
    missing.push(nodePath.basename(current));
    current = parent;
  }
}

export function isInside(root: string, candidate: string): boolean {
  const relative = nodePath.relative(root, candidate);
  // "..name" is a file inside; only ".." itself or "../…" climbs out.
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${nodePath.sep}`) && !nodePath.isAbsolute(relative));
}
