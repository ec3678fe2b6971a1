/**
 * What a ticket shows of its co-handlers (主办/协办) and photos: reads the ticket, its commands and the
 * photo checks share, kept apart from cohandling.ts and photos.ts so that tickets.ts needs neither.
 */
import type { Queryable } from '../kernel/db/index.ts';
import type { TicketState } from './states.ts';

export interface CoHandler {
  departmentId: number;
  departmentName: string;
  reply: string | null;
  repliedAt: Date | null;
}

export async function coHandlersOf(db: Queryable, ticketId: number): Promise<CoHandler[]> {
  const { rows } = await db.query<CoHandler>(
    `SELECT h.department_id::int AS "departmentId", d.name AS "departmentName", h.reply, h.replied_at AS "repliedAt"
       FROM hotline_co_handlers h JOIN departments d ON d.id = h.department_id WHERE h.ticket_id = $1 ORDER BY h.assigned_at, d.id`, [ticketId]);
  return rows;
}

export async function isCoHandler(db: Queryable, ticketId: number, departmentId: number | null): Promise<boolean> {
  if (departmentId === null) return false;
  const { rowCount } = await db.query('SELECT 1 FROM hotline_co_handlers WHERE ticket_id = $1 AND department_id = $2', [ticketId, departmentId]);
  return rowCount !== 0;
}

/** While the ticket is with the departments, co-handlers may give their opinion. */
export const coReplyStates: readonly TicketState[] = ['dispatched', 'accepted', 'returned', 'replied'];

export async function photoIdsOf(db: Queryable, ticketId: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM hotline_photos WHERE ticket_id = $1 ORDER BY uploaded_at, id', [ticketId]);
  return rows.map((r) => r.id);
}
