/**
 * The demo city's jurisdiction disputes (管辖争议): cases waiting in the command centre's queue, opened
 * through the commands themselves, so each has its history and ledger entries. Two lie a few metres inside
 * 广安区 from the line with a neighbouring county whose catalogue unit differs (the points are found on the
 * generated grids, which meet on shared vertices); one was returned by two units of 广安区.
 */
import { systemActor, type Ctx } from '../kernel/auth/index.ts';
import { divisionPrefix } from '../kernel/checks/index.ts';
import type { DemoContext } from '../kernel/module.ts';
import { dispatchCase, fileCase, openCase, returnCase } from './cases.ts';
import { findOwner } from './ownership.ts';
import { deskKinds } from './policy.ts';

const BOUNDARY_DISPUTES = 2;
/** How far inside its own grid a disputed point is put from the shared corner. */
const INSIDE_METRES = 12;

const descriptions = ['道路交界处堆放生活垃圾，两侧均称不属本辖区', '交界路段人行道暴露垃圾约2平方米'];

export async function loadDisputesDemo({ tx, city, cityCode }: DemoContext): Promise<{ cityopsDisputes: number }> {
  const ctx: Ctx = { tx, actor: { ...systemActor('demo'), name: '数字城管演示' }, now: new Date() };
  const gaCounty = `${cityCode.slice(0, 4)}02`;
  const byVertex = new Map<string, string[]>();
  for (const grid of city.grids)
    for (const [lon, lat] of grid.geometry.coordinates[0]!) byVertex.set(`${lon},${lat}`, [...(byVertex.get(`${lon},${lat}`) ?? []), grid.divisionCode12.slice(0, 6)]);
  let opened = 0;
  const neighbours = new Set<string>();
  for (const grid of city.grids.filter((g) => g.divisionCode12.startsWith(gaCounty))) {
    if (opened >= BOUNDARY_DISPUTES) break;
    const ring = grid.geometry.coordinates[0]!;
    const centre = [ring.reduce((s, p) => s + p[0]!, 0) / ring.length, ring.reduce((s, p) => s + p[1]!, 0) / ring.length] as const;
    for (const [lon, lat] of ring) {
      const other = byVertex.get(`${lon},${lat}`)!.find((county) => county !== gaCounty && !neighbours.has(county));
      if (!other) continue;
      // From the shared corner a few metres toward the grid's centre: inside 广安区, near the other county.
      const [dx, dy] = [(centre[0] - lon!) * 111_320 * Math.cos((lat! * Math.PI) / 180), (centre[1] - lat!) * 111_320];
      const scale = INSIDE_METRES / Math.hypot(dx, dy);
      const point = { lon: Math.round((lon! + (centre[0] - lon!) * scale) * 1e6) / 1e6, lat: Math.round((lat! + (centre[1] - lat!) * scale) * 1e6) / 1e6 };
      const owner = await findOwner(tx, { kindCode: 'E0102', divisionCode: grid.divisionCode12, componentCode: null, gridCode: grid.code, ...point });
      if (owner.kind !== 'disputed') continue;
      const c = await openCase(ctx, { source: 'command', kindCode: 'E0102', description: descriptions[opened % descriptions.length]!, address: `${grid.name}交界处`, ...point });
      await fileCase(ctx, { caseId: c.id });
      await dispatchCase(ctx, { caseId: c.id });
      neighbours.add(other);
      opened++;
      break;
    }
  }

  // 退回 twice: the catalogue's unit, then the unit the command centre chose instead (住建, for a residential road).
  const { rows: units } = await tx.query<{ id: number }>(
    `SELECT id::int FROM departments WHERE division_code = $1 AND kind <> ALL($2::text[]) AND kind <> 'urban-management'
      ORDER BY (kind = 'housing') DESC, code LIMIT 1`,
    [`${gaCounty}000000`, Object.values(deskKinds)]);
  const inner = city.grids.find((g) => g.divisionCode12.startsWith(gaCounty))!;
  const ring = inner.geometry.coordinates[0]!;
  const centre = { lon: Math.round(ring.reduce((s, p) => s + p[0]!, 0) / ring.length * 1e6) / 1e6, lat: Math.round(ring.reduce((s, p) => s + p[1]!, 0) / ring.length * 1e6) / 1e6 };
  const owner = await findOwner(tx, { kindCode: 'E0102', divisionCode: inner.divisionCode12, componentCode: null, gridCode: inner.code, ...centre });
  if (units[0] && owner.kind === 'single') {
    const c = await openCase(ctx, { source: 'command', kindCode: 'E0102', description: '小区门口道路堆放装修垃圾', address: `${inner.name}小区门口`, ...centre });
    await fileCase(ctx, { caseId: c.id });
    await dispatchCase(ctx, { caseId: c.id });
    await returnCase(ctx, { caseId: c.id, reason: '该路段为小区内部道路，由物业负责，不属市政道路保洁范围' });
    await dispatchCase(ctx, { caseId: c.id, departmentId: units[0].id });
    await returnCase(ctx, { caseId: c.id, reason: '装修垃圾清运不属本单位职责' });
    opened++;
  }
  return { cityopsDisputes: opened };
}

/** Removes the rules decisions made in the city (its cases, and their disputes with them, go with the cases' reset). */
export async function removeDisputesDemo({ tx, cityCode }: DemoContext): Promise<{ jurisdictionRules: number }> {
  const { rowCount } = await tx.query('DELETE FROM cityops_jurisdiction_rules WHERE division_code LIKE $1', [`${divisionPrefix(cityCode)}%`]);
  return { jurisdictionRules: rowCount ?? 0 };
}
