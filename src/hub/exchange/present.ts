/**
 * What leaves the API of the exchange that is not a view already (requests, grants and the call log have
 * theirs): a gateway answer and a published predicate, every field listed, so nothing internal rides along.
 */
import type { AskAnswer, CallAnswer } from './gateway.ts';
import type { Predicate } from './predicates.ts';

/** A call's answer: the message id and request hash the consumer keeps as its receipt, and the projected, masked rows. */
export const presentCallAnswer = (answer: CallAnswer) => ({ messageId: answer.messageId, requestHash: answer.requestHash, data: answer.data });

/** A question's answer: true, false or 'unknown' as of a time, with the receipt; never the value behind it. */
export const presentAskAnswer = (answer: AskAnswer) => ({ answer: answer.answer, asOf: answer.asOf, messageId: answer.messageId, requestHash: answer.requestHash });

/** A published question, as the catalogue of predicates lists it. */
export const presentPredicate = (p: Predicate) => ({
  id: p.id, code: p.code, name: p.name, description: p.description, resourceId: p.resourceId, resourceCode: p.resourceCode,
  resourceName: p.resourceName, providerDepartmentId: p.providerDepartmentId, field: p.field, operator: p.operator, param: p.param, allowed: p.allowed,
});
