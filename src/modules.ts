/**
 * Every module of the platform, in dependency order: a module comes after the modules it uses. The
 * server, the CLI, the demo and the tests loop over this list; adding a module is its folder with a
 * `module.ts` manifest (see src/kernel/module.ts) plus one line here.
 */
import { authModule } from './kernel/auth/module.ts';
import { calendarModule } from './kernel/calendar/module.ts';
import { platformModule } from './kernel/db/module.ts';
import { demoModule } from './kernel/demo/module.ts';
import { ledgerModule } from './kernel/ledger/module.ts';
import type { ModuleManifest } from './kernel/module.ts';
import { orgModule } from './kernel/org/module.ts';
import { cityopsModule } from './cityops/module.ts';
import { hotlineModule } from './hotline/module.ts';
import { hubModule } from './hub/module.ts';
import { registryModule } from './registry/module.ts';
import { penaltiesModule } from './penalties/module.ts';
import { servicesModule } from './services/module.ts';
import { supervisionModule } from './supervision/module.ts';
import { oversightModule } from './oversight/module.ts';

export const modules: readonly ModuleManifest[] = [
  platformModule,
  ledgerModule,
  demoModule,
  orgModule,
  authModule,
  calendarModule,
  hotlineModule,
  hubModule,
  servicesModule,
  penaltiesModule,
  supervisionModule,
  oversightModule,
  registryModule,
  cityopsModule,
];
