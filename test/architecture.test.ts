// The shape of the code, checked: domain files never see Fastify, and modules meet only at index.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

const files = sourceFiles(src).map((file) => ({
  file: path.relative(src, file),
  imports: [...fs.readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1]!),
}));

/** HTTP lives in routes.ts files, the kernel's http part and the process entry points. */
const httpAllowed = (file: string) =>
  path.basename(file) === 'routes.ts' || file.startsWith(`kernel${path.sep}http${path.sep}`) || ['server.ts', 'start.ts', 'cli.ts'].includes(file);

test('no domain file imports fastify', () => {
  const offenders = files.filter((f) => !httpAllowed(f.file) && f.imports.some((i) => i === 'fastify' || i.startsWith('@fastify/')));
  assert.deepEqual(offenders.map((f) => f.file), []);
});

/** The module a file belongs to: a top-level folder of src/ (kernel parts count as parts of one kernel). */
const moduleOf = (file: string) => file.split(path.sep)[0]!;

test('a module uses another module only through its index.ts (or a single-file kernel part)', () => {
  const offenders: string[] = [];
  // The entry points (server.ts, start.ts, cli.ts) wire the modules together and register their routes.
  for (const { file, imports } of files.filter((f) => f.file.includes(path.sep))) {
    for (const spec of imports.filter((i) => i.startsWith('.'))) {
      const target = path.relative(src, path.resolve(src, path.dirname(file), spec));
      if (target.startsWith('..') || !target.includes(path.sep) || moduleOf(target) === moduleOf(file)) continue;
      const parts = target.split(path.sep);
      const viaIndex = parts.at(-1) === 'index.ts' && (parts.length === 2 || (parts[0] === 'kernel' && parts.length === 3));
      const kernelFile = parts[0] === 'kernel' && parts.length === 2;
      if (!viaIndex && !kernelFile) offenders.push(`${file} → ${target}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('the checks cover something: there are modules and imports to check', () => {
  assert.ok(files.length > 30);
  assert.ok(files.some((f) => f.file.endsWith('routes.ts') && f.imports.includes('typebox')));
});

test('the hub does not hand out raw reads of its rows', () => {
  // A module that reads hub rows itself skips the grant and leaves no evidence the citizen can see in
  // 我的数据使用记录. Read through the gateway instead: callResource, askPredicate or evaluatePredicateInBulk.
  const index = fs.readFileSync(path.join(src, 'hub', 'index.ts'), 'utf8');
  const exported = [...index.matchAll(/^export\s+(?!type\b)\{([^}]*)\}/gm)].flatMap((m) => m[1]!.split(',').map((n) => n.trim()));
  assert.ok(exported.includes('callResource'), 'the check reads the value exports of src/hub/index.ts');
  assert.deepEqual(exported.filter((name) => /^readRows/.test(name)), [],
    'src/hub/index.ts exports a raw row read: remove it and read through the hub gateway (grant + evidence per subject)');
});
