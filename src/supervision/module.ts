import { defineModule } from '../kernel/module.ts';
import { leaderLogin, loadSupervisionDemo, removeSupervisionDemo } from './demo.ts';
import { supervisionLedgerActions, supervisionMessages } from './messages.ts';
import { officeKind, supervisionActions, supervisionCapabilities, supervisionGrants } from './policy.ts';
import { sweepChecks } from './problems.ts';
import { supervisionRoutes } from './routes.ts';
import { sweepTasks } from './tasks.ts';

/** 七张问题清单 (problem lists closed to the end) and 督考 (supervision tasks and the monthly department score). */
export const supervisionModule = defineModule({
  name: 'supervision',
  migrations: ['0080_supervision.sql'],
  messages: supervisionMessages,
  ledgerActions: supervisionLedgerActions,
  permissions: { actions: Object.values(supervisionActions), grants: supervisionGrants },
  capabilities: supervisionCapabilities,
  reservedDepartmentKinds: [officeKind],
  routes: [{ prefix: '/api/v1/supervision', plugin: supervisionRoutes }],
  timers: [
    // 催办 and 督办升级: hourly, acting only on working days; each task is reminded and escalated once.
    { name: 'supervision.tasks', everyMs: 3_600_000, run: sweepTasks },
    // Recurring checks (定期检查) of closed problems falling due.
    { name: 'supervision.checks', everyMs: 3_600_000, run: sweepChecks },
  ],
  demo: {
    load: loadSupervisionDemo,
    reset: removeSupervisionDemo,
    logins: [{ username: leaderLogin.username, role: 'inspector', description: '市政府督查室 监督员: problem lists, 督办事项 and 督考 of 广安市',
      tryFirst: '问题清单: accept a rectified problem; 督办事项: close a reported task; 督考排名: change a weight and read the formula' }],
  },
});
