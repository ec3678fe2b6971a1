import { defineModule } from '../module.ts';
import { loadOrgDemo, resetOrgDemo } from './demo.ts';
import { orgLedgerActions, orgMessages } from './messages.ts';
import { orgRoutes } from './routes.ts';

const orgActions = ['org.read', 'org.division.manage', 'org.department.manage', 'org.grid.manage'] as const;

/** 组织机构: divisions, departments and grids. */
export const orgModule = defineModule({
  name: 'org',
  migrations: ['0002_org.sql', '0131_divisions_stamp.sql'],
  messages: orgMessages,
  ledgerActions: orgLedgerActions,
  permissions: {
    actions: orgActions,
    grants: {
      platform_admin: ['org.read', 'org.division.manage', 'org.department.manage', 'org.grid.manage'],
      dept_admin: ['org.read', 'org.department.manage'],
      officer: ['org.read'],
      data_officer: ['org.read'],
      inspector: ['org.read'],
    },
  },
  routes: [{ prefix: '/api/v1/org', plugin: orgRoutes }],
  demo: { load: loadOrgDemo, reset: resetOrgDemo },
});
