/**
 * Evidence (佐证材料) of a rectification step or a progress report: files sent with the act, kept with it, and
 * read back only by those who may see the problem or task they belong to. Their SHA-256 goes into the act's
 * ledger payload, so a file swapped later no longer matches the entry.
 */
import crypto from 'node:crypto';
import type { Actor } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { assertSees, supervisionActions } from './policy.ts';

export const attachmentTypes = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;
export const attachmentMaxBytes = 4 * 1024 * 1024;
export const attachmentMaxCount = 5;

export interface AttachmentInput {
  name: string;
  contentType: (typeof attachmentTypes)[number];
  /** The file, base64. */
  data: string;
}

export interface Attachment {
  id: string;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
}

/** Stores the files of a step or a report; returns what the ledger payload and the page show of them. */
export async function storeAttachments(tx: Queryable, owner: { stepId: number } | { reportId: number }, files: readonly AttachmentInput[]): Promise<Attachment[]> {
  if (files.length > attachmentMaxCount) throw new DomainError('validation', { field: 'attachments' }, `at most ${attachmentMaxCount} files`);
  const out: Attachment[] = [];
  for (const [i, file] of files.entries()) {
    const bytes = Buffer.from(file.data, 'base64');
    if (bytes.length === 0 || bytes.length > attachmentMaxBytes)
      throw new DomainError('supervision.attachment.size', { field: `attachments.${i}.data`, max: attachmentMaxBytes }, 'a file is empty or too large');
    const attachment = { id: crypto.randomUUID(), name: file.name.trim().slice(0, 200) || 'file', contentType: file.contentType, size: bytes.length,
      sha256: crypto.createHash('sha256').update(bytes).digest('hex') };
    await tx.query(`INSERT INTO supervision_attachments (id, step_id, report_id, name, content_type, size, sha256, bytes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [attachment.id, 'stepId' in owner ? owner.stepId : null, 'reportId' in owner ? owner.reportId : null, attachment.name, attachment.contentType,
        attachment.size, attachment.sha256, bytes]);
    out.push(attachment);
  }
  return out;
}

const listColumns = 'x.id, x.name, x.content_type AS "contentType", x.size, x.sha256';

/** The files of the given steps or reports, by owner id. */
export async function attachmentsOf(db: Queryable, column: 'step_id' | 'report_id', ids: readonly number[]): Promise<Map<number, Attachment[]>> {
  const { rows } = await db.query<Attachment & { owner: number }>(
    `SELECT ${listColumns}, x.${column}::int AS owner FROM supervision_attachments x WHERE x.${column} = ANY($1::bigint[]) ORDER BY x.name`, [ids]);
  const out = new Map<number, Attachment[]>();
  for (const { owner, ...file } of rows) out.set(owner, [...(out.get(owner) ?? []), file]);
  return out;
}

/** A file, for whoever may see the problem or the task it is evidence of; others get 404. */
export async function readAttachment(db: Queryable, actor: Actor, id: string): Promise<Attachment & { bytes: Buffer }> {
  const { rows: [row] } = await db.query<Attachment & { bytes: Buffer; divisionCode: string; departmentId: number; problem: boolean }>(
    `SELECT ${listColumns}, x.bytes, coalesce(p.division_code, t.division_code) AS "divisionCode",
            coalesce(p.department_id, t.department_id)::int AS "departmentId", p.id IS NOT NULL AS problem
       FROM supervision_attachments x
       LEFT JOIN supervision_steps s ON s.id = x.step_id LEFT JOIN supervision_problems p ON p.id = s.problem_id
       LEFT JOIN supervision_reports r ON r.id = x.report_id LEFT JOIN supervision_tasks t ON t.id = r.task_id
      WHERE x.id = $1`, [id]);
  if (!row) throw new DomainError('supervision.attachment.not-found', { status: 404, id });
  assertSees(actor, row.problem ? supervisionActions.readProblems : supervisionActions.readTasks, row, 'attachment', id);
  return row;
}
