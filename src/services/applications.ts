/**
 * 申请 (办件): a citizen applies once, online. A draft keeps the form between visits; submission checks the
 * form against the item's JSON Schema and the materials, then gives a receipt number (受理编号) and the
 * statutory and committed deadlines in working days. Every step of an application is a row of its history
 * and a ledger entry, written in the command's transaction.
 */
import type { Actor, Ctx } from '../kernel/auth/index.ts';
import { assertCan, getUser } from '../kernel/auth/index.ts';
import { chinaDay, loadCalendar, type Pause, type WorkCalendar } from '../kernel/calendar/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError, notFound } from '../kernel/errors.ts';
import { containsPattern } from '../kernel/like.ts';
import { assertImageWithinBudget, readImageSize } from '../kernel/images.ts';
import { appendToLedger, jurisdictionFactNames, jurisdictionFacts, type LedgerEntryInput } from '../kernel/ledger/index.ts';
import { checkConditions, prefillForm, type PrefillSource } from './exchange.ts';
import { validateForm } from './forms.ts';
import { getItem, itemAsOf, type ServiceItem } from './items.ts';
import type { ApplicationView } from './present.ts';
import { applicationScope, assertApplicant, canReadApplication, servicesActions } from './policy.ts';

export const applicationStates = ['draft', 'submitted', 'accepted', 'correction', 'approved', 'refused', 'rejected', 'finished'] as const;
export type ApplicationState = (typeof applicationStates)[number];
export const channels = ['web', 'app', 'window', 'proactive'] as const;
export type Channel = (typeof channels)[number];

