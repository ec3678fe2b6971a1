import type { TFunction } from 'i18next';

/**
 * Words for the codes the API hands over (predicates, data fields, problem codes, the platform's own processes):
 * what a reader sees instead of `age-over-18` or `hub.no-grant`. The keys are i18next keys, which may not hold
 * dots, so a dotted code is looked up with its dots as '/'.
 */
type CodeKind = 'predicates' | 'fields' | 'problems' | 'systemActors';
export const codeLabel = (t: TFunction, kind: CodeKind, code: string): string =>
  t(`codes.${kind}.${code.replaceAll('.', '/')}`, { defaultValue: code });

/** Who acted, as a reader names it: a process by its name, a person by their kind and number. */
export const actorLabel = (t: TFunction, actor: { kind: string; id: string }): string =>
  actor.kind === 'system' ? codeLabel(t, 'systemActors', actor.id)
    : t('codes.person', { kind: t(`ledger.actorKind.${actor.kind}`, { defaultValue: actor.kind }), id: actor.id });
