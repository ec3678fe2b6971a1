// Components (部件) of the demo city: the time to load the demo's 200,000 components (with the divisions,
// departments and grids they sit in), then a box query over them as a map layer asks it: 500 boxes of
// about 2 km × 2 km at random places of the city, as a 广安区 officer (jurisdiction filter on), at most
// 5,000 points each. Prints the demo load time and the p50/p95 of the box query.
import { componentsInBox } from '../src/cityops/index.ts';
import { loadDemoCity } from '../src/demo.ts';
import { jurisdictionOf, systemActor, type Actor } from '../src/kernel/auth/index.ts';
import { createRng, generateCity } from '../src/kernel/demo/index.ts';
import { modules } from '../src/modules.ts';
import { scratchDatabase } from './_database.ts';
import { report } from './_report.ts';

const seed = 'bench-cityops';
const { db, close } = await scratchDatabase('cityops', { dataDir: 'bench-cityops', port: Number(process.env.YIWANG_PG_PORT ?? 54346), poolSize: 4 });
// What the components need of the demo city, without the other modules' demo rows.
const needed = new Set(['platform', 'ledger', 'demo', 'org', 'auth', 'calendar', 'cityops']);
const started = performance.now();
await loadDemoCity(db, { seed }, modules.filter((m) => needed.has(m.name)));
report('cityops demo load (org + 200,000 components)', (performance.now() - started) / 1000, 's');
const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM cityops_components');
await db.query('ANALYZE cityops_components');

const officer: Actor = { ...systemActor('bench'), kind: 'staff', grants: new Set(['cityops.component.read']), jurisdiction: jurisdictionOf('511602000000') };
const outer = generateCity(seed).grids.flatMap((g) => g.geometry.coordinates[0]!);
const [minLon, minLat, maxLon, maxLat] = [Math.min(...outer.map((p) => p[0]!)), Math.min(...outer.map((p) => p[1]!)),
  Math.max(...outer.map((p) => p[0]!)), Math.max(...outer.map((p) => p[1]!))];
const rng = createRng(`${seed}/boxes`);
const side = 0.02;
const times: number[] = [];
let points = 0;
for (let i = 0; i < 500; i++) {
  const lon = rng.float(minLon, maxLon - side);
  const lat = rng.float(minLat, maxLat - side);
  const t0 = performance.now();
  const answer = await componentsInBox(db, officer, { bbox: [lon, lat, lon + side, lat + side], limit: 5000 });
  times.push(performance.now() - t0);
  points += answer.points.length;
}
times.sort((a, b) => a - b);
report('cityops bbox query p50', times[Math.floor(times.length * 0.5)]!, 'ms', { components: rows[0]!.n });
report('cityops bbox query p95', times[Math.floor(times.length * 0.95)]!, 'ms', { components: rows[0]!.n, meanPoints: Math.round(points / times.length) });
await close();
