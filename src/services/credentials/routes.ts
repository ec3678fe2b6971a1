import Type from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { runCommand, type App } from '../../kernel/http/index.ts';
import { DomainError, notFound } from '../../kernel/errors.ts';
import { bindCredentialToDevice, listIssuedCredentials, listMyCredentials, presentCredential, revokeCredential } from './credentials.ts';
import { findIssuerByCode, issuerJwks, rotateIssuerKey } from './issuers.ts';
import { issueVerifierNonce } from './nonces.ts';
import { presentRegisterRow, presentVerification, presentWalletCard } from './present.ts';
import { currentStatusList } from './status.ts';
import { credentialTypeNames } from './types.ts';
import { verifyPresentation } from './verify.ts';
import { PresentationSchema, RegisterRowSchema, RegisterSchema, RotatedKeySchema, VerificationSchema, VerifierNonceSchema, WalletCardSchema, WalletSchema } from './api-schemas.ts';

const tags = ['credentials'];
const verifySchema = {
  tags, summary: '验证 Verify a presentation: issuer, key, signature, validity, disclosures, revocation (public)',
  body: Type.Object({ presentation: Type.String({ minLength: 1, maxLength: 64 * 1024 }) }, { additionalProperties: false }),
  response: { 200: VerificationSchema },
};

