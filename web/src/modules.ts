import type { LazyExoticComponent, ReactNode } from 'react';
import type { Me } from './session';

/** A page in the logged-in console: its path is `/${key}`, its menu label the translation `menu.${key}`. */
export interface ConsolePage {
  key: string;
  icon: ReactNode;
  component: LazyExoticComponent<() => ReactNode>;
  /** Whether the menu offers the page to this user (the server still decides what they may see). */
  visible?: (user: Me) => boolean;
}

/** A page anyone may open without logging in (a citizen's report form, a public status page, a verifier). */
export interface PublicPage {
  /** Path prefix, e.g. `/report`; `/report/123` also matches. */
  path: string;
  component: LazyExoticComponent<() => ReactNode>;
}

/** What one domain module adds to the web app; each lives in `web/src/<module>/module.tsx`. */
export interface WebModule {
  /** Position of the module's pages in the menu, lower first. */
  order: number;
  pages: ConsolePage[];
  publicPages?: PublicPage[];
}

// Modules register themselves by file name, so adding one touches no shared file.
const found = import.meta.glob<WebModule>('./*/module.tsx', { eager: true, import: 'module' });
const modules = Object.values(found).sort((a, b) => a.order - b.order);

export const consolePages: ConsolePage[] = modules.flatMap((m) => m.pages);
export const publicPages: PublicPage[] = modules.flatMap((m) => m.publicPages ?? []);

const matches = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

export const consolePageAt = (path: string): ConsolePage | undefined => consolePages.find((p) => matches(path, `/${p.key}`));
export const publicPageAt = (path: string): PublicPage | undefined => publicPages.find((p) => matches(path, p.path));

/** The console pages this user's menu shows, in menu order. */
export const pagesFor = (user: Me): ConsolePage[] => consolePages.filter((p) => !p.visible || p.visible(user));
