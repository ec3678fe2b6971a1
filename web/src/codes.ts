import { createElement, Fragment, type ReactNode } from 'react';
import type { TFunction } from 'i18next';

/**
 * Words for the codes the API hands over (predicates, data fields, problem codes, the platform's own processes,
 * the kinds of object the ledger records acts on):
 * what a reader sees instead of `age-over-18` or `hub.no-grant`. The keys are i18next keys, which may not hold
 * dots, so a dotted code is looked up with its dots as '/'.
 */
type CodeKind = 'predicates' | 'fields' | 'problems' | 'systemActors' | 'objectTypes';
export const codeLabel = (t: TFunction, kind: CodeKind, code: string): string =>
  t(`codes.${kind}.${code.replaceAll('.', '/')}`, { defaultValue: code });

/** Who acted, as a reader names it: a process by its name, a person by their kind and number. */
export const actorLabel = (t: TFunction, actor: { kind: string; id: string }): string =>
  actor.kind === 'system' ? codeLabel(t, 'systemActors', actor.id)
    : t('codes.person', { kind: t(`ledger.actorKind.${actor.kind}`, { defaultValue: actor.kind }), id: actor.id });

/** What an act was on: its kind in words, its number or code in the code style. */
export const objectLabel = (t: TFunction, object: { type: string; id: string }): ReactNode =>
  createElement(Fragment, null, `${codeLabel(t, 'objectTypes', object.type)} `, createElement('span', { className: 'mono' }, object.id));

/**
 * A call's case reference (业务编号) in words where the platform made it (`registry-load:5` is base-library
 * load no. 5); a reference a caller wrote itself stays as written, in the code style.
 */
export function caseLabel(t: TFunction, caseId: string): ReactNode {
  const [, kind, id] = /^([a-z]+(?:-[a-z]+)*):(\d+)$/.exec(caseId) ?? [];
  const label = kind && t(`codes.cases.${kind}`, { id, defaultValue: '' });
  return label || createElement('span', { className: 'mono' }, caseId);
}

/** A purpose as its caller wrote it; a code it names at its end, such as `（new-firm-retention）`, in the code style. */
export function purposeText(purpose: string): ReactNode {
  const [, text, code] = /^(.*)（([a-z0-9]+(?:-[a-z0-9]+)+)）$/.exec(purpose) ?? [];
  if (!text || !code) return purpose;
  return createElement(Fragment, null, `${text}（`, createElement('span', { className: 'mono' }, code), '）');
}
