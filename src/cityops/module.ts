import { defineModule } from '../kernel/module.ts';
import { prepareCaseKinds } from './case-kinds.ts';
import { sweepCaseDeadlines } from './case-deadlines.ts';
import { cityopsCaseRoutes } from './case-routes.ts';
import { prepareHotlineCategories, sweepHotlineCases } from './hotline-link.ts';
import { prepareCatalogue } from './catalogue.ts';
import { caseLogins, loadCasesDemo, removeCasesDemo } from './demo-cases.ts';
import { loadComponentsDemo, removeComponentsDemo } from './demo.ts';
import { cityopsLedgerActions, cityopsMessages } from './messages.ts';
import { cityopsActions, cityopsCapabilities, cityopsGrants, deskKinds, readEvaluation } from './policy.ts';
import { cityopsRoutes } from './routes.ts';

/** 一网统管 city operations: the component registry (部件) with its catalogue, and cases (案件) from report to rating. */
export const cityopsModule = defineModule({
  name: 'cityops',
  migrations: ['0090_cityops_components.sql', '0160_cityops_cases.sql'],
  messages: cityopsMessages,
  ledgerActions: cityopsLedgerActions,
  permissions: { actions: Object.values(cityopsActions), grants: cityopsGrants },
  capabilities: cityopsCapabilities,
  abilities: [readEvaluation],
  reservedDepartmentKinds: Object.values(deskKinds),
  routes: [{ prefix: '/api/v1/cityops', plugin: cityopsRoutes }, { prefix: '/api/v1/cityops', plugin: cityopsCaseRoutes }],
  timers: [
    { name: 'cityops.cases.deadlines', everyMs: 60_000, run: sweepCaseDeadlines },
    // 12345 tickets of the categories marked `auto` become cases within a minute of intake.
    { name: 'cityops.hotline.cases', everyMs: 60_000, run: sweepHotlineCases },
  ],
  prepare: async (db) => {
    await prepareCatalogue(db);
    await prepareCaseKinds(db);
    await prepareHotlineCategories(db);
  },
  demo: {
    logins: caseLogins,
    async load(ctx) {
      const { components } = await loadComponentsDemo(ctx.tx, ctx);
      const cases = await loadCasesDemo(ctx);
      return { cityopsComponents: components, cityopsCases: cases.cases };
    },
    async reset(ctx) {
      const cases = await removeCasesDemo(ctx);
      return { ...(await removeComponentsDemo(ctx.tx, ctx.cityCode)), ...cases };
    },
  },
});
