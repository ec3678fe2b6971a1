// The shape of the code, checked. Each failure names the rule and how to fix it (docs/architecture.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { modules } from '../src/modules.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

interface Import {
  /** Path relative to the repository, or the package name. */
  target: string;
  /** `import type` / `export type`: erased at run time, so it cannot make a cycle. */
  typeOnly: boolean;
  /** An `export … from`: the file hands the target's names on. */
  reexport: boolean;
}

const rel = (file: string) => path.relative(root, file).split(path.sep).join('/');

function importsOf(file: string): Import[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+'([^']+)'/gm)].map((m) => {
    const spec = m[3]!;
    return {
      target: spec.startsWith('.') ? rel(path.resolve(path.dirname(file), spec)) : spec,
      typeOnly: m[2] !== undefined,
      reexport: m[1] === 'export',
    };
  });
}

const files = ['src', 'bench', 'demo'].flatMap((dir) => sourceFiles(path.join(root, dir))).map((file) => ({ file: rel(file), imports: importsOf(file) }));
const srcFiles = files.filter((f) => f.file.startsWith('src/'));

/** A violation: the file, what it imports, and the rule's name and remedy. */
const report = (rule: string, fix: string, offenders: string[]) =>
  assert.deepEqual(offenders, [], `rule "${rule}" broken by:\n  ${offenders.join('\n  ')}\nHow to fix: ${fix}`);

// The process entry points and the module list: the top layer, which wires the modules together.
const topLayer = new Set(['src/server.ts', 'src/start.ts', 'src/cli.ts', 'src/modules.ts', 'src/demo.ts', 'src/web-build.ts']);

/** The module of a file under src/: `kernel`, or the domain module's folder; null for the top layer. */
function moduleOf(file: string): string | null {
  if (topLayer.has(file)) return null;
  return file.split('/')[1] ?? null;
}

/**
 * What a file outside a module may import of it: a domain module's index.ts, a kernel part's index.ts, a
 * single-file kernel part, and the database openers (kept out of kernel/db/index.ts so that not every
 * process loads the embedded PostgreSQL package).
 */
function isPublicEntry(target: string): boolean {
  const parts = target.split('/');
  if (parts[0] !== 'src') return false;
  if (parts[1] === 'kernel')
    return (parts.length === 4 && parts[3] === 'index.ts') || parts.length === 3 || ['src/kernel/db/open.ts', 'src/kernel/db/embedded.ts'].includes(target);
  return parts.length === 3 && parts[2] === 'index.ts';
}

test('layer order: the kernel uses no domain module and no top-layer file; domain modules do not use the top layer', () => {
  const offenders = srcFiles.flatMap(({ file, imports }) => {
    const from = moduleOf(file);
    if (from === null) return [];
    return imports.filter((i) => i.target.startsWith('src/')).flatMap((i) => {
      const to = moduleOf(i.target);
      if (to === null) return [`${file} → ${i.target} (top layer)`];
      if (from === 'kernel' && to !== 'kernel') return [`${file} → ${i.target} (domain module)`];
      return [];
    });
  });
  report('layers: kernel ← domain modules ← server/cli/modules list', 'the kernel must not know the modules: take what it needs as a parameter '
    + 'or declare it in the module manifest (src/kernel/module.ts); a module reaches the platform through its manifest, not through server.ts or cli.ts', offenders);
});

