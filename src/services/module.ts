import { joinCapabilities } from '../kernel/auth/index.ts';
import { defineModule, joinGrants } from '../kernel/module.ts';
import { loadCredentialDemo, removeCredentialDemo } from './credentials/demo.ts';
import { credentialLedgerActions, credentialMessages } from './credentials/messages.ts';
import { expireVerifierNonces } from './credentials/nonces.ts';
import { credentialActions, credentialGrants, registerCapabilities } from './credentials/policy.ts';
import { credentialPublicRoutes, credentialRoutes } from './credentials/routes.ts';
import { loadServicesDemo, removeServicesDemo } from './demo.ts';
import { servicesLedgerActions, servicesMessages } from './messages.ts';
import { queueCapabilities, servicesActions, servicesGrants } from './policy.ts';
import { defaultRatings } from './ratings.ts';
import { servicesRoutes } from './routes.ts';
import { escalateOverdue } from './workflow.ts';

/** 一网通办: the service catalogue, applications and their handling, ratings, 不来即享, and 电子证照 (e-certificates). */
export const servicesModule = defineModule({
  name: 'services',
  migrations: ['0030_services.sql', '0031_services_ratings.sql', '0032_services_policies.sql', '0035_credentials.sql', '0036_services_item_revision.sql',
    '0041_verifier_nonces.sql', '0140_services_amounts.sql', '0150_services_prefill_sources.sql', '0152_credentials_subject.sql',
    '0173_services_policy_amounts.sql'],
  messages: { ...servicesMessages, ...credentialMessages },
  ledgerActions: { ...servicesLedgerActions, ...credentialLedgerActions },
  permissions: { actions: [...Object.values(servicesActions), ...Object.values(credentialActions)], grants: joinGrants(servicesGrants, credentialGrants) },
  capabilities: joinCapabilities(queueCapabilities, registerCapabilities),
  routes: [
    { prefix: '/api/v1/services', plugin: servicesRoutes },
    { prefix: '/api/v1/credentials', plugin: credentialRoutes },
    // The verifier's endpoints and the issuers' status lists, outside the console's API.
    { plugin: credentialPublicRoutes },
  ],
  timers: [
    // 超期督办: every ten minutes, overdue applications are flagged and escalated.
    { name: 'services.escalate-overdue', everyMs: 10 * 60_000, run: escalateOverdue },
    // 默认好评: hourly, finished cases unrated after the rating period become 基本满意.
    { name: 'services.default-ratings', everyMs: 60 * 60_000, run: defaultRatings },
    { name: 'credentials.nonces.expire', everyMs: 3_600_000, run: expireVerifierNonces },
  ],
  demo: {
    async load({ tx, seed }) {
      await loadServicesDemo(tx, { seed });
      await loadCredentialDemo(tx);
    },
    async reset({ tx, cityCode }) {
      await removeServicesDemo(tx, cityCode);
      await removeCredentialDemo(tx, cityCode);
    },
  },
});
