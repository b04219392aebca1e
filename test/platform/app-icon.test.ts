// Icon uploads: JPEG, PNG and GIF become a 500×500 PNG; anything else, too big or broken, is refused.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import sharp from 'sharp';
import { ICON_SIZE, MAX_ICON_BYTES, normalizeIcon } from '../../src/platform/app-icon.ts';
import { RegistrationError } from '../../src/platform/apps.ts';

const image = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 40 } } });

it('re-encodes JPEG, PNG and GIF uploads as a 500×500 PNG', async () => {
  for (const bytes of [await image(800, 600).jpeg().toBuffer(), await image(64, 64).png().toBuffer(), await image(120, 300).gif().toBuffer()]) {
    const png = await normalizeIcon(bytes);
    const meta = await sharp(png).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', ICON_SIZE, ICON_SIZE]);
  }
});

it('drops metadata such as EXIF', async () => {
  const withExif = await image(100, 100).jpeg().withMetadata({ exif: { IFD0: { Copyright: 'secret camera owner' } } }).toBuffer();
  const png = await normalizeIcon(withExif);
  assert.equal((await sharp(png).metadata()).exif, undefined);
  assert.equal(png.includes(Buffer.from('secret camera owner')), false);
});

it('refuses other formats, lies about the format, empty, oversized and broken files', async () => {
  const refuse = (bytes: Buffer, message: RegExp) => assert.rejects(normalizeIcon(bytes), (e: unknown) => e instanceof RegistrationError && e.field === 'icon' && message.test(e.message));
  await refuse(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), /JPEG, PNG or GIF/);
  await refuse(await image(10, 10).webp().toBuffer(), /JPEG, PNG or GIF/);
  await refuse(Buffer.alloc(0), /Choose an image/);
  await refuse(Buffer.alloc(MAX_ICON_BYTES + 1, 0xff), /at most 2 MB/);
  const png = await image(10, 10).png().toBuffer();
  await refuse(png.subarray(0, 40), /could not be read/);
});

it('refuses a decompression bomb: a small file declaring a huge canvas', async () => {
  const bomb = await sharp({ create: { width: 6000, height: 6000, channels: 3, background: { r: 0, g: 0, b: 0 } } }).png({ compressionLevel: 9, palette: true }).toBuffer();
  assert.ok(bomb.length < MAX_ICON_BYTES, `the bomb is small (${bomb.length} bytes)`);
  await assert.rejects(normalizeIcon(bomb), /could not be read/);
});
