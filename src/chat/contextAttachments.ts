// vscode-free: the text that @file, @problems, @diff and @terminal attach to a question, and its
// bounds. Attachments ride in every later request of the conversation, so each one and all of a
// question's together are capped; a diff never carries the changes of a file the ignore list hides.
import type { AttachmentContext, AttachmentSource, ChatContext } from './prompts';

/** Characters of one attachment (about 10k tokens): more is cut, with a note saying so. */
export const MAX_ATTACHMENT_CHARS = 40_000;
/** Characters of everything attached to one question; an attachment that would pass it is refused. */
export const MAX_PENDING_CHARS = 120_000;
/** Bytes of a file @file reads at all (larger files are refused rather than read and cut). */
export const MAX_ATTACHED_FILE_BYTES = 1024 * 1024;

/** The rough token count the composer shows: about four characters per token for code and English. */
export function approxTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

/** The characters a context adds to the request (images are not text and count nothing here). */
export function contextChars(context: ChatContext): number {
  return context.kind === 'image' ? 0 : context.text.length;
}

/**
 * `text` cut to `max` characters at a line break when one is near: its start, or its end for output
 * whose last lines matter most (a terminal's errors come last).
 */
export function capText(text: string, max = MAX_ATTACHMENT_CHARS, keep: 'start' | 'end' = 'start'): { text: string; truncatedFrom?: number } {
  if (text.length <= max) return { text };
  if (keep === 'end') {
    const cut = text.slice(text.length - max);
    const lineStart = cut.indexOf('\n');
    return { text: lineStart >= 0 && lineStart < max / 2 ? cut.slice(lineStart + 1) : cut, truncatedFrom: text.length };
  }
  const cut = text.slice(0, max);
  const lineEnd = cut.lastIndexOf('\n');
  return { text: lineEnd > max / 2 ? cut.slice(0, lineEnd) : cut, truncatedFrom: text.length };
}

export interface AttachmentText {
  source: AttachmentSource;
  label: string;
  heading: string;
  text: string;
  languageId?: string;
  /** Which part of a text that is too long to keep (default: its start). */
  keep?: 'start' | 'end';
}

/** An attachment with its text capped. */
export function makeAttachment(input: AttachmentText): AttachmentContext {
  const capped = capText(input.text, MAX_ATTACHMENT_CHARS, input.keep);
  const attachment: AttachmentContext = {
    kind: 'attachment',
    source: input.source,
    label: input.label,
    heading: input.heading,
    languageId: input.languageId ?? '',
    text: capped.text,
  };
  if (capped.truncatedFrom !== undefined) attachment.truncatedFrom = capped.truncatedFrom;
  return attachment;
}

/** True when `next` would take what is attached past MAX_PENDING_CHARS. */
export function exceedsPendingLimit(pending: readonly ChatContext[], next: ChatContext, max = MAX_PENDING_CHARS): boolean {
  return pending.reduce((sum, context) => sum + contextChars(context), 0) + contextChars(next) > max;
}

/** True for bytes that are not text (a NUL in the first 8 KB, as git decides). */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8192).includes(0);
}

export type ProblemSeverity = 'error' | 'warning' | 'info' | 'hint';

export interface Problem {
  /** 0-based, as VS Code counts. */
  line: number;
  character: number;
  severity: ProblemSeverity;
  message: string;
  source?: string;
  code?: string | number;
}

/** One line per problem, as the Problems view shows them: "12:5 error: message (ts 2322)". */
export function formatProblems(problems: readonly Problem[]): string {
  return [...problems]
    .sort((a, b) => a.line - b.line || a.character - b.character)
    .map((problem) => {
      const origin = [problem.source, problem.code].filter((part) => part !== undefined && part !== '').join(' ');
      return `${problem.line + 1}:${problem.character + 1} ${problem.severity}: ${problem.message}${origin ? ` (${origin})` : ''}`;
    })
    .join('\n');
}

/** Unquotes a path as git writes one with unusual characters ("a/dir/x\ty"). */
function gitPath(raw: string): string {
  if (!raw.startsWith('"')) return raw;
  return raw.slice(1, -1).replace(/\\(["\\tn])/g, (_, escaped: string) => ({ t: '\t', n: '\n' })[escaped] ?? escaped);
}

/** The paths a file section of a unified git diff touches (old and new), without the a/ and b/ prefixes. */
function sectionPaths(section: string): string[] | undefined {
  const paths = new Set<string>();
  for (const line of section.split('\n')) {
    const header = /^(?:---|\+\+\+) ((?:"[^\n]*")|\S.*)$/.exec(line);
    if (header?.[1] && header[1] !== '/dev/null') paths.add(gitPath(header[1].replace(/\t.*$/, '')).replace(/^[ab]\//, ''));
    const renamed = /^(?:rename|copy) (?:from|to) (.+)$/.exec(line);
    if (renamed?.[1]) paths.add(gitPath(renamed[1]));
    if (line.startsWith('@@')) break;
  }
  const first = section.split('\n', 1)[0] ?? '';
  const plain = /^diff --git a\/(\S+) b\/(\S+)$/.exec(first);
  if (plain?.[1] && plain[2]) {
    paths.add(plain[1]);
    paths.add(plain[2]);
  }
  const quoted = /^diff --git ("(?:[^"\\]|\\.)*") ("(?:[^"\\]|\\.)*")$/.exec(first);
  if (quoted?.[1] && quoted[2]) {
    paths.add(gitPath(quoted[1]).replace(/^a\//, ''));
    paths.add(gitPath(quoted[2]).replace(/^b\//, ''));
  }
  return paths.size > 0 ? [...paths] : undefined;
}

/**
 * A unified git diff without the sections of files `isIgnored` hides; `omitted` names them. A
 * section whose paths cannot be read is left out too (it could be anything).
 */
export function withoutIgnoredFiles(diff: string, isIgnored: (path: string) => boolean): { diff: string; omitted: string[] } {
  const sections = diff.split(/^(?=diff --git )/m).filter((section) => section.length > 0);
  const kept: string[] = [];
  const omitted: string[] = [];
  for (const section of sections) {
    if (!section.startsWith('diff --git ')) {
      // Text before the first section (none in git's output): nothing of a file, keep it.
      kept.push(section);
      continue;
    }
    const paths = sectionPaths(section);
    if (!paths || paths.some(isIgnored)) {
      omitted.push(paths?.[0] ?? '?');
      continue;
    }
    kept.push(section);
  }
  return { diff: kept.join('').replace(/\n+$/, ''), omitted };
}

/**
 * Terminal output as plain text: escape sequences (colours, cursor moves, shell-integration marks)
 * removed, carriage-return line ends made plain, and a line redrawn with \r kept as its last state.
 */
export function plainTerminalText(output: string): string {
  /* eslint-disable no-control-regex -- terminal escape sequences are made of control characters */
  const withoutEscapes = output
    // OSC (window titles, shell integration): ESC ] ... BEL or ESC \
    .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, '')
    // CSI (colours, cursor): ESC [ params intermediates final
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '')
    // Any other two-byte escape.
    .replace(/\x1b[@-_]/g, '');
  /* eslint-enable no-control-regex */
  return withoutEscapes
    .replace(/\r+\n/g, '\n')
    .split('\n')
    .map((line) => line.slice(line.lastIndexOf('\r') + 1))
    .join('\n')
    .replace(/\n+$/, '');
}
