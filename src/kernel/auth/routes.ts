import Type from 'typebox';
import cookie from '@fastify/cookie';
import type { App } from '../http/index.ts';
import { runCommand, sendProblem } from '../http/index.ts';
import { withTransaction } from '../db/index.ts';
import { anonymous, roles } from './actor.ts';
import { capabilitiesOf } from './capabilities.ts';
import { login, unlockUser } from './login.ts';
import { presentActor, presentApiToken, presentUser } from './present.ts';
import { endSession, resolveSession, sessionCookie, sessionLifetimeMs } from './sessions.ts';
import { issueApiToken, listApiTokens, resolveApiToken, revokeApiToken } from './tokens.ts';
import { createStaff, getUser, listStaff, resetPassword, updateStaff } from './users.ts';
import { registerFromAddress } from './limits.ts';
import { assertCan } from './policy.ts';
import { DomainError, notFound } from '../errors.ts';
import { Page } from '../http/responses.ts';
import { callerSchema, ContactSchema, meSchema, UserSchema } from './api-schemas.ts';

const Username = Type.String({ minLength: 1, maxLength: 40 });
const Password = Type.String({ minLength: 1, maxLength: 200 });
const DisplayName = Type.String({ minLength: 1, maxLength: 60 });
const RoleName = Type.Union(roles.map((r) => Type.Literal(r)));
const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** Resolves the caller of every request (session cookie or bearer token) into `req.actor`; anonymous otherwise. */
export async function authentication(app: App, opts: { sessionIdleMinutes?: number } = {}) {
  await app.register(cookie);
  app.decorateRequest('actor', null as never);
  app.addHook('onRequest', async (req) => {
    req.actor = anonymous;
    const bearer = req.headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
    if (bearer) {
      req.actor = (await resolveApiToken(app.db, bearer)) ?? anonymous;
      return;
    }
    const token = req.cookies[sessionCookie];
    if (token) req.actor = (await resolveSession(app.db, token, opts.sessionIdleMinutes)) ?? anonymous;
  });
}

export async function authRoutes(app: App, opts: { secureCookies: boolean }) {
  const Caller = callerSchema();
  app.post('/login', {
    config: { opensSession: true },
    schema: { tags: ['auth'], summary: '登录 Log in with username and password; sets the session cookie',
      body: Type.Object({ username: Username, password: Password }, { additionalProperties: false }), response: { 200: Caller } },
  }, async (req, reply) => {
    const result = await withTransaction(app.db, (tx) => login({ tx, actor: anonymous, now: new Date() },
      { ...req.body, ip: req.ip, userAgent: req.headers['user-agent'] }));
    if (!result.ok) {
      if (result.retryAfterSeconds) reply.header('retry-after', String(result.retryAfterSeconds));
      const status = result.reason === 'bad-credentials' ? 401 : result.reason === 'locked' ? 423 : 429;
      return sendProblem(req, reply, { status, code: `auth.${result.reason}`, field: result.reason === 'bad-credentials' ? 'password' : undefined });
    }
    reply.setCookie(sessionCookie, result.token, {
      path: '/', httpOnly: true, sameSite: 'lax', secure: opts.secureCookies, maxAge: sessionLifetimeMs / 1000,
    });
    const actor = (await resolveSession(app.db, result.token))!;
    return { user: presentActor(actor, await capabilitiesOf(app.db, actor)) };
  });

  app.post('/logout', { schema: { tags: ['auth'], summary: 'End the session' } }, async (req, reply) => {
    const token = req.cookies[sessionCookie];
    if (token) await withTransaction(app.db, (tx) => endSession(tx, token));
    reply.clearCookie(sessionCookie, { path: '/' });
    return reply.code(204).send();
  });

  app.get('/me', { schema: { tags: ['auth'], summary: 'The caller: name, roles, actions, jurisdiction and capabilities (what the console may offer); null for a visitor without credentials', response: { 200: meSchema() } } }, async (req) => {
    if (req.actor.kind === 'anonymous') {
      // A visitor who sent no credentials is simply nobody; a session or token that no longer holds is 401.
      if (!req.cookies[sessionCookie] && !req.headers.authorization) return { user: null };
      assertCan(req.actor, 'auth.me');
    }
    return { user: presentActor(req.actor, await capabilitiesOf(app.db, req.actor)) };
  });

  app.get('/me/contact', { schema: { tags: ['auth'], summary: 'The caller\'s own name and phone, to prefill their forms', response: { 200: ContactSchema } } },
    async (req) => {
      // Only a person's account has contact details; a caller without one is asked to log in.
      if (req.actor.kind !== 'citizen' && req.actor.kind !== 'staff') throw new DomainError('unauthenticated', { status: 401 }, 'login required');
      const user = await getUser(app.db, Number(req.actor.id));
      if (!user) throw notFound('auth.user', req.actor.id);
      return { name: user.display_name, phone: user.phone };
    });

  app.post('/register', {
    schema: { tags: ['auth'], summary: 'A citizen opens an account (resident ID checked; a few per address and hour)',
      body: Type.Object({ username: Username, displayName: DisplayName, password: Password,
        idNumber: Type.String({ minLength: 1, maxLength: 30 }), phone: Type.Optional(Type.String({ maxLength: 20 })) },
      { additionalProperties: false }) },
  }, async (req, reply) => {
    reply.code(201);
    return runCommand(req, registerFromAddress, { ...req.body, ip: req.ip }, presentUser);
  });
}

