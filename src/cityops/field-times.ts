/**
 * The rules a field worker's phone is held to (现场作业): how close counts as arrived, how old a position may
 * be, and which times a phone may claim. A phone without network queues its acts and sends them later with
 * the time they were done (`recordedAt`); the server takes that time, within these bounds.
 */
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';

/** 签到范围: a check-in counts within this many metres of the task, plus the phone's stated accuracy up to ACCURACY_CAP_METRES. */
export const GEOFENCE_METRES = 200;
export const ACCURACY_CAP_METRES = 100;
/** A position (the phone's fix) older than this, against the time of the act, is refused. */
export const POSITION_MAX_AGE_MINUTES = 10;
/** How far ahead of the server's clock a phone's clock may run. */
export const CLOCK_SKEW_MS = 2 * 60_000;

/** The fence around a task: its radius (a check-in's by default) plus the phone's stated accuracy, capped. */
export const fenceMetres = (accuracy: number | null | undefined, radius = GEOFENCE_METRES) =>
  radius + Math.min(Math.max(accuracy ?? 0, 0), ACCURACY_CAP_METRES);

/**
 * The time a phone says it did something: `now` when it says nothing; refused (field `recordedAt`) when it
 * lies ahead of the server's clock or before `notBefore` (the task began then).
 */
export function actTime(recordedAt: Date | string | null | undefined, now: Date, notBefore: Date): Date {
  if (recordedAt === null || recordedAt === undefined) return now;
  const at = new Date(recordedAt);
  if (Number.isNaN(at.getTime())) throw new DomainError('cityops.field.bad-time', { field: 'recordedAt' });
  if (at.getTime() > now.getTime() + CLOCK_SKEW_MS)
    throw new DomainError('cityops.field.future-time', { field: 'recordedAt' }, 'the time given lies in the future');
  if (at.getTime() < notBefore.getTime())
    throw new DomainError('cityops.field.before-task', { field: 'recordedAt', notBefore: notBefore.toISOString() }, 'the time given is before the task began');
  return at;
}

/** The phone's fix time: refused (field `at`) when older than POSITION_MAX_AGE_MINUTES before `when`, or after it. */
export function positionTime(at: Date | string, when: Date): Date {
  const fix = new Date(at);
  if (Number.isNaN(fix.getTime())) throw new DomainError('cityops.field.bad-time', { field: 'at' });
  const ageMinutes = Math.floor((when.getTime() - fix.getTime()) / 60_000);
  if (ageMinutes >= POSITION_MAX_AGE_MINUTES)
    throw new DomainError('cityops.field.stale-position', { field: 'at', ageMinutes, maxMinutes: POSITION_MAX_AGE_MINUTES },
      `the position is ${ageMinutes} minutes old, more than ${POSITION_MAX_AGE_MINUTES}`);
  if (fix.getTime() > when.getTime() + CLOCK_SKEW_MS) throw new DomainError('cityops.field.future-time', { field: 'at' }, 'the position\'s time lies in the future');
  return fix;
}

/** The worker's latest arrival check-in for a step of the case since `since` (the step's start), or null. */
export async function arrivalSince(db: Queryable, caseId: number, userId: number, step: string, since: Date): Promise<{ recordedAt: Date } | null> {
  const { rows } = await db.query<{ recordedAt: Date }>(
    `SELECT recorded_at AS "recordedAt" FROM cityops_field_checkins WHERE case_id = $1 AND user_id = $2 AND step = $3 AND recorded_at >= $4
      ORDER BY recorded_at DESC LIMIT 1`, [caseId, userId, step, since]);
  return rows[0] ?? null;
}
