import { strict as assert } from 'node:assert';
import type { Post } from '../../../src/webview/host';
import type { ImageIntake } from '../../../src/webview/images';
import { exportsFunctions, partLoader, type Loaded } from './parts';

interface ImageParts {
  createImageIntake(post: Post): ImageIntake;
  dataUrlToBlob(dataUrl: string): Blob;
  dataUrlBytes(dataUrl: string): number;
  readAsDataUrl(blob: Blob): Promise<string>;
}

const LIMITS = { maxBytes: 1000, maxDimension: 512, mimeTypes: ['image/png', 'image/jpeg'] };
// "fox" in base64.
const SMALL_PNG = 'data:image/png;base64,Zm94';

describe('image intake (images.ts)', function () {
  this.timeout(60000);
  let load: (html?: string) => Loaded<ImageParts>;
  before(async () => {
    load = await partLoader(
      `export { createImageIntake, dataUrlToBlob, dataUrlBytes, readAsDataUrl } from '../images';`,
      exportsFunctions<ImageParts>('createImageIntake', 'dataUrlToBlob', 'dataUrlBytes', 'readAsDataUrl'),
    );
  });

  it('converts data: URLs to blobs and back, and measures their decoded size', async () => {
    const { parts } = load();
    const blob = parts.dataUrlToBlob(SMALL_PNG);
    assert.equal(blob.type, 'image/png');
    assert.equal(blob.size, 3);
    assert.equal(parts.dataUrlBytes(SMALL_PNG), 3);
    assert.equal(await parts.readAsDataUrl(blob), SMALL_PNG);
  });

  it('holds an image that comes before the host sent limits until they arrive, and rejects types outside them', async () => {
    const { dom, parts, posted, post } = load();
    Reflect.set(dom.window, 'createImageBitmap', () => Promise.resolve({ width: 10, height: 10, close: () => undefined }));
    const intake = parts.createImageIntake(post);
    const early = intake.prepare(parts.dataUrlToBlob(SMALL_PNG), 'early.png');
    // Nothing is decided while the limits are unknown.
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(posted, []);
    intake.setLimits(LIMITS);
    await early;
    await intake.prepare(parts.dataUrlToBlob('data:image/gif;base64,Zm94'), 'anim.gif');
    assert.deepEqual(posted, [
      { type: 'attachImage', name: 'early.png', mimeType: 'image/png', dataUrl: SMALL_PNG },
      { type: 'imageRejected', name: 'anim.gif', reason: 'type' },
    ]);
  });

  it('rejects what does not decode, and sends an image within the limits as it is', async () => {
    const { dom, parts, posted, post } = load();
    const intake = parts.createImageIntake(post);
    intake.setLimits(LIMITS);
    Reflect.set(dom.window, 'createImageBitmap', () => Promise.reject(new Error('not an image')));
    await intake.prepare(parts.dataUrlToBlob(SMALL_PNG), 'broken.png');
    let closed = false;
    Reflect.set(dom.window, 'createImageBitmap', () => Promise.resolve({ width: 100, height: 50, close: () => (closed = true) }));
    await intake.prepare(parts.dataUrlToBlob(SMALL_PNG), 'small.png');
    assert.deepEqual(posted, [
      { type: 'imageRejected', name: 'broken.png', reason: 'decode' },
      { type: 'attachImage', name: 'small.png', mimeType: 'image/png', dataUrl: SMALL_PNG },
    ]);
    assert.ok(closed, 'the bitmap is released');
  });
});
