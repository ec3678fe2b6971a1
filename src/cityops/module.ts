import { defineModule } from '../kernel/module.ts';
import { prepareCatalogue } from './catalogue.ts';
import { loadComponentsDemo, removeComponentsDemo } from './demo.ts';
import { cityopsLedgerActions, cityopsMessages } from './messages.ts';
import { cityopsActions, cityopsGrants } from './policy.ts';
import { cityopsRoutes } from './routes.ts';

/** 一网统管 city operations: the component registry (部件) with its catalogue of classes and kinds. */
export const cityopsModule = defineModule({
  name: 'cityops',
  migrations: ['0090_cityops_components.sql'],
  messages: cityopsMessages,
  ledgerActions: cityopsLedgerActions,
  permissions: { actions: Object.values(cityopsActions), grants: cityopsGrants },
  routes: [{ prefix: '/api/v1/cityops', plugin: cityopsRoutes }],
  prepare: (db) => prepareCatalogue(db),
  demo: {
    async load({ tx, seed, city, cityCode }) {
      const { components } = await loadComponentsDemo(tx, { seed, city, cityCode });
      return { cityopsComponents: components };
    },
    async reset({ tx, cityCode }) {
      return removeComponentsDemo(tx, cityCode);
    },
  },
});
