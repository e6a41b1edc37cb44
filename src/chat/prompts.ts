import type { ContentPart, ImageDetail } from '../api/types';

/** An editor selection sent as context: where it is, and its text. */
export interface SelectionContext {
  kind: 'selection';
  fileName: string;
  languageId: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  text: string;
}

/** An image the user attached (pasted, dropped or picked), already in its final size. */
export interface ImageContext {
  kind: 'image';
  name: string;
  mimeType: string;
  /** `data:<mimeType>;base64,...`: sent as is in an image_url part. */
  dataUrl: string;
}

/** Where text attached with @ in the composer came from (a selection has its own kind). */
export type AttachmentSource = 'file' | 'problems' | 'diff' | 'terminal';

/** Text attached from the workspace (@file, @problems, @diff, @terminal), already capped in size. */
export interface AttachmentContext {
  kind: 'attachment';
  source: AttachmentSource;
  /** What the chip shows, e.g. "src/app.ts". */
  label: string;
  /** The line that names the source for the model, e.g. "Problems in src/app.ts". */
  heading: string;
  /** The fence's language tag; empty for plain text. */
  languageId: string;
  text: string;
  /** The length of the whole text when `text` is only its start. */
  truncatedFrom?: number;
}

/** Anything attached to a question. */
export type ChatContext = SelectionContext | ImageContext | AttachmentContext;

export const SYSTEM_PROMPT =
  'You are Fox Chat, a coding assistant inside Visual Studio Code. Answer concisely in Markdown. ' +
  'Use fenced code blocks with a language tag for code.';

export function describeLineRange(context: Pick<SelectionContext, 'startLine' | 'endLine'>): string {
  return context.startLine === context.endLine ? `${context.startLine}` : `${context.startLine}-${context.endLine}`;
}

/** A fence longer than any backtick run inside the code, so the code cannot close it early. */
function fenceFor(code: string): string {
  const longestRun = Math.max(2, ...Array.from(code.matchAll(/`+/g), (match) => match[0].length));
  return '`'.repeat(longestRun + 1);
}

export function formatSelection(context: SelectionContext): string {
  const fence = fenceFor(context.text);
  return (
    `File: ${context.fileName} (language: ${context.languageId}, lines ${describeLineRange(context)})\n` +
    `${fence}${context.languageId}\n${context.text}\n${fence}`
  );
}

export function formatAttachment(context: AttachmentContext): string {
  const fence = fenceFor(context.text);
  const block = `${context.heading}\n${fence}${context.languageId}\n${context.text}\n${fence}`;
  return context.truncatedFrom === undefined
    ? block
    : `${block}\n(Truncated: only ${context.text.length} of ${context.truncatedFrom} characters are attached.)`;
}

function formatTextContext(context: SelectionContext | AttachmentContext): string {
  return context.kind === 'selection' ? formatSelection(context) : formatAttachment(context);
}

/**
 * The user's words followed by each attached selection or attachment, in the order attached; with images, multimodal content parts
 * (the text first, then one image_url part per image).
 */
export function formatUserContent(text: string, context: readonly ChatContext[], imageDetail?: ImageDetail): string | ContentPart[] {
  const texts = context.filter((item): item is SelectionContext | AttachmentContext => item.kind !== 'image');
  const images = context.filter((item): item is ImageContext => item.kind === 'image');
  const textContent = texts.length === 0 ? text : [text, ...texts.map(formatTextContext)].join('\n\n');
  if (images.length === 0) {
    return textContent;
  }
  return [
    { type: 'text', text: textContent },
    ...images.map((image): ContentPart => ({ type: 'image_url', image_url: imageDetail ? { url: image.dataUrl, detail: imageDetail } : { url: image.dataUrl } })),
  ];
}
