#!/usr/bin/env node
// Renders the app icons (apps/web/public/icon*.svg) to the PNG sizes install prompts ask for, with
// the system Chromium (bash infra/chromium/install.sh). Run after changing an icon:
//   node scripts/render-icons.mjs
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const pub = new URL('../apps/web/public/', import.meta.url).pathname;
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browser = await chromium.launch({ executablePath, headless: true, args: ['--headless', '--no-sandbox'] });
try {
  const page = await browser.newPage();
  for (const [svg, out, size] of [
    ['icon.svg', 'icon-192.png', 192],
    ['icon.svg', 'icon-512.png', 512],
    ['icon-maskable.svg', 'icon-maskable-512.png', 512],
    ['icon.svg', 'apple-touch-icon.png', 180],
  ]) {
    await page.setViewportSize({ width: size, height: size });
    const markup = readFileSync(join(pub, svg), 'utf8');
    await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${markup}`);
    await page.screenshot({ path: join(pub, out), omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
  }
} finally {
  await browser.close();
}
