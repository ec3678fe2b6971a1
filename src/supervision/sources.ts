/**
 * 发现: findings of other modules that may go on a problem list, each with the reference that keeps it from
 * going on twice: areas and categories of 12345 reports rising this week (hotline hotspots) and bad ratings
 * of 好差评 waiting for rectification.
 */
import { assertCan, hasGrant, type Actor } from '../kernel/auth/index.ts';
import { chinaDay } from '../kernel/calendar/index.ts';
import type { Db, Queryable } from '../kernel/db/index.ts';
import { findHotspots } from '../hotline/index.ts';
import { listRectifications } from '../services/index.ts';
import { supervisionActions as a } from './policy.ts';
import type { ProblemSource } from './problems.ts';

export interface Finding {
  source: ProblemSource;
  sourceRef: string;
  /** The area, category or service item the finding is about. */
  subject: string;
  /** The leading category of a rising area. */
  topic: string | null;
  thisWeek: number | null;
  weeklyAverage: number | null;
  comment: string | null;
  kind: string;
  divisionCode: string | null;
  departmentId: number | null;
  /** The problem already opened from it. */
  problem: { id: number; number: string } | null;
}

/** What the sources show the actor now; hotline and ratings findings only to those who may read them. */
export async function listFindings(db: Db, actor: Actor, now = new Date()): Promise<Finding[]> {
  assertCan(actor, a.openProblem);
  const out: Omit<Finding, 'problem'>[] = [];
  if (hasGrant(actor, 'hotline.ticket.read')) {
    const asOf = chinaDay(now);
    const spots = await findHotspots(db, actor, { asOf, level: 'township' });
    for (const f of spots.features.filter((x) => x.properties.rising)) {
      const top = f.properties.topCategories[0];
      out.push({ source: 'hotline-hotspot', sourceRef: `${f.properties.code}@${asOf}`, subject: f.properties.name, topic: top?.name ?? null,
        thisWeek: f.properties.thisWeek, weeklyAverage: f.properties.weeklyAverage, comment: null, kind: top?.code ?? 'hotline',
        divisionCode: f.properties.code, departmentId: null });
    }
    for (const c of spots.categories.filter((x) => x.rising))
      out.push({ source: 'hotline-category', sourceRef: `${c.code}@${asOf}`, subject: c.name, topic: null, thisWeek: c.thisWeek,
        weeklyAverage: c.weeklyAverage, comment: null, kind: c.code, divisionCode: null, departmentId: null });
  }
  if (hasGrant(actor, 'services.rating.read')) {
    const { items } = await listRectifications(db, actor, { state: ['verify', 'rectify'], limit: 50, offset: 0 });
    for (const r of items)
      out.push({ source: 'rating', sourceRef: `rectification:${r.id}`, subject: r.itemName, topic: r.departmentName, thisWeek: null, weeklyAverage: null,
        comment: r.comment, kind: `item:${r.itemName}`, divisionCode: r.divisionCode, departmentId: r.departmentId });
  }
  return withProblems(db, out);
}

async function withProblems(db: Queryable, findings: Omit<Finding, 'problem'>[]): Promise<Finding[]> {
  const { rows } = await db.query<{ source: string; sourceRef: string; id: number; number: string }>(
    `SELECT source, source_ref AS "sourceRef", id::int, number FROM supervision_problems WHERE source_ref = ANY($1)`, [findings.map((f) => f.sourceRef)]);
  const opened = new Map(rows.map((r) => [`${r.source} ${r.sourceRef}`, { id: r.id, number: r.number }]));
  return findings.map((f) => ({ ...f, problem: opened.get(`${f.source} ${f.sourceRef}`) ?? null }));
}
