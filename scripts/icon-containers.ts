/**
 * The two icon containers the installers need, written from PNG images: Windows .ico (PNG
 * entries, read by Windows Vista and later) and macOS .icns (PNG entries, macOS 10.7 and later).
 * Both are a small header and a table around the PNG bytes, so no package is needed for them.
 */

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!signature.every((b, i) => png[i] === b)) throw new Error('not a PNG');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** An .ico file whose entries are the given PNGs (square, at most 256 px). */
export function encodeIco(pngs: readonly Uint8Array[]): Uint8Array {
  const header = 6;
  const entry = 16;
  let offset = header + entry * pngs.length;
  const size = offset + pngs.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint16(0, 0, true); // reserved
  view.setUint16(2, 1, true); // 1 = icon
  view.setUint16(4, pngs.length, true);
  pngs.forEach((png, i) => {
    const { width, height } = pngSize(png);
    if (width !== height || width > 256) throw new Error(`ico entries are square, ≤ 256 px`);
    const at = header + entry * i;
    view.setUint8(at, width === 256 ? 0 : width); // 0 means 256
    view.setUint8(at + 1, height === 256 ? 0 : height);
    view.setUint8(at + 2, 0); // no palette
    view.setUint8(at + 3, 0);
    view.setUint16(at + 4, 1, true); // colour planes
    view.setUint16(at + 6, 32, true); // bits per pixel
    view.setUint32(at + 8, png.length, true);
    view.setUint32(at + 12, offset, true);
    out.set(png, offset);
    offset += png.length;
  });
  return out;
}

/** ICNS entry types that hold PNG data, by pixel size (the @2x types reuse the larger images). */
export const ICNS_TYPES: readonly { readonly type: string; readonly pixels: number }[] = [
  { type: 'icp4', pixels: 16 },
  { type: 'icp5', pixels: 32 },
  { type: 'ic11', pixels: 32 }, // 16@2x
  { type: 'icp6', pixels: 64 },
  { type: 'ic12', pixels: 64 }, // 32@2x
  { type: 'ic07', pixels: 128 },
  { type: 'ic08', pixels: 256 },
  { type: 'ic13', pixels: 256 }, // 128@2x
  { type: 'ic09', pixels: 512 },
  { type: 'ic14', pixels: 512 }, // 256@2x
  { type: 'ic10', pixels: 1024 }, // 512@2x
];

/** An .icns file with one PNG entry per {@link ICNS_TYPES} entry, taken from `pngBySize`. */
export function encodeIcns(pngBySize: ReadonlyMap<number, Uint8Array>): Uint8Array {
  const entries = ICNS_TYPES.map(({ type, pixels }) => {
    const png = pngBySize.get(pixels);
    if (png === undefined) throw new Error(`no ${pixels} px image for ${type}`);
    if (pngSize(png).width !== pixels) throw new Error(`${type} needs ${pixels} px`);
    return { type, png };
  });
  const size = 8 + entries.reduce((n, e) => n + 8 + e.png.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  const ascii = (text: string, at: number): void => {
    for (let i = 0; i < 4; i++) out[at + i] = text.charCodeAt(i);
  };
  ascii('icns', 0);
  view.setUint32(4, size);
  let at = 8;
  for (const { type, png } of entries) {
    ascii(type, at);
    view.setUint32(at + 4, 8 + png.length);
    out.set(png, at + 8);
    at += 8 + png.length;
  }
  return out;
}
