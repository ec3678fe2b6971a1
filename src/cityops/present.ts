/** What leaves the API about a component: its fields and names, and what the viewer may do with it. */
import type { Actor } from '../kernel/auth/index.ts';
import { can } from '../kernel/auth/index.ts';
import type { ComponentView } from './components.ts';
import { cityopsActions } from './policy.ts';

export function presentComponent(component: ComponentView, viewer: Actor) {
  return { ...component, abilities: { edit: can(viewer, cityopsActions.manage, component) } };
}
