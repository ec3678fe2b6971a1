/** What the city-operations API answers, as schemas: they type the presenters at the routes and make the console's types (docs/http.md). */
import Type from 'typebox';
import { Items, Nullable, OneOf, Page, Timestamp } from '../kernel/http/index.ts';
import { componentSources, componentStates } from './components.ts';

export const ComponentKindSchema = Type.Object({
  classCode: Type.String(), code: Type.String(), nameZh: Type.String(), nameEn: Type.String(),
  /** the kind of department usually in charge (主管); null for kinds that utilities companies own */
  departmentKind: Nullable(Type.String()),
  /** shipped with the standard (true) or added by the city (false) */
  standard: Type.Boolean(),
  /** a retired kind takes no new components */
  active: Type.Boolean(),
});

export const CatalogueSchema = Type.Object({
  /** where the standard's classes and kinds come from */
  source: Type.String(),
  classes: Type.Array(Type.Object({ code: Type.String(), nameZh: Type.String(), nameEn: Type.String(), kinds: Type.Array(ComponentKindSchema) })),
});

export const ComponentSchema = Type.Object({
  code: Type.String(), classCode: Type.String(), kindCode: Type.String(), divisionCode: Type.String(), gridCode: Nullable(Type.String()),
  lon: Type.Number(), lat: Type.Number(), state: OneOf(componentStates),
  competentDepartmentId: Nullable(Type.Integer()), ownerDepartmentId: Nullable(Type.Integer()), maintainerDepartmentId: Nullable(Type.Integer()),
  address: Type.String(), installedOn: Nullable(Type.String()), surveyedOn: Nullable(Type.String()), source: OneOf(componentSources),
  createdAt: Timestamp, updatedAt: Timestamp,
  classNameZh: Type.String(), classNameEn: Type.String(), kindNameZh: Type.String(), kindNameEn: Type.String(), gridName: Nullable(Type.String()),
  competentDepartmentName: Nullable(Type.String()), ownerDepartmentName: Nullable(Type.String()), maintainerDepartmentName: Nullable(Type.String()),
  abilities: Type.Object({ edit: Type.Boolean() }),
});
export const ComponentsSchema = Page(ComponentSchema);

/** Components of a box as map points. */
export const ComponentPointsSchema = Type.Object({
  /** more components matched than the limit let through: zoom in */
  truncated: Type.Boolean(),
  ...Items(Type.Object({ code: Type.String(), classCode: Type.String(), kindCode: Type.String(), state: OneOf(componentStates),
    lon: Type.Number(), lat: Type.Number() })).properties,
});
