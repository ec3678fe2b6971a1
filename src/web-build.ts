import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../web');
export const webDist = path.join(webRoot, 'dist');

async function newestSourceTime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? await newestSourceTime(p) : (await fs.stat(p)).mtimeMs);
  }
  return newest;
}

/** Builds the web console when web/dist is missing or older than its sources (the first start after install). */
export async function ensureWebBuilt(log: (line: string) => void): Promise<void> {
  const built = await fs.stat(path.join(webDist, 'index.html')).then((s) => s.mtimeMs, () => 0); // not built yet
  if (built && built >= (await newestSourceTime(webRoot))) return;
  log('building the web console (once after install or change)…');
  const { build } = await import('vite');
  await build({ configFile: path.join(webRoot, 'vite.config.ts'), logLevel: 'warn' });
}

