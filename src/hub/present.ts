/** What leaves the API about catalogue entries: the entry with the buttons the viewer may press. */
import type { Actor } from '../kernel/auth/index.ts';
import { hasGrant } from '../kernel/auth/index.ts';
import type { Resource } from './entries.ts';
import { hubActions } from './policy.ts';

export interface EntryAbilities {
  edit: boolean;
  submit: boolean;
  review: boolean;
  retire: boolean;
  load: boolean;
  object: boolean;
}

export function abilitiesOf(resource: Pick<Resource, 'status' | 'providerDepartmentId' | 'kind'>, viewer: Actor, hubAdmin: boolean): EntryAbilities {
  const provider = hasGrant(viewer, hubActions.register) && (hubAdmin || viewer.departmentId === resource.providerDepartmentId);
  return {
    edit: provider && (resource.status === 'draft' || resource.status === 'published'),
    submit: provider && resource.status === 'draft',
    review: hubAdmin && resource.status === 'review',
    retire: provider && resource.status === 'published',
    load: provider && resource.kind === 'table',
    object: hasGrant(viewer, hubActions.objection) && viewer.departmentId !== null && viewer.departmentId !== resource.providerDepartmentId
      && resource.status === 'published',
  };
}

/** An entry with abilities; api details (URL, mapping) only for its provider and the hub administrators. */
export function presentResource(resource: Resource, viewer: Actor, hubAdmin: boolean) {
  const abilities = abilitiesOf(resource, viewer, hubAdmin);
  const insider = hubAdmin || viewer.departmentId === resource.providerDepartmentId;
  return {
    ...resource,
    apiUrl: insider ? resource.apiUrl : null,
    apiMapping: insider ? resource.apiMapping : null,
    abilities,
  };
}
