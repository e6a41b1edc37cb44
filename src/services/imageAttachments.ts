import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChatSession } from '../chat/chatSession';
import { checkImageDataUrl, MAX_IMAGE_BYTES, sniffImageType, toDataUrl, type ImageProblem } from '../chat/images';

/**
 * Images attached to the next question: checked again here whatever the webview did (type by
 * content, size), then kept as the session's pending context until sent.
 */
export class ImageAttachments {
  constructor(
    private readonly session: ChatSession,
    /** Hands an image that is too large to the webview, which downscales it with a canvas. */
    private readonly downscaleInWebview: (name: string, dataUrl: string) => void,
  ) {}

  attachDataUrl(name: string, dataUrl: string): void {
    const checked = checkImageDataUrl(dataUrl);
    if ('problem' in checked) {
      this.reject(name, checked.problem);
      return;
    }
    this.session.attach({ kind: 'image', name, mimeType: checked.mimeType, dataUrl });
  }

  reject(name: string, problem: ImageProblem): void {
    const message = {
      type: vscode.l10n.t('{0} is not a PNG, JPEG, GIF or WebP image, so it was not attached.', name),
      size: vscode.l10n.t('{0} is too large to attach, even downscaled (the limit is {1} MB).', name, MAX_IMAGE_BYTES / (1024 * 1024)),
      decode: vscode.l10n.t('{0} could not be read as an image, so it was not attached.', name),
    }[problem];
    void vscode.window.showErrorMessage(message);
  }

  /** "Attach Image…": pick files; each is checked by its content, and large ones are downscaled. */
  async pickAndAttach(): Promise<void> {
    const uris = await vscode.window.showOpenDialog({
      canSelectMany: true,
      openLabel: vscode.l10n.t('Attach'),
      title: vscode.l10n.t('Fox Chat: Attach Image'),
      filters: { [vscode.l10n.t('Images')]: ['png', 'jpg', 'jpeg', 'gif', 'webp'] },
    });
    for (const uri of uris ?? []) {
      const name = path.basename(uri.path);
      const bytes = await vscode.workspace.fs.readFile(uri);
      const mimeType = sniffImageType(bytes);
      if (!mimeType) {
        this.reject(name, 'type');
      } else if (bytes.byteLength > MAX_IMAGE_BYTES) {
        this.downscaleInWebview(name, toDataUrl(mimeType, bytes));
      } else {
        this.attachDataUrl(name, toDataUrl(mimeType, bytes));
      }
    }
  }
}
