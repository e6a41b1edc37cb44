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

/** Anything attached to a question. */
export type ChatContext = SelectionContext | ImageContext;

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

/**
 * The user's words followed by each attached selection; with images, multimodal content parts
 * (the text first, then one image_url part per image).
 */
export function formatUserContent(text: string, context: readonly ChatContext[], imageDetail?: ImageDetail): string | ContentPart[] {
  const selections = context.filter((item): item is SelectionContext => item.kind === 'selection');
  const images = context.filter((item): item is ImageContext => item.kind === 'image');
  const textContent = selections.length === 0 ? text : [text, ...selections.map(formatSelection)].join('\n\n');
  if (images.length === 0) {
    return textContent;
  }
  return [
    { type: 'text', text: textContent },
    ...images.map((image): ContentPart => ({ type: 'image_url', image_url: imageDetail ? { url: image.dataUrl, detail: imageDetail } : { url: image.dataUrl } })),
  ];
}
