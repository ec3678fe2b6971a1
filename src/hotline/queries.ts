/**
 * The hotline's SQL for its hot path, in one place: the columns a ticket is read with, the one statement that
 * writes intake (受理) and the read of open tickets nearby that intake and the duplicates check share.
 * intake.ts builds the values; this file holds every statement they go into.
 */
import type { Actor } from '../kernel/auth/index.ts';
import { prepared, StatementGroups, type Queryable } from '../kernel/db/index.ts';
import { ledgerQueueSql } from '../kernel/ledger/index.ts';
import { ticketScope } from './policy.ts';
import { openStates } from './states.ts';

export const ticketColumns = `t.id::int, t.number, t.channel, t.kind, t.category_id::int AS "categoryId", c.code AS "categoryCode", c.ancestry::int[] AS "categoryAncestry",
  (SELECT array_agg(a.name ORDER BY array_position(c.ancestry, a.id)) FROM hotline_categories a WHERE a.id = ANY(c.ancestry)) AS "categoryPath",
  t.urgency, t.emergency, t.emergency_kind AS "emergencyKind", t.transfer_to AS "transferTo",
  (SELECT s.code FROM hotline_categories s WHERE s.id = t.suggested_category_id) AS "suggestedCategoryCode",
  t.suggestion_confidence AS "suggestionConfidence", t.category_corrected AS "categoryCorrected", t.description, t.lon, t.lat, t.address, t.address_mismatch AS "addressMismatch", t.division_code AS "divisionCode", t.grid_code AS "gridCode",
  t.anonymous, t.caller_name AS "callerName", t.caller_phone AS "callerPhone", t.citizen_id::int AS "citizenId",
  t.intake_actor AS "intakeActor", t.state, t.department_id::int AS "departmentId",
  (SELECT d.name FROM departments d WHERE d.id = t.department_id) AS "departmentName",
  t.main_ticket_id::int AS "mainTicketId", t.reopen_count AS "reopenCount", t.reply, t.resolved, t.satisfaction,
  t.needs_supervision AS "needsSupervision", t.received_at AS "receivedAt", t.dispatched_at AS "dispatchedAt",
  t.accepted_at AS "acceptedAt", t.replied_at AS "repliedAt", t.closed_at AS "closedAt", t.called_back_at AS "calledBackAt",
  t.accept_due AS "acceptDue", t.reply_due AS "replyDue", t.resolve_due AS "resolveDue",
  t.deadline_provisional AS "deadlineProvisional", t.updated_at AS "updatedAt"`;
export const ticketFrom = 'hotline_tickets t JOIN hotline_categories c ON c.id = t.category_id';


export const EARTH_RADIUS_M = 6_371_008.8;
// Written into the statement, not passed: a plan made once for every call can then use the index of open tickets.
const openStateList = openStates.map((state) => `'${state}'`).join(', ');
const METRES_PER_DEGREE_LAT = (Math.PI * EARTH_RADIUS_M) / 180;

/**
 * Open tickets of a category near a point that the actor may see, nearest first, each input an SQL
 * expression: a placeholder, or a column of the ticket being written when intake looks in the same statement.
 */
export function nearbyOpenTicketsSql(actor: Actor, centre: boolean, near: {
  categoryId: string; lon: string; lat: string; radiusMetres: string; excludeId: string; limit: string;
}, params: unknown[]): string {
  const { categoryId, lon, lat, radiusMetres, excludeId, limit } = near;
  // A box around the point first, which the index on (category, lat, lon) narrows; then the true distance.
  const dLat = `(${radiusMetres} / ${METRES_PER_DEGREE_LAT})`;
  const dLon = `(${dLat} / greatest(0.01, cos(radians(${lat}))))`;
  const scope = ticketScope(actor, centre, params);
  return `SELECT * FROM (
       SELECT t.id::int, t.number, t.state, t.description, t.address, t.lon, t.lat, t.received_at AS "receivedAt",
         2 * ${EARTH_RADIUS_M} * asin(least(1, sqrt(
           power(sin(radians(t.lat - ${lat}) / 2), 2) + cos(radians(${lat})) * cos(radians(t.lat)) * power(sin(radians(t.lon - ${lon}) / 2), 2)
         ))) AS "distanceMetres"
       FROM hotline_tickets t
      WHERE t.category_id = ${categoryId} AND t.state IN (${openStateList}) AND t.id <> ${excludeId}
        AND t.lat BETWEEN ${lat} - ${dLat} AND ${lat} + ${dLat} AND t.lon BETWEEN ${lon} - ${dLon} AND ${lon} + ${dLon}
        AND ${scope}
     ) near WHERE "distanceMetres" <= ${radiusMetres} ORDER BY "distanceMetres", id LIMIT ${limit}`;
}


/** The values of one ticket in the intake statement, one array per column across the tickets it writes. */
const intakeColumns = {
  day: 'text', channel: 'text', kind: 'text', category_id: 'bigint', urgency: 'text', emergency: 'boolean', description: 'text',
  lon: 'float8', lat: 'float8', address: 'text', address_mismatch: 'jsonb', division_code: 'text', grid_code: 'text', anonymous: 'boolean', caller_name: 'text',
  caller_phone: 'text', citizen_id: 'bigint', intake_actor: 'text', received_at: 'timestamptz', reply_due: 'timestamptz',
  resolve_due: 'timestamptz', deadline_provisional: 'boolean', emergency_kind: 'text', transfer_to: 'text', suggested_category_id: 'bigint',
  suggestion_confidence: 'float8', category_corrected: 'boolean', actor_kind: 'text', actor_id: 'text', actor_name: 'text',
  payload_hash: 'bytea', correction_text: 'text', correction_label: 'text',
} as const;
export type IntakeRow = Record<keyof typeof intakeColumns, unknown>;
const intakeColumnNames = Object.keys(intakeColumns) as (keyof typeof intakeColumns)[];