export async function userRoutes(app: App) {
  app.get('', {
    schema: { tags: ['users'], summary: 'Staff within the caller\'s jurisdiction',
      querystring: Type.Object({ departmentId: Type.Optional(Type.Integer({ minimum: 1 })), q: Type.Optional(Type.String({ maxLength: 60 })),
        limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }), offset: Type.Integer({ minimum: 0, default: 0 }) }),
      response: { 200: Page(UserSchema) } },
  }, async (req) => {
    const page = await listStaff(app.db, req.actor, req.query);
    return { total: page.total, items: page.items.map((u) => presentUser(u, req.actor)) };
  });

  app.post('', {
    schema: { tags: ['users'], summary: 'Add a staff member to a department',
      body: Type.Object({ username: Username, displayName: DisplayName, password: Password, departmentId: Type.Integer({ minimum: 1 }),
        roles: Type.Array(RoleName, { minItems: 1, maxItems: 6, uniqueItems: true }), phone: Type.Optional(Type.String({ maxLength: 20 })) },
      { additionalProperties: false }), response: { 201: UserSchema } },
  }, async (req, reply) => {
    reply.code(201);
    return runCommand(req, createStaff, req.body, presentUser);
  });

  app.get('/:id', { schema: { tags: ['users'], params: Id, response: { 200: UserSchema } } }, async (req) => {
    assertCan(req.actor, 'org.read');
    const user = await getUser(app.db, req.params.id);
    // Someone outside the jurisdiction is not there, as far as the caller can tell.
    if (!user || user.kind !== 'staff' || !req.actor.jurisdiction.covers(user.division_code!)) throw notFound('user', req.params.id);
    return presentUser(user, req.actor);
  });

  app.patch('/:id', {
    schema: { tags: ['users'], summary: 'Change department, roles, name, phone or disable',
      params: Id,
      body: Type.Object({ displayName: Type.Optional(DisplayName), departmentId: Type.Optional(Type.Integer({ minimum: 1 })),
        roles: Type.Optional(Type.Array(RoleName, { minItems: 1, maxItems: 6, uniqueItems: true })),
        disabled: Type.Optional(Type.Boolean()), phone: Type.Optional(Type.String({ maxLength: 20 })) }, { additionalProperties: false }),
      response: { 200: UserSchema } },
  }, (req) => runCommand(req, updateStaff, { id: req.params.id, ...req.body }, presentUser));

  app.put('/:id/password', {
    schema: { tags: ['users'], summary: 'Set a new password (self, giving the current one, or admin); ends the user\'s sessions',
      params: Id, body: Type.Object({ password: Password, currentPassword: Type.Optional(Password) }, { additionalProperties: false }) },
  }, async (req, reply) => {
    const result = await runCommand(req, resetPassword, { id: req.params.id, ...req.body, ip: req.ip });
    if (result.ok) return reply.code(204).send();
    if (result.retryAfterSeconds) reply.header('retry-after', String(result.retryAfterSeconds));
    return sendProblem(req, reply, { status: result.reason === 'locked' ? 423 : 400, code: `auth.${result.reason}`, field: 'currentPassword' });
  });

  app.post('/:id/unlock', {
    schema: { tags: ['users'], summary: '解锁 Lift the login lockouts of a user within the caller\'s jurisdiction', params: Id, response: { 200: UserSchema } },
  }, (req) => runCommand(req, unlockUser, { id: req.params.id }, presentUser));
}

export async function tokenRoutes(app: App) {
  app.get('', { schema: { tags: ['tokens'], summary: 'API tokens of systems within the caller\'s jurisdiction' } },
    async (req) => ({ items: (await listApiTokens(app.db, req.actor)).map(presentApiToken) }));

  app.post('', {
    schema: { tags: ['tokens'], summary: 'Issue an API token for a system; the token is shown once',
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), roles: Type.Array(RoleName, { minItems: 1, uniqueItems: true }),
        divisionCode: Type.String({ pattern: '^[0-9]{12}$' }), departmentId: Type.Optional(Type.Integer({ minimum: 1 })),
        validDays: Type.Integer({ minimum: 1, maximum: 730 }) }, { additionalProperties: false }) },
  }, async (req, reply) => {
    reply.code(201);
    return runCommand(req, issueApiToken, req.body, (r) => ({ token: r.token, ...presentApiToken(r.row) }));
  });

  app.delete('/:id', { schema: { tags: ['tokens'], params: Type.Object({ id: Type.String({ format: 'uuid' }) }) } },
    (req) => runCommand(req, revokeApiToken, req.params.id, presentApiToken));
}