export interface Application {
  id: number;
  receiptNumber: string | null;
  itemId: number;
  applicantId: number | null;
  applicantName: string;
  applicantIdNumber: string | null;
  channel: Channel;
  departmentId: number;
  divisionCode: string;
  state: ApplicationState;
  form: Record<string, unknown>;
  prefilled: string[];
  /** per prefilled field, the resource and department it came from */
  prefillSources: Record<string, PrefillSource>;
  stepIndex: number;
  signedBy: string[];
  reason: string | null;
  pauses: { from: string; to?: string | null }[];
  correctionNote: string | null;
  resumeState: ApplicationState | null;
  submittedAt: Date | null;
  statutoryDays: number;
  committedDays: number;
  statutoryDue: Date | null;
  committedDue: Date | null;
  finishedAt: Date | null;
  actualDays: number | null;
  overdue: boolean;
  escalatedAt: Date | null;
  /** what the decision pays or charges, in 分 (items with an `amountKind`, once approved) */
  amount: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ApplicationStep {
  id: number;
  at: Date;
  action: string;
  stepKey: string | null;
  actorId: string;
  actorName: string;
  fromState: string | null;
  toState: string;
  note: string | null;
}

export const applicationColumns = `a.id, a.receipt_number AS "receiptNumber", a.item_id AS "itemId", a.applicant_id AS "applicantId",
  a.applicant_name AS "applicantName", a.applicant_id_number AS "applicantIdNumber", a.channel, a.department_id AS "departmentId", a.division_code AS "divisionCode", a.state,
  a.form, a.prefilled, a.prefill_sources AS "prefillSources", a.step_index AS "stepIndex", a.signed_by AS "signedBy", a.reason, a.pauses,
  a.correction_note AS "correctionNote",
  a.resume_state AS "resumeState", a.submitted_at AS "submittedAt", a.statutory_days AS "statutoryDays", a.committed_days AS "committedDays",
  a.statutory_due AS "statutoryDue", a.committed_due AS "committedDue", a.finished_at AS "finishedAt", a.actual_days AS "actualDays",
  a.overdue, a.escalated_at AS "escalatedAt", a.amount, a.created_at AS "createdAt", a.updated_at AS "updatedAt"`;

export async function findApplication(db: Queryable, id: number, lock = false): Promise<Application | null> {
  const { rows } = await db.query<Application>(
    `SELECT ${applicationColumns} FROM services_applications a WHERE a.id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ?? null;
}

export async function lockApplication(db: Queryable, id: number): Promise<Application> {
  const app = await findApplication(db, id, true);
  if (!app) throw notFound('services.application', id);
  return app;
}

/** An application the actor may see (404 otherwise: a stranger does not learn that it exists). */
export async function readApplication(db: Queryable, actor: Actor, id: number): Promise<Application> {
  const app = await findApplication(db, id);
  if (!app || !canReadApplication(actor, app)) throw notFound('services.application', id);
  return app;
}

/** An application opened by staff: the look at a person's case is itself on the ledger. */
export async function viewApplication(db: Queryable, actor: Actor, id: number): Promise<Application> {
  const app = await readApplication(db, actor, id);
  if (actor.kind === 'staff')
    await appendToLedger(db, { actor, action: 'services.application.viewed', object: { type: 'application', id: app.id }, payload: { id: app.id } });
  return app;
}

export async function applicationHistory(db: Queryable, id: number): Promise<ApplicationStep[]> {
  const { rows } = await db.query<ApplicationStep>(
    `SELECT id, at, action, step_key AS "stepKey", actor_id AS "actorId", actor_name AS "actorName", from_state AS "fromState",
            to_state AS "toState", note
       FROM services_application_steps WHERE application_id = $1 ORDER BY id`, [id]);
  return rows;
}

/**
 * Records one step: the new state and fields, a history row and a ledger entry, all on the command's
 * transaction. Returns the application as it now is.
 */
export async function recordStep(ctx: Ctx, app: Application, step: NewStep): Promise<Application> {
  return (await writeStep(ctx, app, step)).app;
}

export interface NewStep {
  action: string;
  to: ApplicationState;
  stepKey?: string | null;
  note?: string | null;
  set?: Record<string, unknown>;
  /** Further members of the entry's payload it publishes for the oversight rules (the amount a decision set). */
  facts?: Record<string, number>;
}

/** `recordStep`, also giving the history row written: the update and the row are one statement. */
async function writeStep(ctx: Ctx, app: Application, step: NewStep): Promise<{ app: Application; step: ApplicationStep }> {
  const set = { state: step.to, updated_at: ctx.now, ...step.set };
  const columns = Object.keys(set);
  const values = columns.map((c) => (jsonColumns.has(c) ? JSON.stringify(set[c as keyof typeof set]) : set[c as keyof typeof set]));
  const history = {
    at: ctx.now, action: step.action, stepKey: step.stepKey ?? null, actorId: `${ctx.actor.kind}:${ctx.actor.id}`, actorName: ctx.actor.name,
    fromState: app.state, toState: step.to, note: step.note ?? null,
  };
  const first = columns.length + 2;
  const { rows: [updated] } = await ctx.tx.query<Application & { stepId: number }>(
    `WITH a AS (UPDATE services_applications a SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE a.id = $1 RETURNING a.*),
     s AS (INSERT INTO services_application_steps (application_id, at, action, step_key, actor_id, actor_name, department_id, from_state, to_state, note)
           VALUES ($1, ${Array.from({ length: 9 }, (_, i) => `$${first + i}`).join(', ')}) RETURNING id)
     SELECT ${applicationColumns}, s.id AS "stepId" FROM a, s`,
    [app.id, ...values, history.at, history.action, history.stepKey, history.actorId, history.actorName, ctx.actor.departmentId,
      history.fromState, history.toState, history.note]);
  await appendToLedger(ctx.tx, stepEntry(ctx, app, step));
  const { stepId, ...row } = updated!;
  return { app: row, step: { id: stepId, ...history } };
}

/**
 * The ledger entry of a step. The item and where the act falls are published, for the rules on jurisdiction and
 * on items often rejected, and the step's own facts (an amount) for the rules on amounts.
 */
export function stepEntry(ctx: Ctx, app: Pick<Application, 'id' | 'itemId' | 'divisionCode'>, step: NewStep): LedgerEntryInput {
  return {
    actor: ctx.actor, action: step.action, object: { type: 'application', id: app.id },
    payload: { state: step.to, stepKey: step.stepKey ?? null, note: step.note ?? null, item: app.itemId, ...jurisdictionFacts(ctx.actor, app.divisionCode), ...step.facts },
    publish: ['item', ...jurisdictionFactNames, ...Object.keys(step.facts ?? {})], at: ctx.now,
  };
}

const jsonColumns = new Set(['form', 'pauses', 'prefill_sources']);

export interface StartApplication {
  itemId: number;
  channel?: Channel;
  form?: Record<string, unknown>;
  /** Submit at once (the form is complete and no uploads are needed). */
  submit?: boolean;
}

/**
 * Opens an application for the logged-in citizen: a draft whose form is prefilled from the hub for the
 * purpose of this item. Given `submit`, it is submitted in the same transaction. Returns it as its applicant
 * sees it: nothing is uploaded or rated yet, and the history is the step just recorded, if any.
 */
export async function startApplication(ctx: Ctx, input: StartApplication): Promise<ApplicationView> {
  assertCan(ctx.actor, servicesActions.apply);
  const applicant = await getUser(ctx.tx, Number(ctx.actor.id));
  if (!applicant) throw new DomainError('unauthenticated', { status: 401 });
  // One statement writes the draft from the item's row as it is now and reads the item's stamp, so that the
  // item itself can come from the cache.
  const { rows: [opened] } = await ctx.tx.query<Application & { itemRevision: string; itemDepartmentCode: string; itemDepartmentName: string }>(
    `WITH i AS (SELECT i.id, i.revision, d.code, d.name, i.department_id, i.division_code, i.statutory_days, i.committed_days,
                       i.online AND i.form_schema IS NOT NULL AS open
                  FROM services_items i JOIN departments d ON d.id = i.department_id WHERE i.id = $1),
     a AS (INSERT INTO services_applications (item_id, applicant_id, applicant_name, applicant_id_number, channel, department_id, division_code,
             state, form, statutory_days, committed_days, created_at, updated_at)
           SELECT i.id, $2::bigint, $3::text, $4::text, $5::text, i.department_id, i.division_code, 'draft', $6::jsonb, i.statutory_days,
                  i.committed_days, $7::timestamptz, $7::timestamptz
             FROM i WHERE i.open RETURNING *)
     SELECT i.revision AS "itemRevision", i.code AS "itemDepartmentCode", i.name AS "itemDepartmentName", ${applicationColumns}
       FROM i LEFT JOIN a ON true`,
    [input.itemId, applicant.id, applicant.display_name, applicant.id_number, input.channel ?? 'web', JSON.stringify(input.form ?? {}), ctx.now]);
  if (!opened) throw notFound('services.item', input.itemId);
  const { itemRevision, itemDepartmentCode, itemDepartmentName, ...draft } = opened;
  if (draft.id === null)
    throw new DomainError('services.item.not-online', { field: 'itemId', status: 409 }, 'this item is not applied for online');
  const item = await itemAsOf(ctx.tx, { id: input.itemId, revision: itemRevision, departmentCode: itemDepartmentCode, departmentName: itemDepartmentName });
  const prefill = await prefillForm(ctx, item, applicant.id_number, draft.id);
  const filled = prefill.fields.length > 0
    ? { ...draft, form: { ...prefill.values, ...input.form }, prefilled: prefill.fields, prefillSources: prefill.sources } : draft;
  const view = { item, materials: [], ratings: [] };
  if (input.submit) {
    const submitted = await submitLoaded(ctx, filled, item);
    return { ...view, app: submitted.app, history: [submitted.step], elapsedDays: 0 };
  }
  if (filled !== draft)
    await ctx.tx.query('UPDATE services_applications SET form = $2, prefilled = $3, prefill_sources = $4 WHERE id = $1',
      [draft.id, JSON.stringify(filled.form), filled.prefilled, JSON.stringify(filled.prefillSources)]);
  return { ...view, app: filled, history: [], elapsedDays: null };
}

/** Saves the form of a draft (or of an application waiting for corrections) as the applicant left it. */
export async function saveDraft(ctx: Ctx, input: { id: number; form: Record<string, unknown> }): Promise<Application> {
  const app = await lockApplication(ctx.tx, input.id);
  assertApplicant(ctx.actor, app);
  if (app.state !== 'draft' && app.state !== 'correction') throw badState(app);
  const { rows: [saved] } = await ctx.tx.query<Application>(
    `UPDATE services_applications a SET form = $2, updated_at = $3 WHERE a.id = $1 RETURNING ${applicationColumns}`,
    [app.id, JSON.stringify(input.form), ctx.now]);
  return saved!;
}

export const badState = (app: Pick<Application, 'state'>) =>
  new DomainError('services.bad-state', { status: 409, field: 'state', state: app.state }, `not allowed while the application is ${app.state}`);

const maxMaterialBytes = 5 * 1024 * 1024;
const defaultAccept = ['application/pdf', 'image/jpeg', 'image/png'];
// The first bytes each accepted type starts with: a renamed file of another type is refused.
const signatures: Record<string, number[]> = {
  'application/pdf': [0x25, 0x50, 0x44, 0x46],
  'image/png': [0x89, 0x50, 0x4e, 0x47],
  'image/jpeg': [0xff, 0xd8, 0xff],
};

export interface UploadMaterial {
  id: number;
  material: string;
  fileName: string;
  contentType: string;
  content: Buffer;
}

/** Attaches a file for one of the item's materials (replacing an earlier one); type and size are checked. */
export async function uploadMaterial(ctx: Ctx, input: UploadMaterial): Promise<{ material: string; size: number }> {
  const app = await lockApplication(ctx.tx, input.id);
  assertApplicant(ctx.actor, app);
  if (app.state !== 'draft' && app.state !== 'correction') throw badState(app);
  const item = await getItem(ctx.tx, app.itemId);
  const material = item.materials.find((m) => m.name === input.material);
  if (!material) throw new DomainError('services.material.unknown', { field: 'material' }, `the item asks for no material named ${input.material}`);
  if (material.replacedBy)
    throw new DomainError('services.material.replaced', { field: 'material' }, `${material.name} comes from ${material.replacedBy.ref}; no upload needed`);
  const accept = material.accept ?? defaultAccept;
  if (!accept.includes(input.contentType))
    throw new DomainError('services.material.bad-type', { field: 'contentType', status: 415, accept }, `accepted: ${accept.join(', ')}`);
  if (input.content.length === 0 || input.content.length > maxMaterialBytes)
    throw new DomainError('services.material.bad-size', { field: 'content', status: 413, maxBytes: maxMaterialBytes }, 'a file of 1 byte to 5 MB');
  const image = input.contentType.startsWith('image/') ? readImageSize(input.content) : undefined;
  if (!signatures[input.contentType]!.every((byte, i) => input.content[i] === byte) || (input.contentType.startsWith('image/') && !image))
    throw new DomainError('services.material.bad-type', { field: 'content', status: 415, accept }, `the file is not ${input.contentType}`);
  if (image) assertImageWithinBudget(image, 'content');
  await ctx.tx.query(
    `INSERT INTO services_materials (application_id, material, file_name, content_type, size, content, uploaded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (application_id, material) DO UPDATE SET file_name = EXCLUDED.file_name, content_type = EXCLUDED.content_type,
       size = EXCLUDED.size, content = EXCLUDED.content, uploaded_at = EXCLUDED.uploaded_at`,
    [app.id, material.name, input.fileName, input.contentType, input.content.length, input.content, ctx.now]);
  await appendToLedger(ctx.tx, {
    actor: ctx.actor, action: 'services.material.uploaded', object: { type: 'application', id: app.id },
    payload: { material: material.name, size: input.content.length, contentType: input.contentType }, at: ctx.now,
  });
  return { material: material.name, size: input.content.length };
}

export async function uploadedMaterials(db: Queryable, applicationId: number) {
  const { rows } = await db.query<{ material: string; fileName: string; contentType: string; size: number; uploadedAt: Date }>(
    `SELECT material, file_name AS "fileName", content_type AS "contentType", size, uploaded_at AS "uploadedAt"
       FROM services_materials WHERE application_id = $1 ORDER BY material`, [applicationId]);
  return rows;
}

/** A stored material's bytes, with the type its first bytes show (the uploader's claim is not trusted). */
export interface MaterialFile {
  fileName: string;
  /** PDF, PNG or JPEG by signature; null for anything else, which is only ever offered as a download. */
  sniffedType: string | null;
  content: Buffer;
}

const sniff = (content: Buffer) =>
  Object.entries(signatures).find(([, bytes]) => bytes.every((byte, i) => content[i] === byte))?.[0] ?? null;

/**
 * One material of an application, for those who may read the application (the applicant, the handling
 * department, overseers within the jurisdiction); 404 for anyone else. Every look is on the ledger.
 */
export async function readMaterial(ctx: Ctx, input: { id: number; material: string }): Promise<MaterialFile> {
  const app = await readApplication(ctx.tx, ctx.actor, input.id);
  const { rows: [file] } = await ctx.tx.query<{ fileName: string; content: Buffer }>(
    'SELECT file_name AS "fileName", content FROM services_materials WHERE application_id = $1 AND material = $2', [app.id, input.material]);
  if (!file) throw new DomainError('services.material.not-found', { status: 404, field: 'material' }, `no file for ${input.material}`);
  await appendToLedger(ctx.tx, {
    actor: ctx.actor, action: 'services.material.viewed', object: { type: 'application', id: app.id },
    payload: { material: input.material, applicant: app.applicantId }, at: ctx.now,
  });
  return { fileName: file.fileName, sniffedType: sniff(file.content), content: file.content };
}

/** The form meets the item's schema and every required material not replaced by data has a file. */
async function checkComplete(db: Queryable, app: Application, item: ServiceItem, form: Record<string, unknown>): Promise<void> {
  validateForm(item.formSchema!, form);
  const needed = item.materials.filter((m) => m.required && !m.replacedBy);
  if (needed.length === 0) return;
  const uploaded = new Set((await uploadedMaterials(db, app.id)).map((m) => m.material));
  const missing = needed.find((m) => !uploaded.has(m.name));
  if (missing) throw new DomainError('services.material.missing', { field: `materials.${missing.name}` }, `${missing.name} is missing`);
}

/** Submits a draft: checks, receipt number and deadlines. */
export async function submitApplication(ctx: Ctx, input: { id: number; form?: Record<string, unknown> }): Promise<Application> {
  const app = await lockApplication(ctx.tx, input.id);
  assertApplicant(ctx.actor, app);
  const item = await getItem(ctx.tx, app.itemId);
  return (await submitLoaded(ctx, input.form ? { ...app, form: input.form } : app, item)).app;
}

async function submitLoaded(ctx: Ctx, app: Application, item: ServiceItem) {
  if (app.state !== 'draft') throw badState(app);
  await checkComplete(ctx.tx, app, item, app.form);
  await checkConditions(ctx, item, app.applicantIdNumber, app.id);
  const calendar = await loadCalendar(ctx.tx);
  return writeStep(ctx, app, {
    action: 'services.application.submitted', to: 'submitted',
    set: { form: app.form, prefilled: app.prefilled, prefill_sources: app.prefillSources, receipt_number: receiptNumber(app, ctx.now), submitted_at: ctx.now,
      ...deadlines(calendar, ctx.now, app, []) },
  });
}

/** The statutory and committed deadlines from submission with the 补正 pauses (null while paused). */
export function deadlines(calendar: WorkCalendar, submittedAt: Date, app: Pick<Application, 'statutoryDays' | 'committedDays'>, pauses: readonly Pause[]) {
  return {
    statutory_due: calendar.deadlineWithPauses(submittedAt, app.statutoryDays, pauses)?.due ?? null,
    committed_due: calendar.deadlineWithPauses(submittedAt, app.committedDays, pauses)?.due ?? null,
  };
}

export const pausesOf = (app: Pick<Application, 'pauses'>): Pause[] =>
  app.pauses.map((p) => ({ from: new Date(p.from), to: p.to ? new Date(p.to) : null }));

/** 受理编号: county, China-time day of submission and the application's number, e.g. 511602-20261124-0003001. */
export const receiptNumber = (app: Pick<Application, 'id' | 'divisionCode'>, submittedAt: Date) =>
  `${app.divisionCode.slice(0, 6)}-${chinaDay(submittedAt).replaceAll('-', '')}-${String(app.id).padStart(7, '0')}`;

/** The same receipt numbers for applications written in bulk (demo, automatic grants). */
export async function numberInBulk(db: Queryable, ids: number[]): Promise<void> {
  await db.query(
    `UPDATE services_applications SET receipt_number = left(division_code, 6) || '-'
       || to_char(submitted_at AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || '-' || lpad(id::text, 7, '0')
      WHERE id = ANY($1) AND submitted_at IS NOT NULL`, [ids]);
}

export interface ApplicationQuery {
  state?: ApplicationState[];
  itemId?: number;
  overdue?: boolean;
  q?: string;
  limit: number;
  offset: number;
}

export interface ApplicationRow extends Application {
  itemName: string;
  itemCode: string;
  departmentName: string;
}

/** The work queue (staff: their scope, soonest committed deadline first) or a citizen's own applications (newest first). */
export async function listApplications(db: Queryable, actor: Actor, query: ApplicationQuery): Promise<{ total: number; items: ApplicationRow[] }> {
  if (actor.kind === 'anonymous') throw new DomainError('unauthenticated', { status: 401 }, 'login required');
  const params: unknown[] = [];
  const where = [applicationScope(actor, params)];
  if (actor.kind !== 'citizen') where.push(`a.state <> 'draft'`);
  if (query.state?.length) { params.push(query.state); where.push(`a.state = ANY($${params.length})`); }
  if (query.itemId) { params.push(query.itemId); where.push(`a.item_id = $${params.length}`); }
  if (query.overdue !== undefined) { params.push(query.overdue); where.push(`a.overdue = $${params.length}`); }
  if (query.q) { params.push(containsPattern(query.q)); where.push(`(a.receipt_number ILIKE $${params.length} OR i.name ILIKE $${params.length} OR a.applicant_name ILIKE $${params.length})`); }
  const filter = where.join(' AND ');
  const from = 'services_applications a JOIN services_items i ON i.id = a.item_id JOIN departments d ON d.id = a.department_id';
  const { rows: [{ total }] } = await db.query<{ total: number }>(`SELECT count(*)::int AS total FROM ${from} WHERE ${filter}`, params);
  params.push(query.limit, query.offset);
  const order = actor.kind === 'citizen' ? 'a.id DESC' : 'a.committed_due NULLS LAST, a.id';
  const { rows } = await db.query<ApplicationRow>(
    `SELECT ${applicationColumns}, i.name AS "itemName", i.code AS "itemCode", d.name AS "departmentName"
       FROM ${from} WHERE ${filter} ORDER BY ${order} LIMIT $${params.length - 1} OFFSET $${params.length}`, params);
  return { total, items: rows };
}
