import { defineModule } from '../kernel/module.ts';
import { loadPenaltiesDemo, penaltiesLogins, removePenaltiesDemo } from './demo.ts';
import { penaltiesLedgerActions, penaltiesMessages } from './messages.ts';
import { penaltiesActions, penaltiesCapabilities, penaltiesGrants } from './policy.ts';
import { penaltiesRoutes } from './routes.ts';

/** 行政处罚: penalty items with their discretion standards, and cases from 立案 to 决定 with 法制审核 between. */
export const penaltiesModule = defineModule({
  name: 'penalties',
  migrations: ['0187_penalties.sql'],
  messages: penaltiesMessages,
  ledgerActions: penaltiesLedgerActions,
  permissions: { actions: Object.values(penaltiesActions), grants: penaltiesGrants },
  capabilities: penaltiesCapabilities,
  routes: [{ prefix: '/api/v1/penalties', plugin: penaltiesRoutes }],
  demo: { load: loadPenaltiesDemo, reset: removePenaltiesDemo, logins: penaltiesLogins },
});
