/**
 * `npm run icons`: draws build/icon.svg at every size the installers need, with the same Chromium
 * the end-to-end tests use (Debian's, or CHROMIUM_PATH), and writes
 *   build/icons/NxN.png   Linux (AppImage, deb) and the source of the others
 *   build/icon.ico        Windows (NSIS installer, portable exe)
 *   build/icon.icns       macOS (dmg)
 * The SVG is drawn on macOS's grid (a rounded square with a margin for the shadow); Windows and
 * Linux icons fill their whole square, so for them the margin is cropped away.
 * Run it after changing the SVG and commit what it writes; packaging never runs it.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { ICNS_TYPES, encodeIcns, encodeIco, pngSize } from './icon-containers';

const root = fileURLToPath(new URL('..', import.meta.url));
const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];

const macSvg = await readFile(`${root}build/icon.svg`, 'utf8');
if (!macSvg.includes('viewBox="0 0 1024 1024"'))
  throw new Error('icon.svg must keep viewBox 0 0 1024 1024');
// The rounded square spans 100…924 on the 1024 grid.
const fullSvg = macSvg.replace('viewBox="0 0 1024 1024"', 'viewBox="100 100 824 824"');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage();

async function draw(svg: string, sizes: readonly number[]): Promise<Map<number, Uint8Array>> {
  const pngs = new Map<number, Uint8Array>();
  const data = Buffer.from(svg).toString('base64');
  for (const size of sizes) {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(
      `<html><body style="margin:0;background:transparent"><img width="${size}" height="${size}" src="data:image/svg+xml;base64,${data}"></body></html>`,
    );
    // Runs in the page: wait until the SVG is decoded before taking the picture.
    await page
      .locator('img')
      .evaluate((img) => (img as unknown as { decode(): Promise<void> }).decode());
    const png = new Uint8Array(await page.locator('img').screenshot({ omitBackground: true }));
    const { width, height } = pngSize(png);
    if (width !== size || height !== size)
      throw new Error(`${size} px came out ${width}×${height}`);
    pngs.set(size, png);
  }
  return pngs;
}

const full = await draw(fullSvg, [...new Set([...LINUX_SIZES, ...ICO_SIZES])]);
const mac = await draw(macSvg, [...new Set(ICNS_TYPES.map((t) => t.pixels))]);
await browser.close();

await mkdir(`${root}build/icons`, { recursive: true });
for (const size of LINUX_SIZES)
  await writeFile(`${root}build/icons/${size}x${size}.png`, full.get(size)!);
await writeFile(`${root}build/icon.ico`, encodeIco(ICO_SIZES.map((s) => full.get(s)!)));
await writeFile(`${root}build/icon.icns`, encodeIcns(mac));
console.log('icons: build/icons/*.png, build/icon.ico, build/icon.icns');