test('src/ never imports demo/, bench/ or test/; demo/ and bench/ use src/ only through public entry points', () => {
  const intoTop = srcFiles.flatMap(({ file, imports }) => imports
    .filter((i) => /^(demo|bench|test)\//.test(i.target)).map((i) => `${file} → ${i.target}`));
  report('src/ stands alone', 'move what src/ needs into src/ (the demo city generator lives in src/kernel/demo)', intoTop);
  const outside = files.filter((f) => !f.file.startsWith('src/')).flatMap(({ file, imports }) => imports
    .filter((i) => i.target.startsWith('src/') && !topLayer.has(i.target) && !isPublicEntry(i.target) && !i.target.endsWith('/index.ts'))
    .map((i) => `${file} → ${i.target}`));
  report('demo/ and bench/ through index.ts', 'export what is needed from the module\'s index.ts and import that', outside);
});

test('a module uses another module only through its index.ts (or a kernel part\'s public entry)', () => {
  const offenders = srcFiles.flatMap(({ file, imports }) => {
    const from = moduleOf(file);
    if (from === null) return [];
    return imports.filter((i) => i.target.startsWith('src/') && moduleOf(i.target) !== from && moduleOf(i.target) !== null
      && !isPublicEntry(i.target)).map((i) => `${file} → ${i.target}`);
  });
  report('others only through index.ts', 'import from src/<module>/index.ts, and export the name there if other modules need it', offenders);
});

test('a manifest (module.ts) is read only by the module list', () => {
  const offenders = srcFiles.flatMap(({ file, imports }) => imports
    .filter((i) => i.target.endsWith('/module.ts') && i.target !== 'src/kernel/module.ts' && file !== 'src/modules.ts').map((i) => `${file} → ${i.target}`));
  report('manifests through src/modules.ts', 'loop over `modules` from src/modules.ts instead of importing one manifest', offenders);
});

test('every module has a manifest in the list, and every migration belongs to exactly one manifest', () => {
  const domain = fs.readdirSync(path.join(root, 'src'), { withFileTypes: true }).filter((e) => e.isDirectory() && e.name !== 'kernel').map((e) => e.name);
  const listed = new Set(modules.map((m) => m.name));
  report('one manifest per module', 'add src/<module>/module.ts and its line in src/modules.ts',
    domain.filter((name) => !fs.existsSync(path.join(root, 'src', name, 'module.ts')) || !listed.has(name)));
  const owned = modules.flatMap((m) => m.migrations.map((file) => ({ file, module: m.name })));
  const onDisk = fs.readdirSync(path.join(root, 'migrations')).filter((f) => f.endsWith('.sql')).sort();
  report('migrations owned', 'list the migration file in the `migrations` of the manifest of the module whose tables it changes', [
    ...onDisk.filter((f) => !owned.some((o) => o.file === f)).map((f) => `${f}: no manifest lists it`),
    ...owned.filter((o) => !onDisk.includes(o.file)).map((o) => `${o.file} (${o.module}): no such file`),
    ...owned.filter((o, i) => owned.findIndex((p) => p.file === o.file) !== i).map((o) => `${o.file}: listed twice`),
  ]);
});

/** The strongly connected groups of `graph` with more than one member, each as one cycle path. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      group.push(w);
    } while (w !== v);
    if (group.length > 1) groups.push(group);
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  // One path through each group: from its first member along edges inside the group, back to the start.
  return groups.map((group) => {
    const inside = new Set(group);
    const start = group.sort()[0]!;
    const seen = new Map<string, string>();
    const queue = [start];
    while (queue.length) {
      const v = queue.shift()!;
      for (const w of graph.get(v) ?? []) {
        if (w === start) {
          const path = [v];
          while (path[0] !== start) path.unshift(seen.get(path[0]!)!);
          return [...path, start];
        }
        if (inside.has(w) && !seen.has(w)) {
          seen.set(w, v);
          queue.push(w);
        }
      }
    }
    return group;
  });
}

test('no import cycle between files, nor between modules', () => {
  const fileGraph = new Map(srcFiles.map(({ file, imports }) => [file, new Set(imports.filter((i) => !i.typeOnly && i.target.startsWith('src/')).map((i) => i.target))]));
  report('no file cycles', 'move what both files need into a third file that imports neither (a module\'s own index.ts is for other modules, not for its files)',
    cycles(fileGraph).map((c) => c.join(' → ')));
  const moduleGraph = new Map<string, Set<string>>();
  for (const [file, targets] of fileGraph) {
    const from = moduleOf(file);
    if (from === null) continue;
    const edges = moduleGraph.get(from) ?? new Set<string>();
    for (const t of targets) {
      const to = moduleOf(t);
      if (to !== null && to !== from) edges.add(to);
    }
    moduleGraph.set(from, edges);
  }
  report('no module cycles', 'one of the two modules must not know the other: invert the dependency with an event (src/kernel/jobs) '
    + 'or a rule the using module registers in its manifest', cycles(moduleGraph).map((c) => c.join(' → ')));
});

test('no domain file imports fastify', () => {
  // HTTP lives in routes.ts files, the kernel's http part and the process entry points.
  const httpAllowed = (file: string) => path.basename(file) === 'routes.ts' || file.startsWith('src/kernel/http/') || topLayer.has(file);
  const offenders = srcFiles.filter((f) => !httpAllowed(f.file) && f.imports.some((i) => i.target === 'fastify' || i.target.startsWith('@fastify/')))
    .map((f) => f.file);
  report('HTTP only in routes.ts', 'keep the domain logic a plain function over a db handle and call it from the module\'s routes.ts', offenders);
});

/**
 * Raw table access does not leave a module: an index.ts may not hand on (re-export the values of) a
 * data-access file, i.e. rows.ts, queries.ts, *.queries.ts or a file in a queries/ folder. Types may go.
 */
const isDataAccess = (target: string) => /\/(rows|queries)\.ts$|\.queries\.ts$|\/queries\//.test(target);

test('no index.ts hands out raw table access', () => {
  const offenders = srcFiles.filter((f) => f.file.endsWith('/index.ts')).flatMap(({ file, imports }) => imports
    .filter((i) => i.reexport && !i.typeOnly && isDataAccess(i.target)).map((i) => `${file} → ${i.target}`));
  report('no raw reads across modules', 'other modules read through the module\'s commands; for hub rows, through the gateway '
    + '(callResource, askPredicate or evaluatePredicateInBulk: a grant, and evidence per person)', offenders);
  // The hub in particular: a module that reads hub rows itself skips the grant and leaves no evidence the citizen sees in 我的数据使用记录.
  const hubIndex = fs.readFileSync(path.join(root, 'src/hub/index.ts'), 'utf8');
  const exported = [...hubIndex.matchAll(/^export\s+(?!type\b)\{([^}]*)\}/gm)].flatMap((m) => m[1]!.split(',').map((n) => n.trim()));
  assert.ok(exported.includes('callResource'), 'the check reads the value exports of src/hub/index.ts');
  report('no raw reads across modules', 'remove it and read through the hub gateway (grant + evidence per subject)', exported.filter((name) => /^readRows/.test(name)));
});

test('the checks cover something: modules, imports and manifests to check', () => {
  assert.ok(srcFiles.length > 30);
  assert.ok(srcFiles.some((f) => f.file.endsWith('routes.ts') && f.imports.some((i) => i.target === 'typebox')));
  assert.ok(modules.length >= 8);
  assert.ok(files.some((f) => f.file.startsWith('bench/') && f.imports.some((i) => i.target.startsWith('src/'))));
});
