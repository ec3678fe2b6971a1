/** What the organisation API answers, as schemas: they type the presenters at the routes and make the console's types (docs/http.md). */
import Type, { type TSchema } from 'typebox';
import { Items, Nullable, OneOf, Page, Timestamp } from '../http/index.ts';
import type { PresentedDivisionNode } from './present.ts';

const divisionProperties = {
  code: Type.String(), name: Type.String(), level: OneOf(['province', 'city', 'county', 'township', 'village'] as const),
  parentCode: Nullable(Type.String()),
  /** made up by the demo (villages and communities); real divisions are false */
  generated: Type.Boolean(),
  abilities: Type.Object({ rename: Type.Boolean(), addChild: Type.Boolean(), addDepartment: Type.Boolean(), addGrid: Type.Boolean() }),
};
const summaryProperties = {
  ...divisionProperties,
  /** false for the divisions above the jurisdiction, shown only as the path down to it */
  withinJurisdiction: Type.Boolean(),
  /** children the viewer sees; more than a tree node's `children` means the depth cut them off */
  childCount: Type.Integer(), departmentCount: Type.Integer(), staffCount: Type.Integer(),
  totalDepartments: Type.Integer(), totalStaff: Type.Integer(),
};

/** A division as a change answers it. */
export const DivisionSchema = Type.Object(divisionProperties);
/** A division with the counts the organisation tree shows beside it. */
export const DivisionSummarySchema = Type.Object(summaryProperties);
export const DivisionDetailSchema = Type.Object({ ...summaryProperties, geometry: Type.Unknown(), updatedAt: Timestamp });
/**
 * The organisation tree: a node is a summary with the children the depth reached. Written out level by
 * level (five levels, province to village, whose children are always none) rather than as a cyclic schema,
 * so the OpenAPI document and the types made from it need no references.
 */
const treeLevel = (below: TSchema): TSchema => Type.Object({ ...summaryProperties, children: Type.Array(below) });
const villages = Type.Unsafe<PresentedDivisionNode>(Type.Object({ ...summaryProperties, children: Type.Unsafe<[]>({ type: 'array', prefixItems: [], maxItems: 0 }) }));
export const DivisionTreeSchema = Items(Type.Unsafe<PresentedDivisionNode>([1, 2, 3, 4].reduce<TSchema>((below) => treeLevel(below), villages)));
export const DivisionsSchema = Items(DivisionSummarySchema);

const departmentProperties = {
  id: Type.Integer(), code: Type.String(), name: Type.String(), shortName: Nullable(Type.String()),
  /** what the department does, the same key at every level (civil-affairs, public-security, …) */
  kind: Type.String(), divisionCode: Type.String(), parentId: Nullable(Type.Integer()),
  abilities: Type.Object({ edit: Type.Boolean() }),
};
export const DepartmentSchema = Type.Object(departmentProperties);
/** A department as lists show it: with its division's name and its number of staff. */
export const DepartmentSummarySchema = Type.Object({ ...departmentProperties, divisionName: Type.String(), staffCount: Type.Integer() });
export const DepartmentsSchema = Page(DepartmentSummarySchema);

export const ImportReportSchema = Type.Object({
  total: Type.Integer(), created: Type.Integer(), failed: Type.Integer(),
  errors: Type.Array(Type.Object({ row: Type.Integer(), field: Type.String(), code: Type.String(), message: Type.String() })),
});

/** A place found by the map's search box. */
export const PlacesSchema = Items(Type.Object({
  code: Type.String(), name: Type.String(), level: OneOf(['county', 'township', 'community', 'grid'] as const),
  /** names of the places above it, from the county down */
  within: Type.Array(Type.String()),
  lon: Type.Number(), lat: Type.Number(),
  /** west, south, east, north */
  bbox: Type.Array(Type.Number(), { minItems: 4, maxItems: 4 }),
}));

/** Whether a typed address names the township (or county) a point is in. */
export const AddressCheckSchema = Type.Object({
  address: Nullable(Type.Object({ code: Type.String(), name: Type.String(), level: OneOf(['county', 'township', 'village'] as const) })),
  point: Nullable(Type.Object({ countyCode: Type.String(), countyName: Type.String(), townshipCode: Type.String(), townshipName: Type.String() })),
  mismatch: Type.Boolean(),
});
