/**
 * Demo data of the closed loop's later parts, on top of the hotline demo: the knowledge base, two reports
 * the demo citizen `citizen1` filed from the portal (their 我的诉求), and a ticket dispatched to a main and
 * a co-handling department (主办/协办). Made by the same commands staff and citizens use.
 */
import { demoLogins, jurisdictionOf, systemActor, type Actor, type Ctx } from '../kernel/auth/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { createTicket } from './intake.ts';
import { loadDemoKnowledge } from './knowledge.ts';
import { fileReport } from './reports.ts';
import { acceptTicket, dispatchTicket } from './workflow.ts';

export interface OpsDemoSummary {
  knowledge: number;
  citizenReports: number;
  coHandled: number;
  officerTickets: number;
}

/** The centre of the first grid of a county of the demo city: a point every report there can use. */
async function gridCentre(ctx: Ctx, countyCode: string): Promise<{ lon: number; lat: number; name: string } | null> {
  const { rows: [grid] } = await ctx.tx.query<{ name: string; geometry: { coordinates: number[][][] } }>(
    `SELECT v.name, g.geometry FROM grids g JOIN divisions v ON v.code = g.division_code WHERE g.division_code LIKE $1 ORDER BY g.code LIMIT 1`,
    [`${countyCode.slice(0, 6)}%`]);
  if (!grid) return null;
  const ring = grid.geometry.coordinates[0]!;
  const mean = (i: number) => Math.round((ring.slice(0, -1).reduce((sum, p) => sum + p[i]!, 0) / (ring.length - 1)) * 1e6) / 1e6;
  return { lon: mean(0), lat: mean(1), name: grid.name };
}

export async function loadHotlineOpsDemo(ctx: Ctx, opts: { countyCode?: string } = {}): Promise<OpsDemoSummary> {
  const knowledge = await loadDemoKnowledge(ctx);
  const countyCode = opts.countyCode ?? '511602000000';
  const place = await gridCentre(ctx, countyCode);
  if (!place) return { knowledge, citizenReports: 0, coHandled: 0, officerTickets: 0 };

  let citizenReports = 0;
  const { rows: [citizen] } = await ctx.tx.query<{ id: string; name: string }>(
    `SELECT id::text, display_name AS name FROM users WHERE username = 'citizen1' AND kind = 'citizen'`);
  if (citizen) {
    // Filing a report needs no grant: the citizen is only named as the reporter.
    const actor: Actor = { kind: 'citizen', id: citizen.id, name: citizen.name, roles: ['citizen'], grants: new Set(),
      jurisdiction: jurisdictionOf(null), departmentId: null };
    const reports = [
      { channel: 'web' as const, description: '小区门口的垃圾桶满了好几天没人清运，气味很大', categoryCode: 'CG-SRHW-LJQY' },
      { channel: 'app' as const, description: '路口红绿灯一直闪黄灯，早晚高峰很危险', categoryCode: 'JT-XHD' },
    ];
    for (const report of reports) {
      await fileReport({ ...ctx, actor }, { ...report, lon: place.lon, lat: place.lat, address: `${place.name}附近`, clientAddress: 'demo' });
      citizenReports++;
    }
  }

  // 主办/协办: a water leak on a street, handled by urban management with the water authority's help.
  let coHandled = 0;
  const { rows: [water] } = await ctx.tx.query<{ id: number }>(
    `SELECT id::int FROM departments WHERE kind = 'water' AND division_code = $1 ORDER BY id LIMIT 1`, [countyCode]);
  if (water) {
    const demo = { ...ctx, actor: systemActor('demo') };
    const ticket = await createTicket(demo, { channel: 'phone', kind: 'complaint', categoryCode: 'CG-SRHW-LJQY', description:
      '菜市场旁边垃圾堆放点污水横流，旁边的自来水管好像也在漏水', lon: place.lon, lat: place.lat, address: `${place.name}菜市场`,
      callerName: '周敏', callerPhone: '13990001234' });
    const dispatched = await dispatchTicket(demo, { ticketId: ticket.id, coDepartmentIds: [water.id] }).catch((error: unknown) => {
      if (error instanceof DomainError) return null; // refused: the demo has no co-handled ticket
      throw error;
    });
    if (dispatched) coHandled++;
  }
  return { knowledge, citizenReports, coHandled, officerTickets: await loadOfficerWork(ctx) };
}

/** Complaints for a department of each kind the demo officers' departments are, in their own words. */
const workOf: Record<string, { description: string; category: string }[]> = {
  'civil-affairs': [
    { description: '我家老人今年八十岁了，高龄津贴一直没有发放，想问问什么原因', category: 'SB-YLFW' },
    { description: '家里因病致贫，申请低保两个月了还没有消息，希望尽快审核', category: 'SB-DBJZ' },
    { description: '小区里的社区养老服务站一直锁着门，老人想去活动没有地方', category: 'SB-YLFW' },
    { description: '邻居独居老人生活困难，无人照料，希望民政部门上门看看', category: 'SB-DBJZ' },
  ],
};

/**
 * Work waiting for every printed demo officer of a department (not the centre): tickets of their county,
 * in their department's field, dispatched to them over the last two days, half of them signed for
 * (办理中), the rest waiting to be signed for (待签收). Without these the random tickets could all go elsewhere.
 */
async function loadOfficerWork(ctx: Ctx): Promise<number> {
  const officers = demoLogins.filter((l) => l.role === 'officer').map((l) => l.username);
  const { rows: departments } = await ctx.tx.query<{ id: number; kind: string; divisionCode: string }>(
    `SELECT DISTINCT d.id::int, d.kind, d.division_code AS "divisionCode" FROM users u JOIN departments d ON d.id = u.department_id
      WHERE u.username = ANY($1) ORDER BY 1`, [officers]);
  const demo = { ...ctx, actor: systemActor('demo') };
  let made = 0;
  for (const department of departments) {
    const complaints = workOf[department.kind] ?? [];
    const place = complaints.length === 0 ? null : await gridCentre(ctx, department.divisionCode);
    if (!place) continue;
    for (const [i, complaint] of complaints.entries()) {
      const at = (hoursAgo: number) => ({ ...demo, now: new Date(ctx.now.getTime() - hoursAgo * 3_600_000) });
      const ticket = await createTicket(at(40 - i * 9), { channel: i % 2 ? 'web' : 'phone', kind: 'help', categoryCode: complaint.category,
        description: complaint.description, lon: place.lon, lat: place.lat, address: `${place.name}${['建设路', '人民路', '兴平路', '育才路'][i]}${12 + i * 7}号`,
        callerName: ['李秀英', '王强', '陈静', '刘涛'][i], callerPhone: `1398000${String(1000 + i * 37 + department.id).padStart(4, '0')}` });
      await dispatchTicket(at(39 - i * 9), { ticketId: ticket.id, departmentId: department.id });
      if (i % 2 === 0) await acceptTicket(at(37 - i * 9), { ticketId: ticket.id });
      made++;
    }
  }
  return made;
}
