import { defineModule } from '../kernel/module.ts';
import { loadRegistryDemo, removeRegistryDemo } from './demo.ts';
import { resumeLoads } from './loads.ts';
import { registryMatchCli } from './match/cli.ts';
import { registryLedgerActions, registryMessages } from './messages.ts';
import { registryActions, registryCapabilities, registryGrants } from './policy.ts';
import { registryRoutes } from './routes.ts';

/** 基础库: 人口库 and 法人库 resolved from the departments' hub resources into golden records. */
export const registryModule = defineModule({
  name: 'registry',
  migrations: ['0060_registry.sql', '0130_registry_entity_division.sql', '0151_registry_pairs_right.sql'],
  messages: registryMessages,
  ledgerActions: registryLedgerActions,
  permissions: { actions: Object.values(registryActions), grants: registryGrants },
  capabilities: registryCapabilities,
  routes: [{ prefix: '/api/v1/registry', plugin: registryRoutes }],
  // A load whose process died goes on from the stage it reached.
  timers: [{ name: 'registry.loads.resume', everyMs: 30_000, run: resumeLoads }],
  // `yiwang registry match`: the same pipeline over plain CSV files.
  cli: (program) => registryMatchCli(program),
  demo: {
    load: ({ tx, cityCode, seed }) => loadRegistryDemo(tx, { cityCode, seed }),
    reset: ({ tx, cityCode }) => removeRegistryDemo(tx, cityCode),
  },
});
