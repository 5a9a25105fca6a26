import { createHash } from 'node:crypto';
import { fieldError, notFound } from '../../../core/errors.js';
import type { Actor } from '../../../core/permissions.js';
import type { Db } from '../db/client.js';
import { deleteSetting, readSetting, writeSetting } from '../repositories/settings.repository.js';
import type { ServiceDeps } from './deps.js';
import { sniffFileType } from './file-sniffing.js';

/**
 * The organisation's logo at the top of /status (issue 15). Raster images only, told by their
 * bytes (never by a name or a declared type): PNG, JPEG or WebP. SVG is refused: it is a program
 * as much as a picture (script, external references), and a logo does not need to be one.
 * Stored in the settings table (a logo is small): its description apart from its bytes, so the
 * page, recomputed every second, reads a few bytes, not the image.
 */

export const LOGO_MAX_BYTES = 256 * 1024;
const LOGO_TYPES = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp' } as const;
const META = 'status_page.logo';
const BYTES = 'status_page.logo_bytes';

export interface LogoMeta {
  mediaType: (typeof LOGO_TYPES)[keyof typeof LOGO_TYPES];
  /** The bytes' SHA-256, hex: the page's `?v=` and the image's ETag, so a new logo is fetched at once. */
  sha256: string;
  size: number;
}

export async function getLogoMeta(db: Db): Promise<LogoMeta | null> {
  return (await readSetting<LogoMeta | null>(db, META)) ?? null;
}

export async function getLogo(db: Db): Promise<{ meta: LogoMeta; bytes: Buffer }> {
  const [meta, stored] = await Promise.all([getLogoMeta(db), readSetting<{ base64: string } | null>(db, BYTES)]);
  if (!meta || !stored) throw notFound('logo');
  return { meta, bytes: Buffer.from(stored.base64, 'base64') };
}

/** Admins (the route checks): replaces the logo with an image the bytes prove to be PNG, JPEG or WebP. */
export async function setLogo(deps: ServiceDeps, _actor: Actor, base64: string): Promise<LogoMeta> {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0 || bytes.toString('base64') !== base64.replace(/\s/g, '')) {
    throw fieldError('validation_failed', 'image', 'must be the image file in base64');
  }
  if (bytes.length > LOGO_MAX_BYTES) {
    throw fieldError(
      'validation_failed',
      'image',
      `is ${Math.ceil(bytes.length / 1024)} KB; a logo may be at most ${LOGO_MAX_BYTES / 1024} KB (a few hundred pixels wide is plenty)`,
    );
  }
  const ext = await sniffFileType(bytes);
  const mediaType = ext && ext in LOGO_TYPES ? LOGO_TYPES[ext as keyof typeof LOGO_TYPES] : undefined;
  if (!mediaType) {
    const looksSvg = /<svg[\s>]/i.test(bytes.subarray(0, 4096).toString('utf8'));
    throw fieldError(
      'validation_failed',
      'image',
      looksSvg
        ? 'SVG is not accepted (it can carry script); upload the logo as PNG, JPEG or WebP'
        : `is not a PNG, JPEG or WebP image (its bytes say ${ext ? `it is ${ext.toUpperCase()}` : 'it is none of them'})`,
    );
  }
  const meta: LogoMeta = { mediaType, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await writeSetting(tx, BYTES, { base64: bytes.toString('base64') }, now);
    await writeSetting(tx, META, meta, now);
  });
  return meta;
}

/** Admins: the page goes back to showing the name alone. */
export async function removeLogo(deps: ServiceDeps, _actor: Actor): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await deleteSetting(tx, META);
    await deleteSetting(tx, BYTES);
  });
}
