import { joinCapabilities } from '../kernel/auth/index.ts';
import { commandNamed, failVerification, listed } from '../kernel/cli.ts';
import { defineModule, joinGrants } from '../kernel/module.ts';
import { loadHubDemo, removeHubDemo } from './demo.ts';
import { loadHubExchangeDemo, removeHubExchangeDemo } from './exchange-demo.ts';
import { verifyEvidence } from './exchange/evidence.ts';
import { hubExchangeLedgerActions, hubExchangeMessages } from './exchange/messages.ts';
import { exchangeActions, exchangeCapabilities, exchangeGrants } from './exchange/policy.ts';
import { escalateOverdueRequests } from './exchange/requests.ts';
import { hubExchangeRoutes, hubGatewayRoutes } from './exchange/routes.ts';
import { hubCatalogueLedgerActions, hubCatalogueMessages } from './messages.ts';
import { hubActions, hubAdminDepartmentKind, hubCapabilities, hubCatalogueGrants, readOwnQuality } from './policy.ts';
import { ckanRoutes, hubCatalogueRoutes } from './routes.ts';

/** 数据共享 (data hub): the catalogue (目录) and the exchange (共享申请, 授权, 网关, 存证). */
export const hubModule = defineModule({
  name: 'hub',
  migrations: ['0020_hub_catalogue.sql', '0024_hub_published_search.sql', '0025_hub_exchange.sql', '0037_resource_submitter.sql',
    '0043_evidence_without_foreign_keys.sql', '0100_hub_system_contact.sql', '0121_hub_evidence_grant_purpose.sql'],
  messages: { ...hubCatalogueMessages, ...hubExchangeMessages },
  ledgerActions: { ...hubCatalogueLedgerActions, ...hubExchangeLedgerActions },
  permissions: { actions: [...Object.values(hubActions), ...Object.values(exchangeActions)], grants: joinGrants(hubCatalogueGrants, exchangeGrants) },
  capabilities: joinCapabilities(hubCapabilities, exchangeCapabilities),
  abilities: [readOwnQuality],
  reservedDepartmentKinds: [hubAdminDepartmentKind],
  routes: [
    { prefix: '/api/v1/hub', plugin: hubCatalogueRoutes },
    { prefix: '/api', plugin: ckanRoutes },
    { prefix: '/api/v1/hub', plugin: hubExchangeRoutes },
    { prefix: '/hub/v1', plugin: hubGatewayRoutes },
  ],
  timers: [{ name: 'hub.requests.escalate', everyMs: 60_000, run: escalateOverdueRequests }],
  cli(program, { withDatabase }) {
    commandNamed(program, 'ledger').command('verify-evidence')
      .description('prove every data hub call record (调用存证) from the ledger and back: no row without its entry, no entry without its row, no field changed; exit status 2 on any mismatch')
      .action(async () => {
        const result = await withDatabase((db) => verifyEvidence(db));
        const { changed, unrecorded, missing } = result;
        if (changed.length + unrecorded.length + missing.length === 0)
          return console.log(`evidence verified: ${result.checked} call records match their ledger entries, and every call entry has its record`);
        const faults = [
          changed.length ? `changed ${listed(changed)}` : '',
          unrecorded.length ? `without ledger entry ${listed(unrecorded)}` : '',
          missing.length ? `record missing for ledger ${listed(missing.map((m) => (m.index === null ? `${m.messageId} (queued)` : `entry ${m.index} (${m.messageId})`)))}` : '',
        ].filter(Boolean);
        failVerification(`evidence verification FAILED: ${faults.join('; ')}`);
      });
  },
  demo: {
    async load({ tx, seed, cityCode }) {
      await loadHubDemo(tx, { seed, cityCode });
      await loadHubExchangeDemo(tx, { seed, cityCode });
    },
    async reset({ tx, cityCode }) {
      await removeHubExchangeDemo(tx, cityCode);
      await removeHubDemo(tx, cityCode);
    },
  },
});
