/**
 * Handling an application (办理): 受理 or 不予受理, 补正 (the clock stops until the applicant answers),
 * the item's middle steps (审查, 核查 …, a countersign step needing two different officers), 决定
 * (approve or refuse with a reason) and 办结. The item's `steps` say which role takes each step; the
 * first step is 受理 and the last the decision. Each step is a history row and a ledger entry.
 */
import { systemActor, type Ctx } from '../kernel/auth/index.ts';
import { loadCalendar } from '../kernel/calendar/index.ts';
import { withTransaction, type Db } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { issueOnApproval } from './certificates.ts';
import { validateForm } from './forms.ts';
import { getItem, type ServiceItem, type Step } from './items.ts';
import { assertApplicant, assertHandler } from './policy.ts';
import { badState, deadlines, lockApplication, pausesOf, recordStep, type Application, type NewStep } from './applications.ts';

const needReason = (reason: string | undefined, field = 'reason') => {
  if (!reason?.trim()) throw new DomainError('services.reason-required', { field }, 'a reason is required');
  return reason.trim();
};

/** The application locked, its item and the step now due; the actor must hold that step's role. */
async function forStep(ctx: Ctx, id: number, states: readonly Application['state'][]) {
  const app = await lockApplication(ctx.tx, id);
  const item = await getItem(ctx.tx, app.itemId);
  const step = app.state === 'submitted' ? item.steps[0]! : item.steps[Math.min(app.stepIndex, item.steps.length - 1)]!;
  assertHandler(ctx.actor, app, step.role);
  if (!states.includes(app.state)) throw badState(app);
  return { app, item, step };
}

/**
 * 会签: a countersign step needs two different officers. The first signature is recorded and the step
 * stays; returns null then, or the signers once the step is complete.
 */
async function sign(ctx: Ctx, app: Application, step: Step): Promise<{ complete: boolean; app: Application }> {
  if (!step.countersign) return { complete: true, app };
  const me = `${ctx.actor.kind}:${ctx.actor.id}`;
  if (app.signedBy.includes(me))
    throw new DomainError('services.countersign-same-officer', { status: 409 }, 'a countersign needs a second, different officer');
  if (app.signedBy.length >= 1) return { complete: true, app };
  const signed = await recordStep(ctx, app, { action: 'services.application.signed', to: app.state, stepKey: step.key, set: { signed_by: [me] } });
  return { complete: false, app: signed };
}

/** 受理: the application is complete and in scope; the decision clock goes on from submission. */
export async function acceptApplication(ctx: Ctx, input: { id: number; note?: string }): Promise<Application> {
  const { app, item, step } = await forStep(ctx, input.id, ['submitted']);
  return recordStep(ctx, app, {
    action: 'services.application.accepted', to: 'accepted', stepKey: step.key, note: input.note,
    set: { step_index: Math.min(1, item.steps.length - 1), signed_by: [] },
  });
}

/** 不予受理: refused at the door, with the reason the applicant is told. Ends the case. */
export async function rejectApplication(ctx: Ctx, input: { id: number; reason?: string }): Promise<Application> {
  const reason = needReason(input.reason);
  const { app, step } = await forStep(ctx, input.id, ['submitted']);
  return finishWith(ctx, app, { action: 'services.application.rejected', to: 'rejected', stepKey: step.key, reason });
}

/** 补正: asks the applicant to correct or complete; the clock stops until they answer. */
export async function requestCorrection(ctx: Ctx, input: { id: number; note?: string }): Promise<Application> {
  const note = needReason(input.note, 'note');
  const { app, step } = await forStep(ctx, input.id, ['submitted', 'accepted']);
  return recordStep(ctx, app, {
    action: 'services.application.correction-requested', to: 'correction', stepKey: step.key, note,
    set: { correction_note: note, resume_state: app.state, pauses: [...app.pauses, { from: ctx.now.toISOString() }],
      statutory_due: null, committed_due: null },
  });
}

/** The applicant answers a 补正 with the corrected form; the clock restarts and the deadlines move by the pause. */
export async function answerCorrection(ctx: Ctx, input: { id: number; form?: Record<string, unknown>; note?: string }): Promise<Application> {
  const app = await lockApplication(ctx.tx, input.id);
  assertApplicant(ctx.actor, app);
  if (app.state !== 'correction') throw badState(app);
  const item = await getItem(ctx.tx, app.itemId);
  const form = input.form ?? app.form;
  validateForm(item.formSchema!, form);
  const pauses = app.pauses.map((p) => (p.to ? p : { ...p, to: ctx.now.toISOString() }));
  const calendar = await loadCalendar(ctx.tx);
  return recordStep(ctx, app, {
    action: 'services.application.corrected', to: app.resumeState ?? 'submitted', note: input.note,
    set: { form, pauses, resume_state: null, ...deadlines(calendar, app.submittedAt!, app, pausesOf({ pauses })) },
  });
}

