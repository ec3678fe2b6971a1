/** What the 行政处罚 API answers, as schemas: the OpenAPI document and, through it, the console's types. */
import Type from 'typebox';
import { Nullable, OneOf, Timestamp } from '../kernel/http/index.ts';
import { caseStates } from './cases.ts';
import { levels } from './items.ts';

const Band = Type.Tuple([Type.Integer({ minimum: 0 }), Type.Integer({ minimum: 0 })]);
export const Bands = Type.Object({ light: Band, ordinary: Band, severe: Band }, { additionalProperties: false });

export const ItemInput = Type.Object({
  code: Type.String({ pattern: '^[A-Z0-9][A-Z0-9-]{1,39}$' }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  departmentKind: Type.String({ pattern: '^[a-z][a-z-]{1,39}$' }),
  violatedBasis: Type.String({ minLength: 1, maxLength: 1000 }),
  penaltyBasis: Type.String({ minLength: 1, maxLength: 1000 }),
  legalMin: Type.Integer({ minimum: 0, maximum: 100_000_000_00 }),
  legalMax: Type.Integer({ minimum: 0, maximum: 100_000_000_00 }),
  bands: Bands,
  active: Type.Boolean(),
}, { additionalProperties: false });

export const ItemSchema = Type.Object({ id: Type.Integer(), ...ItemInput.properties });

export const CaseSchema = Type.Object({
  id: Type.Integer(), number: Type.String(),
  item: Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String() }),
  department: Type.Object({ id: Type.Integer(), name: Type.String() }),
  divisionCode: Type.String(), partyKind: OneOf(['person', 'organisation']), partyName: Type.String(), partyIdNumber: Type.String(),
  place: Type.String(), facts: Type.String(), state: OneOf(caseStates), level: Nullable(OneOf(levels)), amount: Nullable(Type.Integer()),
  deviation: Nullable(Type.String()), investigatorName: Type.String(),
  filedAt: Timestamp, proposedAt: Nullable(Timestamp), reviewedAt: Nullable(Timestamp), decidedAt: Nullable(Timestamp),
});

export const CaseListItemSchema = Type.Object({ ...CaseSchema.properties, abilities: Type.Array(Type.String()) });

export const CaseViewSchema = Type.Object({
  case: CaseSchema,
  events: Type.Array(Type.Object({ id: Type.Integer(), action: Type.String(), fromState: Nullable(Type.String()), toState: Type.String(),
    actorName: Type.String(), note: Nullable(Type.String()), at: Timestamp })),
  abilities: Type.Array(Type.String()),
  bands: Bands, legalMin: Type.Integer(), legalMax: Type.Integer(),
});
