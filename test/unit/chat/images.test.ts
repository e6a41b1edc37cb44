import { strict as assert } from 'node:assert';
import { checkImageDataUrl, MAX_IMAGE_BYTES, sniffImageType, toDataUrl } from '../../../src/chat/images';
import { formatUserContent, type ImageContext } from '../../../src/chat/prompts';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]);
const GIF = new TextEncoder().encode('GIF89a\u0001\u0000\u0001\u0000');
const WEBP = new TextEncoder().encode('RIFF\u0024\u0000\u0000\u0000WEBPVP8 ');

describe('images', () => {
  it('knows PNG, JPEG, GIF and WebP by their bytes', () => {
    assert.equal(sniffImageType(PNG), 'image/png');
    assert.equal(sniffImageType(JPEG), 'image/jpeg');
    assert.equal(sniffImageType(GIF), 'image/gif');
    assert.equal(sniffImageType(WEBP), 'image/webp');
    assert.equal(sniffImageType(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>')), undefined);
    assert.equal(sniffImageType(new Uint8Array()), undefined);
  });

  it('accepts a data: URL whose bytes are the type it claims', () => {
    assert.deepEqual(checkImageDataUrl(toDataUrl('image/png', PNG)), { mimeType: 'image/png' });
    assert.deepEqual(checkImageDataUrl(toDataUrl('image/webp', WEBP)), { mimeType: 'image/webp' });
  });

  const refused: [string, string, string][] = [
    ['SVG (can carry script)', `data:image/svg+xml;base64,${Buffer.from('<svg onload="x()"/>').toString('base64')}`, 'type'],
    ['a PNG claiming to be JPEG', `data:image/jpeg;base64,${Buffer.from(PNG).toString('base64')}`, 'type'],
    ['text claiming to be PNG', `data:image/png;base64,${Buffer.from('hello world, not an image').toString('base64')}`, 'decode'],
    ['not base64', 'data:image/png;base64,@@@', 'decode'],
    ['a remote URL', 'https://example.com/cat.png', 'decode'],
    ['too large', toDataUrl('image/png', Uint8Array.from([...PNG, ...new Uint8Array(MAX_IMAGE_BYTES)])), 'size'],
  ];
  for (const [name, dataUrl, problem] of refused) {
    it(`refuses ${name}`, () => {
      assert.deepEqual(checkImageDataUrl(dataUrl), { problem });
    });
  }

  it('sends text and images as content parts with the configured detail', () => {
    const image: ImageContext = { kind: 'image', name: 'shot.png', mimeType: 'image/png', dataUrl: toDataUrl('image/png', PNG) };
    const selection = { kind: 'selection' as const, fileName: 'a.ts', languageId: 'typescript', startLine: 2, endLine: 2, text: 'let a = 1;' };
    const content = formatUserContent('What is wrong here?', [selection, image], 'low');
    assert.ok(Array.isArray(content));
    assert.equal(content.length, 2);
    assert.equal(content[0]?.type, 'text');
    assert.ok(content[0].text.startsWith('What is wrong here?\n\nFile: a.ts'));
    assert.deepEqual(content[1], { type: 'image_url', image_url: { url: image.dataUrl, detail: 'low' } });
    assert.equal(formatUserContent('Only text', [selection]), formatUserContent('Only text', [selection], 'high'), 'no images, plain string');
  });
});
