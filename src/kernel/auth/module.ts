import { withTransaction } from '../db/index.ts';
import { StartupError } from '../errors.ts';
import { defineModule } from '../module.ts';
import { systemActor } from './actor.ts';
import { loadAuthDemo, resetAuthDemo } from './demo.ts';
import { closeAddressWindows } from './limits.ts';
import { lockout } from './lockouts.ts';
import { authLedgerActions, authMessages } from './messages.ts';
import { authRoutes, tokenRoutes, userRoutes } from './routes.ts';
import { createStaff } from './users.ts';

const authActions = ['auth.user.manage', 'auth.role.grant-any', 'auth.token.manage'] as const;

/** Accounts, login and sessions, API tokens. */
export const authModule = defineModule({
  name: 'auth',
  migrations: ['0003_auth.sql', '0038_revoke_minted_tokens.sql', '0042_login_limits.sql'],
  messages: authMessages,
  ledgerActions: authLedgerActions,
  permissions: {
    actions: authActions,
    grants: {
      platform_admin: ['auth.user.manage', 'auth.role.grant-any', 'auth.token.manage'],
      dept_admin: ['auth.user.manage'],
      data_officer: ['auth.token.manage'],
    },
  },
  routes: [
    { prefix: '/api/v1/auth', plugin: authRoutes },
    { prefix: '/api/v1/users', plugin: userRoutes },
    { prefix: '/api/v1/tokens', plugin: tokenRoutes },
  ],
  timers: [{ name: 'auth.address-limits.close', everyMs: 60_000, run: (db, now) => closeAddressWindows(db, now, lockout.minutes) }],
  cli(program, { withDatabase }) {
    const user = program.command('user').description('manage accounts');
    user.command('add').description('add a staff account to a department')
      .requiredOption('--username <name>', 'login name: 3–40 lower-case letters, digits, _ . -')
      .requiredOption('--name <display name>', 'name shown in the console')
      .requiredOption('--department <id>', 'department id', (v) => Number(v))
      .requiredOption('--roles <roles>', 'comma-separated: platform_admin, dept_admin, officer, data_officer, inspector', (v) => v.split(','))
      .option('--password <password>', 'initial password (or set YIWANG_PASSWORD)')
      .action((opts: { username: string; name: string; department: number; roles: string[]; password?: string }) => withDatabase(async (db) => {
        const password = opts.password ?? process.env.YIWANG_PASSWORD;
        if (!password) throw new StartupError('give --password or set YIWANG_PASSWORD');
        const created = await withTransaction(db, (tx) => createStaff({ tx, actor: systemActor('cli'), now: new Date() },
          { username: opts.username, displayName: opts.name, password, departmentId: opts.department, roles: opts.roles }));
        console.log(`added ${created.username} (id ${created.id}) with roles ${created.roles.join(', ')}`);
      }));
  },
  demo: { load: loadAuthDemo, reset: resetAuthDemo },
});