/** Verifies a presentation for anyone; logs what was verified, not what it disclosed. */
async function verifyHandler(req: FastifyRequest<{ Body: { presentation: string } }>) {
  const verified = await verifyPresentation(req.server.db, req.body.presentation);
  req.log.info({ iss: verified.issuer.iss, vct: verified.vct, disclosed: Object.keys(verified.claims) }, 'credential verified');
  return presentVerification(verified);
}
const nonceSchema = {
  tags, summary: '发起核验 A nonce for one presentation to this verifier: the holder\'s Key Binding JWT must carry it and the audience (public; single use)',
  response: { 201: VerifierNonceSchema },
};
/** Hands out a verifier nonce; the presentation that answers it is accepted once. */
const nonceHandler = async (req: FastifyRequest, reply: FastifyReply) => {
  reply.code(201);
  return runCommand(req, issueVerifierNonce, { ip: req.ip }, (n) => ({ nonce: n.nonce, audience: n.audience, expiresAt: n.expiresAt.toISOString() }));
};
const Nonce = Type.String({ minLength: 16, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' });
const Jws = Type.String({ maxLength: 4096, pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$' });
const oneOf = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const CredentialId = Type.Object({ id: Type.String({ format: 'uuid' }) });
const JwkCoordinate = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' });

/** 电子证照 API for holders and issuers (under /api/v1/credentials). */
export async function credentialRoutes(app: App) {
  // The same verifier as /credentials/verify, for the web app's API client.
  app.post('/verify/nonce', { schema: nonceSchema }, nonceHandler);
  app.post('/verify', { schema: verifySchema }, verifyHandler);

  app.get('/mine', { schema: { tags, summary: '我的证照 The holder\'s credentials with their claims', response: { 200: WalletSchema } } },
    async (req) => ({ items: (await listMyCredentials(app.db, req.actor)).map((c) => presentWalletCard(c)) }));

  app.post('/:id/presentations', {
    schema: { tags, summary: '出示 A presentation of the holder\'s credential with only the chosen claims',
      params: CredentialId,
      body: Type.Object({ disclose: Type.Array(Type.String({ minLength: 1, maxLength: 80 }), { maxItems: 50 }),
        nonce: Type.String({ ...Nonce, description: 'the verifier\'s nonce (from its /verify/nonce)' }),
        audience: Type.Optional(Type.String({ minLength: 1, maxLength: 300, description: 'the verifier\'s audience; this platform\'s verifier if absent' })) },
      { additionalProperties: false }),
      response: { 201: PresentationSchema } },
  }, async (req, reply) => {
    reply.code(201);
    return runCommand(req, presentCredential, { id: req.params.id, ...req.body });
  });

  app.post('/:id/device-binding', {
    schema: { tags, summary: '绑定设备 Bind the holder\'s credential to a key made on their device; presentations then need its signature. '
      + 'Moving a device-bound credential to a new key needs `proof`: an ES256 JWS by the current device key over {credential, jwk_thumbprint, iat}',
      params: CredentialId,
      body: Type.Object({ jwk: Type.Object({ kty: Type.Literal('EC'), crv: Type.Literal('P-256'), x: JwkCoordinate, y: JwkCoordinate },
        { additionalProperties: false }), proof: Type.Optional(Jws) }, { additionalProperties: false }),
      response: { 200: WalletCardSchema } },
  }, (req) => runCommand(req, bindCredentialToDevice, { id: req.params.id, ...req.body }, (c) => presentWalletCard(c)));

  app.get('/issued', {
    schema: { tags, summary: '发证登记 Credentials issued by the caller\'s department',
      querystring: Type.Object({ departmentId: Type.Optional(Type.Integer({ minimum: 1 })), type: Type.Optional(oneOf(credentialTypeNames)),
        limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }), offset: Type.Integer({ minimum: 0, default: 0 }) }),
      response: { 200: RegisterSchema } },
  }, async (req) => {
    const page = await listIssuedCredentials(app.db, req.actor, req.query);
    return { total: page.total, items: page.items.map((c) => presentRegisterRow(c)) };
  });

  app.post('/:id/revoke', {
    schema: { tags, summary: '吊销 Revoke a credential (issuing department)', params: CredentialId,
      body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' }) }, { additionalProperties: false }),
      response: { 200: RegisterRowSchema } },
  }, (req) => runCommand(req, revokeCredential, { id: req.params.id, reason: req.body.reason }, (c) => presentRegisterRow(c)));

  app.post('/issuers/:departmentId/rotate-key', {
    schema: { tags, summary: '密钥轮换 A new signing key for the issuer; old keys still verify',
      params: Type.Object({ departmentId: Type.Integer({ minimum: 1 }) }), response: { 200: RotatedKeySchema } },
  }, (req) => runCommand(req, rotateIssuerKey, { departmentId: req.params.departmentId }));
}

/** Public endpoints for verifiers: verify, status lists, issuer keys and SD-JWT VC issuer metadata. */
export async function credentialPublicRoutes(app: App) {
  app.post('/credentials/verify/nonce', { schema: nonceSchema }, nonceHandler);
  app.post('/credentials/verify', { schema: verifySchema }, verifyHandler);

  app.get('/credentials/status/:list', {
    schema: { tags, summary: 'Token Status List of an issuer (application/statuslist+jwt)', params: Type.Object({ list: Type.Integer({ minimum: 1 }) }) },
  }, async (req, reply) => {
    const signed = await currentStatusList(app.db, req.params.list);
    if (!signed) throw notFound('credentials.status-list', req.params.list);
    return reply.type('application/statuslist+jwt').header('cache-control', 'max-age=60').send(signed.token);
  });

  const issuerByCode = async (code: string) => {
    const issuer = await findIssuerByCode(app.db, code);
    if (!issuer) throw new DomainError('credentials.issuer.not-found', { status: 404, field: 'issuer' });
    return issuer;
  };
  const IssuerParams = Type.Object({ issuer: Type.String({ minLength: 1, maxLength: 80 }) });

  app.get('/credentials/issuers/:issuer/jwks', { schema: { tags, summary: 'Public keys of an issuer (JWKS)', params: IssuerParams } },
    async (req) => issuerJwks(app.db, (await issuerByCode(req.params.issuer)).departmentId));

  app.get('/.well-known/jwt-vc-issuer/credentials/issuers/:issuer', {
    schema: { tags, summary: 'SD-JWT VC issuer metadata with the JWKS inline', params: IssuerParams },
  }, async (req) => {
    const issuer = await issuerByCode(req.params.issuer);
    return { issuer: issuer.issuer, jwks: await issuerJwks(app.db, issuer.departmentId) };
  });
}
