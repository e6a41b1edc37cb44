// vscode-free: which images a question may carry, and the checks the host makes before it sends one.

export const IMAGE_MIME_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export type ImageMimeType = (typeof IMAGE_MIME_TYPES)[number];

/** Decoded bytes of one image; gateways take about 20 MB, but a data: URL rides in every later request too. */
export const MAX_IMAGE_BYTES = 4 * 1024 * 1024;
/** Longest side after downscaling: larger images cost tokens without helping the model. */
export const MAX_IMAGE_DIMENSION = 2048;

export type ImageProblem = 'type' | 'size' | 'decode';

/** The image type from its first bytes (never trust a file name or a claimed type). */
export function sniffImageType(bytes: Uint8Array): ImageMimeType | undefined {
  const starts = (...signature: number[]): boolean => signature.every((byte, index) => bytes[index] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50) return 'image/webp';
  return undefined;
}

export function toDataUrl(mimeType: ImageMimeType, bytes: Uint8Array): string {
  return `data:${mimeType};base64,${Buffer.from(bytes).toString('base64')}`;
}

/** Checks an image data URL from the webview: a supported type, really that type, and not too large. */
export function checkImageDataUrl(dataUrl: string): { mimeType: ImageMimeType } | { problem: ImageProblem } {
  const match = /^data:(image\/[a-z0-9.+-]+);base64,([A-Za-z0-9+/]+={0,2})$/.exec(dataUrl);
  if (!match) {
    return { problem: 'decode' };
  }
  const claimed = match[1] as string;
  if (!(IMAGE_MIME_TYPES as readonly string[]).includes(claimed)) {
    return { problem: 'type' };
  }
  const base64 = match[2] as string;
  if (Math.floor((base64.length * 3) / 4) > MAX_IMAGE_BYTES + 2) {
    return { problem: 'size' };
  }
  const head = Buffer.from(base64.slice(0, 16), 'base64');
  const actual = sniffImageType(head);
  if (actual === undefined || actual !== claimed) {
    return { problem: actual === undefined ? 'decode' : 'type' };
  }
  return { mimeType: actual };
}
