// App icons: a JPEG, PNG or GIF upload becomes a 500×500 PNG (cropped to fill, metadata dropped),
// so what the consent and connections pages serve is always one small, re-encoded image.
import type { App } from '../domain/app.ts';
import type { Actor } from './app-management.ts';
import { RegistrationError } from './apps.ts';
import type { OAuthContext } from '../oauth/context.ts';

export const ICON_SIZE = 500;
export const MAX_ICON_BYTES = 2 * 1024 * 1024;
/** Refuses decompression bombs: a small file that claims a huge canvas. */
const MAX_INPUT_PIXELS = 25_000_000;

type IconFormat = 'jpeg' | 'png' | 'gif';

/** The format by magic number; the file name and declared type are not trusted. */
function sniff(bytes: Buffer): IconFormat | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes.length >= 6 && /^GIF8[79]a$/.test(bytes.subarray(0, 6).toString('latin1'))) return 'gif';
  return undefined;
}

export async function normalizeIcon(bytes: Buffer): Promise<Buffer> {
  if (bytes.length === 0) throw new RegistrationError('Choose an image file', 'icon');
  if (bytes.length > MAX_ICON_BYTES) throw new RegistrationError('The icon must be at most 2 MB', 'icon');
  const format = sniff(bytes);
  if (!format) throw new RegistrationError('The icon must be a JPEG, PNG or GIF image', 'icon');
  // Loaded on the first upload: the image library adds ~20 MB to every process that loads it.
  const { default: sharp } = await import('sharp');
  try {
    // The first frame of an animated GIF; EXIF orientation applied, then dropped with the metadata.
    return await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, animated: false, failOn: 'error' })
      .rotate()
      .resize(ICON_SIZE, ICON_SIZE, { fit: 'cover' })
      .png()
      .toBuffer();
  } catch {
    throw new RegistrationError(`The ${format.toUpperCase()} file could not be read as an image`, 'icon');
  }
}

export async function setAppIcon(app: App, bytes: Buffer, actor: Actor, ctx: OAuthContext): Promise<void> {
  const png = await normalizeIcon(bytes);
  await ctx.store.apps.setIcon(app.id, png, ctx.clock.now());
  await ctx.audit?.record('app_updated', { tenantId: app.tenantId ?? undefined, userId: actor.userId, appId: app.id, origin: actor.origin, detail: 'icon uploaded' });
}

export async function removeAppIcon(app: App, actor: Actor, ctx: OAuthContext): Promise<void> {
  await ctx.store.apps.setIcon(app.id, null, ctx.clock.now());
  await ctx.audit?.record('app_updated', { tenantId: app.tenantId ?? undefined, userId: actor.userId, appId: app.id, origin: actor.origin, detail: 'icon removed' });
}
