// Images pasted, dropped or picked: checked against the host's limits and downscaled here (a canvas
// is at hand in the webview), then sent to the host as data: URLs.
import type { Post } from './host';

export interface ImageLimits {
  readonly maxBytes: number;
  readonly maxDimension: number;
  readonly mimeTypes: readonly string[];
}

export function dataUrlToBlob(dataUrl: string): Blob {
  const [header = '', base64 = ''] = dataUrl.split(',', 2);
  const type = /^data:([^;]+)/.exec(header)?.[1] ?? '';
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) {
    bytes[index] = binary.charCodeAt(index);
  }
  return new Blob([bytes], { type });
}

export function readAsDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(blob);
  });
}

/** Decoded size of a base64 data: URL. */
export const dataUrlBytes = (dataUrl: string): number => Math.floor(((dataUrl.length - dataUrl.indexOf(',') - 1) * 3) / 4);

export interface ImageIntake {
  /** Sent by the host on ready; images that came before wait for them. */
  setLimits(limits: ImageLimits): void;
  /**
   * Checks a pasted, dropped or picked image and downscales it with a canvas when it is larger
   * than the limits (longest side, then bytes, re-encoding as JPEG if PNG is still too big).
   */
  prepare(blob: Blob, name: string): Promise<void>;
}

export function createImageIntake(post: Post): ImageIntake {
  let imageLimits: ImageLimits | undefined;
  // A screenshot pasted the moment the panel opens can come before the host's limits do.
  let limitsArrived: (limits: ImageLimits) => void = () => undefined;
  const limitsReady = new Promise<ImageLimits>((resolve) => (limitsArrived = resolve));
  return {
    setLimits(limits) {
      imageLimits = limits;
      limitsArrived(limits);
    },
    async prepare(blob, name) {
      const limits = imageLimits ?? (await limitsReady);
      if (!limits.mimeTypes.includes(blob.type)) {
        post({ type: 'imageRejected', name, reason: 'type' });
        return;
      }
      let bitmap: ImageBitmap;
      try {
        bitmap = await createImageBitmap(blob);
      } catch {
        post({ type: 'imageRejected', name, reason: 'decode' });
        return;
      }
      const scale = Math.min(1, limits.maxDimension / Math.max(bitmap.width, bitmap.height));
      if (scale === 1 && blob.size <= limits.maxBytes) {
        bitmap.close();
        post({ type: 'attachImage', name, mimeType: blob.type, dataUrl: await readAsDataUrl(blob) });
        return;
      }
      const canvas = document.createElement('canvas');
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      bitmap.close();
      let dataUrl = canvas.toDataURL(blob.type === 'image/jpeg' ? 'image/jpeg' : 'image/png', 0.9);
      if (dataUrlBytes(dataUrl) > limits.maxBytes) {
        dataUrl = canvas.toDataURL('image/jpeg', 0.8);
      }
      if (dataUrlBytes(dataUrl) > limits.maxBytes) {
        post({ type: 'imageRejected', name, reason: 'size' });
        return;
      }
      const mimeType = /^data:([^;]+)/.exec(dataUrl)?.[1] ?? 'image/png';
      post({ type: 'attachImage', name, mimeType, dataUrl });
    },
  };
}

/** Image files pasted into `input` or dropped anywhere on `dropTarget` go to `prepare`; other pastes and drops are left alone. */
export function listenForImages(input: HTMLElement, dropTarget: Document, prepare: (blob: Blob, name: string) => void): void {
  input.addEventListener('paste', (event) => {
    const files = Array.from(event.clipboardData?.items ?? [])
      .filter((item) => item.kind === 'file' && item.type.startsWith('image/'))
      .map((item) => item.getAsFile())
      .filter((file): file is File => file !== null);
    if (files.length > 0) {
      event.preventDefault();
      files.forEach((file, index) => prepare(file, file.name || `pasted-image-${index + 1}.png`));
    }
  });
  dropTarget.addEventListener('dragover', (event) => {
    if (event.dataTransfer?.types.includes('Files')) {
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
    }
  });
  dropTarget.addEventListener('drop', (event) => {
    const files = Array.from(event.dataTransfer?.files ?? []);
    if (files.length > 0) {
      event.preventDefault();
      files.forEach((file) => prepare(file, file.name));
    }
  });
}