/** Who looks for open tickets nearby in the intake statement, and how far; none for a citizen's own report. */
export interface NearbyRead { actor: Actor; centre: boolean; radiusMetres: number }

/**
 * The statement writing tickets, for every number of them: each ticket's id, its number (received day + id),
 * the row, its first history event, its ledger entry, the operator's correction (纠正) if any, the row as read
 * back and, for a ticket with a point, the open tickets nearby (as JSON). `params` holds the nearby read's own
 * values; the tickets' arrays follow them when the statement runs.
 */
export function intakeStatement(nearby: NearbyRead | null, params: unknown[]): { text: string; params: unknown[] } {
  const read = nearby && nearbyOpenTicketsSql(nearby.actor, nearby.centre, { categoryId: 'n.category_id', lon: 'n.lon', lat: 'n.lat',
    radiusMetres: `$${params.push(nearby.radiusMetres)}::float8`, excludeId: '0', limit: '5' }, params);
  const ledger = ledgerQueueSql([{ actorSql: { kind: 'n.actor_kind', id: 'n.actor_id' }, action: 'hotline.ticket.received',
    object: { type: 'ticket', idSql: 't.number' }, payloadHashSql: 'n.payload_hash', atSql: 'n.received_at' }], params,
  'created t JOIN n ON n.id = t.id ORDER BY n.ord');
  const arrays = intakeColumnNames.map((name, i) => `$${params.length + i + 1}::${intakeColumns[name]}[]`);
  const text = `WITH n AS (
       SELECT nextval(pg_get_serial_sequence('hotline_tickets', 'id')) AS id, i.*
         FROM unnest(${arrays.join(', ')}) WITH ORDINALITY AS i (${intakeColumnNames.join(', ')}, ord)),
     created AS (
       INSERT INTO hotline_tickets (id, number, channel, kind, category_id, urgency, emergency, description, lon, lat, address,
         address_mismatch, division_code, grid_code, anonymous, caller_name, caller_phone, citizen_id, intake_actor, state, received_at,
         reply_due, resolve_due, deadline_provisional, updated_at, emergency_kind, transfer_to, suggested_category_id, suggestion_confidence,
         category_corrected)
       SELECT id, day || lpad(id::text, greatest(6, length(id::text)), '0'), channel, kind, category_id, urgency, emergency, description, lon, lat,
         address, address_mismatch, division_code, grid_code, anonymous, caller_name, caller_phone, citizen_id, intake_actor, 'received', received_at,
         reply_due, resolve_due, deadline_provisional, received_at, emergency_kind, transfer_to, suggested_category_id, suggestion_confidence,
         category_corrected
         FROM n
       RETURNING *),
     event AS (
       INSERT INTO hotline_ticket_events (ticket_id, at, actor_kind, actor_id, actor_name, action, from_state, to_state)
       SELECT id, received_at, actor_kind, actor_id, actor_name, 'hotline.ticket.received', NULL, 'received' FROM n),
     ledger AS (${ledger}),
     correction AS (
       INSERT INTO hotline_classifier_examples (text, label, source, ticket_id, created_at)
       SELECT n.correction_text, n.correction_label, 'operator', n.id, n.received_at FROM n WHERE n.correction_text IS NOT NULL)
     SELECT n.ord, ${ticketColumns},
       ${read ? `CASE WHEN n.lon IS NOT NULL THEN (SELECT json_agg(a) FROM (${read}) a) END` : 'NULL'} AS nearby
       FROM created t JOIN n ON n.id = t.id JOIN hotline_categories c ON c.id = t.category_id`;
  return { text, params };
}

/** A ticket as `ticketColumns` reads it back (tickets.ts types it), with the open tickets found nearby. */
type Written = Record<string, unknown> & { nearby: unknown[] | null };

/**
 * Concurrent intakes of one shape (the same nearby read) written by one statement: one executor start, one
 * set of constraint checks and one commit for a busy second's tickets instead of one each.
 */
const intakeGroups = new StatementGroups<{ text: string; params: unknown[] }, IntakeRow, Written>(async (db, { text, params }, rows) => {
  const { rows: written } = await db.query<Written & { ord: number }>(prepared(text, [...params, ...intakeColumnNames.map((name) => rows.map((r) => r[name]))]));
  const byOrder = new Map(written.map(({ ord, ...ticket }) => [Number(ord), ticket]));
  return rows.map((_, i) => byOrder.get(i + 1)!);
});

/**
 * Writes one ticket by the intake statement: in the command's transaction, or, outside one (`grouped`), in a
 * statement it may share with other intakes of the same shape (group commit), which is then the whole command.
 */
export async function writeIntake<T>(db: Queryable, statement: { text: string; params: unknown[] }, row: IntakeRow, grouped: boolean)
  : Promise<T & { nearby: unknown[] | null }> {
  const written = grouped ? await intakeGroups.submit(db, JSON.stringify(statement), statement, row) : (await intakeGroups.run(db, statement, [row]))[0]!;
  return written as T & { nearby: unknown[] | null };
}
