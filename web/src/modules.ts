import type { LazyExoticComponent, ReactNode } from 'react';
import type { Me } from './session';
import { module as catalogue } from './catalogue/module';
import { module as cityops } from './cityops/module';
import { module as credentials } from './credentials/module';
import { module as exchange } from './exchange/module';
import { module as hotline } from './hotline/module';
import { module as kernel } from './kernel/module';
import { module as oversight } from './oversight/module';
import { module as penalties } from './penalties/module';
import { module as registry } from './registry/module';
import { module as services } from './services/module';
import { module as supervision } from './supervision/module';

/** A page in the logged-in console: its path is `/${key}`, its menu label the translation `menu.${key}`. */
export interface ConsolePage {
  key: string;
  icon: ReactNode;
  component: LazyExoticComponent<() => ReactNode>;
  /** Whether the menu offers the page to this user (the server still decides what they may see). */
  visible?: (user: Me) => boolean;
  /** Opens full-page, without the console's menu and header (the command-centre screen, 指挥大屏). */
  bare?: boolean;
}

/** A page anyone may open without logging in (a citizen's report form, a public status page, a verifier). */
export interface PublicPage {
  /** Path prefix, e.g. `/report`; `/report/123` also matches. */
  path: string;
  component: LazyExoticComponent<() => ReactNode>;
}

/**
 * What one module adds to the web app, the console's side of a server module's manifest
 * (src/kernel/module.ts); each lives in `web/src/<module>/module.tsx` and has its line in the list below.
 */
export interface WebModule {
  /** The folder's name. */
  name: string;
  pages: ConsolePage[];
  publicPages?: PublicPage[];
}

/** The console's modules in menu order, as src/modules.ts lists the server's: adding one is its folder plus one line. */
const modules: readonly WebModule[] = [kernel, hotline, cityops, catalogue, exchange, services, penalties, credentials, registry, supervision, oversight];

export const consolePages: ConsolePage[] = modules.flatMap((m) => m.pages);
export const publicPages: PublicPage[] = modules.flatMap((m) => m.publicPages ?? []);

const matches = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

export const consolePageAt = (path: string): ConsolePage | undefined => consolePages.find((p) => matches(path, `/${p.key}`));
export const publicPageAt = (path: string): PublicPage | undefined => publicPages.find((p) => matches(path, p.path));

/** The console pages this user's menu shows, in menu order. */
export const pagesFor = (user: Me): ConsolePage[] => consolePages.filter((p) => !p.visible || p.visible(user));