/** A middle step (审查, 核查 …): the actor signs it and the application moves to the next step. */
export async function advanceApplication(ctx: Ctx, input: { id: number; note?: string }): Promise<Application> {
  const { app, item, step } = await forStep(ctx, input.id, ['accepted']);
  if (app.stepIndex >= item.steps.length - 1)
    throw new DomainError('services.decision-due', { status: 409, field: 'step' }, 'the next step is the decision');
  const signed = await sign(ctx, app, step);
  if (!signed.complete) return signed.app;
  return recordStep(ctx, signed.app, {
    action: 'services.application.step-done', to: 'accepted', stepKey: step.key, note: input.note,
    set: { step_index: app.stepIndex + 1, signed_by: [] },
  });
}

/**
 * The amount an approval of an item that pays or charges one sets (分); any other decision sets none. The route's
 * schema bounds the value; this checks it is given exactly when the item and the decision call for it.
 */
export function amountOf(item: ServiceItem, input: { approve: boolean; amount?: number }): number | null {
  if (item.amountKind !== null && input.approve) {
    if (input.amount === undefined)
      throw new DomainError('services.amount-required', { field: 'amount', amountKind: item.amountKind }, `an approval of this item states the amount (${item.amountKind}) in fen`);
    return input.amount;
  }
  if (input.amount !== undefined)
    throw new DomainError('services.amount-not-allowed', { field: 'amount' }, item.amountKind === null ? 'this item pays or charges no amount' : 'a refusal sets no amount');
  return null;
}

/**
 * The step approving an application (决定, or a 不来即享 grant): it sets the amount (分, null for an item without
 * one) and publishes it on the entry, for the rule on amounts far from their item's peers.
 */
export function approvalStep(amount: number | null, step: { stepKey?: string | null; note?: string | null; set?: Record<string, unknown> }): NewStep {
  return {
    action: 'services.application.approved', to: 'approved', stepKey: step.stepKey, note: step.note,
    set: { ...step.set, amount }, facts: amount === null ? undefined : { amount },
  };
}

/** 决定: approve or refuse (with a reason) at the item's last step; an approval of an item with an amount states it (分). */
export async function decideApplication(ctx: Ctx, input: { id: number; approve: boolean; reason?: string; amount?: number }): Promise<Application> {
  const reason = input.approve ? input.reason?.trim() || null : needReason(input.reason);
  const { app, item, step } = await forStep(ctx, input.id, ['accepted']);
  const amount = amountOf(item, input);
  if (app.stepIndex < item.steps.length - 1)
    throw new DomainError('services.step-pending', { status: 409, field: 'step', step: item.steps[app.stepIndex]!.key }, 'earlier steps are not done');
  const signed = await sign(ctx, app, step);
  if (!signed.complete) return signed.app;
  const decided = await recordStep(ctx, signed.app, input.approve
    ? approvalStep(amount, { stepKey: step.key, note: reason, set: { reason, signed_by: [] } })
    : { action: 'services.application.refused', to: 'refused', stepKey: step.key, note: reason, set: { reason, signed_by: [], amount } });
  if (input.approve) await issueOnApproval(ctx, item, decided);
  return decided;
}

/** 办结: the decision is delivered; the actual working days used are kept. */
export async function finishApplication(ctx: Ctx, input: { id: number; note?: string }): Promise<Application> {
  const { app, step } = await forStep(ctx, input.id, ['approved', 'refused']);
  return finishWith(ctx, app, { action: 'services.application.finished', to: 'finished', stepKey: step.key, note: input.note });
}

async function finishWith(ctx: Ctx, app: Application, step: { action: string; to: 'finished' | 'rejected'; stepKey: string; reason?: string; note?: string }) {
  const calendar = await loadCalendar(ctx.tx);
  const actual = calendar.elapsedWorkingDays(app.submittedAt!, ctx.now, pausesOf(app));
  return recordStep(ctx, app, {
    action: step.action, to: step.to, stepKey: step.stepKey, note: step.reason ?? step.note,
    set: { finished_at: ctx.now, actual_days: Math.max(0, actual), ...(step.reason ? { reason: step.reason } : {}) },
  });
}

const sweeper = systemActor('services.escalation');

/**
 * 超期督办: open applications past their committed deadline are flagged overdue and escalated once, each in
 * its own transaction, as the system. Idempotent: an escalated application is not picked again.
 */
export async function escalateOverdue(db: Db, now: Date): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT id FROM services_applications
      WHERE state IN ('submitted', 'accepted', 'approved', 'refused') AND committed_due < $1 AND NOT overdue
      ORDER BY committed_due LIMIT 500`, [now]);
  for (const { id } of rows)
    await withTransaction(db, async (tx) => {
      const app = await lockApplication(tx, id);
      if (app.overdue || !app.committedDue || app.committedDue >= now) return;
      const late = app.statutoryDue !== null && app.statutoryDue < now;
      await recordStep({ tx, actor: sweeper, now }, app, {
        action: 'services.application.escalated', to: app.state,
        note: late ? 'statutory' : 'committed', set: { overdue: true, escalated_at: now },
      });
    });
  return rows.length;
}
