import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { Jwt } from '@sd-jwt/core';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { getListFromStatusListJWT } from '@sd-jwt/jwt-status-list';
import { calculateJwkThumbprint, createLocalJWKSet, jwtVerify, type JWK } from 'jose';
import { clearOfWindowEnd, createTestApp, ledgerCount, type TestApp } from '../../helpers/factories.ts';
import { withTransaction } from '../../../src/kernel/db/index.ts';
import {
  bindCredentialToDevice, credentialsInForce, issueCredential, issueVerifierNonce, presentCredential, signCredential, verifyPresentation, type IssueCredential,
} from '../../../src/services/credentials/index.ts';
import { es256Signer, hasher, saltGenerator } from '../../../src/services/credentials/sdjwt.ts';
import { nonceLimit } from '../../../src/services/credentials/nonces.ts';
import { citizenActor, licenceInput, makeCredentialCast } from './factories.ts';

let t: TestApp;
let cast: Awaited<ReturnType<typeof makeCredentialCast>>;
const cookies: Record<string, string> = {};
before(async () => {
  t = await createTestApp();
  cast = await makeCredentialCast(t.db);
  for (const user of ['admin', 'sp_data', 'ga_data', 'yc_data', 'sp_officer', 'alice', 'bob']) cookies[user] = await t.login(user);
});
after(() => t.close());

const call = (method: 'GET' | 'POST', url: string, user?: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: user ? { cookie: cookies[user]! } : {}, ...(payload === undefined ? {} : { payload: payload as object }) });
const issue = (input: IssueCredential) => withTransaction(t.db, (tx) => issueCredential(tx, input));
/** The verifier's first step: a nonce for the holder to present against. */
const askNonce = async () => {
  const res = await call('POST', '/credentials/verify/nonce');
  assert.equal(res.statusCode, 201, res.body);
  return res.json().nonce as string;
};
const present = async (user: string, id: string, disclose: string[]) => {
  const res = await call('POST', `/api/v1/credentials/${id}/presentations`, user, { disclose, nonce: await askNonce() });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().presentation as string;
};
const verify = (presentation: string) => call('POST', '/credentials/verify', undefined, { presentation });
const credentialCount = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM credentials')).rows[0]!.n;
/** Re-encodes the issuer JWT's payload after `edit`, keeping the old signature. */
const forgePayload = (presentation: string, edit: (payload: Record<string, unknown>) => void) => {
  const [jwt, ...rest] = presentation.split('~');
  const [h, p, s] = jwt!.split('.');
  const payload = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8'));
  edit(payload);
  return [`${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`, ...rest].join('~');
};

test('issueCredential signs every claim as a disclosure, derives ages from the resident ID, registers the issuer and writes the ledger', async () => {
  const now = new Date('2026-11-24T02:00:00Z');
  const before = await ledgerCount(t.db, 'credentials.credential.issued');
  const credential = await issue(licenceInput(cast.approval, cast.alice, { now, applicationId: 'A-2026-1' }));
  assert.equal(credential.type, 'business-licence');
  assert.equal(credential.vct, 'urn:yiwang:vct:business-licence:1');
  assert.equal(credential.applicationId, 'A-2026-1');
  assert.equal(credential.claims.birthdate, '1990-03-15');
  assert.deepEqual(credential.claims.age_equal_or_over, { 14: true, 16: true, 18: true, 60: false, 65: false });
  assert.equal(await ledgerCount(t.db, 'credentials.credential.issued'), before + 1);
  const { rows } = await t.db.query<{ sd_jwt: string }>('SELECT sd_jwt FROM credentials WHERE id = $1', [credential.id]);
  const sdjwt = new SDJwtVcInstance({ hasher });
  const decoded = await sdjwt.decode(rows[0]!.sd_jwt);
  assert.equal(decoded.jwt!.header!.typ, 'dc+sd-jwt');
  // Holder claims (4) and licence claims (6) at the top, five ages inside age_equal_or_over.
  assert.equal(decoded.disclosures!.length, 4 + 6 + 5);
  assert.deepEqual(Object.keys(decoded.jwt!.payload!).sort(), ['_sd', '_sd_alg', 'cnf', 'iat', 'iss', 'status', 'vct']);
  assert.deepEqual(Object.keys((decoded.jwt!.payload!.cnf as { jwk: object }).jwk).sort(), ['crv', 'kty', 'x', 'y'], 'the holder key, public half only');
  const jwks = await call('GET', '/credentials/issuers/' + encodeURIComponent(await codeOf(cast.approval)) + '/jwks');
  assert.equal(jwks.statusCode, 200);
  assert.equal(jwks.json().keys.length, 1);
  assert.equal(jwks.json().keys[0].kid, decoded.jwt!.header!.kid);
  assert.equal(jwks.json().keys[0].d, undefined);
  const stored = await t.db.query<{ private_key: Buffer }>('SELECT private_key FROM credential_issuer_keys');
  assert.ok(stored.rows.every((r) => !r.private_key.toString('latin1').includes('BEGIN')), 'private keys are stored sealed');
});

const codeOf = async (departmentId: number) =>
  (await t.db.query<{ code: string }>('SELECT code FROM departments WHERE id = $1', [departmentId])).rows[0]!.code;

test('bad input to issueCredential names the field and writes nothing', async () => {
  const count = await credentialCount();
  const codeAndField = async (input: IssueCredential) => {
    try {
      await issue(input);
      return 'issued';
    } catch (e) {
      const err = e as { code: string; details: { field?: string } };
      return `${err.code} ${err.details.field}`;
    }
  };
  const base = licenceInput(cast.approval, cast.alice);
  assert.equal(await codeAndField({ ...base, claims: { ...base.claims, shoe_size: 42 } }), 'credentials.unknown-claim claims.shoe_size');
  const { uscc: _, ...withoutUscc } = base.claims;
  assert.equal(await codeAndField({ ...base, claims: withoutUscc }), 'credentials.claim-missing claims.uscc');
  assert.equal(await codeAndField({ ...base, subject: { name: '王小红', idNumber: '511602199003151230' } }), 'credentials.bad-id-number subject.idNumber');
  assert.equal(await codeAndField({ ...base, type: 'pilot-licence' as never }), 'credentials.unknown-type type');
  assert.equal(await codeAndField({ ...base, holderUserId: 999_999 }), 'credentials.holder-unknown holderUserId');
  assert.equal(await codeAndField({ ...base, validUntil: new Date(Date.now() - 1000) }), 'credentials.valid-until-past validUntil');
  assert.equal(await credentialCount(), count);
});

test('the wallet lists the holder\'s own credentials with labelled claims; others see none of them', async () => {
  assert.equal((await call('GET', '/api/v1/credentials/mine')).statusCode, 401);
  assert.equal((await call('GET', '/api/v1/credentials/mine', 'sp_data')).statusCode, 403);
  await issue({ type: 'residence-certificate', issuerDepartmentId: cast.police, holderUserId: cast.alice.id,
    subject: { name: '王小红', idNumber: cast.alice.idNumber }, claims: { address: '广安区建安路18号', division_code: '511602001000', resident_since: '2019-03-01' } });
  const mine = (await call('GET', '/api/v1/credentials/mine', 'alice')).json().items;
  assert.ok(mine.length >= 2);
  const residence = mine.find((c: { type: string }) => c.type === 'residence-certificate');
  assert.deepEqual(residence.typeName, { zh: '居住证明', en: 'Residence certificate' });
  assert.equal(residence.state, 'valid');
  assert.equal(residence.issuer.name, '广安区公安分局');
  const over18 = residence.claims.find((c: { path: string }) => c.path === 'age_equal_or_over.18');
  assert.deepEqual(over18, { path: 'age_equal_or_over.18', label: { zh: '年满18周岁', en: 'Aged 18 or over' }, value: true });
  assert.deepEqual((await call('GET', '/api/v1/credentials/mine', 'bob')).json().items, []);
});

test('a presentation of "over 18" only verifies, publicly, showing that claim alone', async () => {
  const credential = await issue(licenceInput(cast.approval, cast.alice));
  const presentation = await present('alice', credential.id, ['age_equal_or_over.18']);
  const parts = presentation.split('~');
  assert.equal(parts.length, 4, 'issuer JWT, age_equal_or_over, 18, and the Key Binding JWT');
  assert.equal(JSON.parse(Buffer.from(parts[3]!.split('.')[0]!, 'base64url').toString('utf8')).typ, 'kb+jwt');
  const res = await verify(presentation);
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json();
  assert.equal(body.valid, true);
  assert.equal(body.status, 'valid');
  assert.deepEqual(body.typeName, { zh: '营业执照', en: 'Business licence' });
  assert.equal(body.issuer.name, '广安区行政审批局');
  assert.deepEqual(body.claims, [{ path: 'age_equal_or_over.18', label: { zh: '年满18周岁', en: 'Aged 18 or over' }, value: true }]);
  const two = (await verify(await present('alice', credential.id, ['company_name', 'name']))).json();
  assert.deepEqual(two.claims.map((c: { path: string; value: unknown }) => [c.path, c.value]).sort(),
    [['company_name', '广安市广安区渠江源茶叶商行'], ['name', '王小红']]);
  const none = (await verify(await present('alice', credential.id, []))).json();
  assert.deepEqual([none.valid, none.claims], [true, []]);
});

test('presenting: only the holder, only claims the credential has', async () => {
  const credential = await issue(licenceInput(cast.approval, cast.alice));
  const url = `/api/v1/credentials/${credential.id}/presentations`;
  const nonce = await askNonce();
  assert.equal((await call('POST', url, undefined, { disclose: [], nonce })).statusCode, 401);
  assert.equal((await call('POST', url, 'bob', { disclose: ['name'], nonce })).statusCode, 404);
  const unknown = await call('POST', url, 'alice', { disclose: ['age_equal_or_over.21'], nonce });
  assert.deepEqual([unknown.statusCode, unknown.json().code, unknown.json().field], [400, 'credentials.unknown-claim', 'disclose']);
  const badBody = await call('POST', url, 'alice', { disclose: [''], nonce });
  assert.deepEqual([badBody.statusCode, badBody.json().field], [400, 'disclose.0']);
  const noNonce = await call('POST', url, 'alice', { disclose: ['name'] });
  assert.deepEqual([noNonce.statusCode, noNonce.json().field], [400, 'nonce'], 'a presentation answers a verifier\'s nonce');
});

test('verification refuses a tampered credential, an unknown key, an unknown issuer, a foreign disclosure and garbage, each with its own code', async () => {
  const credential = await issue(licenceInput(cast.approval, cast.alice));
  const other = await issue(licenceInput(cast.approval, cast.alice, { claims: { ...licenceInput(cast.approval, cast.alice).claims, company_name: '另一家公司' } }));
  const presentation = await present('alice', credential.id, ['age_equal_or_over.18']);
  const refusal = async (p: string) => {
    const res = await verify(p);
    return [res.statusCode, res.json().code, res.json().field];
  };
  assert.deepEqual(await refusal(forgePayload(presentation, (p) => { p.vct = 'urn:yiwang:vct:marriage-certificate:1'; })),
    [422, 'credentials.bad-signature', 'presentation']);
  const [jwt, ...rest] = presentation.split('~');
  const [h, p, s] = jwt!.split('.');
  const header = JSON.parse(Buffer.from(h!, 'base64url').toString('utf8'));
  const rekeyed = `${Buffer.from(JSON.stringify({ ...header, kid: 'no-such-key' })).toString('base64url')}.${p}.${s}`;
  assert.deepEqual(await refusal([rekeyed, ...rest].join('~')), [422, 'credentials.unknown-key', 'presentation']);
  // A well-formed credential signed by a key the platform never registered, claiming to be some issuer.
  const stranger = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const foreignIssuer = await signCredential({ kid: 'k1', privateKey: stranger.privateKey }, {
    iss: 'https://issuer.elsewhere.example', vct: 'urn:yiwang:vct:business-licence:1', issuedAt: new Date(),
    status: { idx: 0, uri: 'https://issuer.elsewhere.example/status/1' }, claims: { name: '王小红' },
  });
  assert.deepEqual(await refusal(foreignIssuer), [422, 'credentials.unknown-issuer', 'presentation']);
  // A disclosure cut from another credential of the same issuer and holder.
  const otherName = (await present('alice', other.id, ['company_name'])).split('~')[1]!;
  assert.deepEqual(await refusal([jwt, ...rest.slice(0, -1), otherName, rest.at(-1)].join('~')), [422, 'credentials.foreign-disclosure', 'presentation']);
  // A disclosure edited in place no longer matches its digest, so it belongs to nothing.
  const disclosure = JSON.parse(Buffer.from(rest[1]!, 'base64url').toString('utf8'));
  const edited = Buffer.from(JSON.stringify([disclosure[0], disclosure[1], !disclosure[2]])).toString('base64url');
  assert.deepEqual(await refusal([jwt, rest[0], edited, rest[2]].join('~')), [422, 'credentials.foreign-disclosure', 'presentation']);
  assert.deepEqual(await refusal('not an sd-jwt'), [400, 'credentials.malformed', 'presentation']);
  assert.deepEqual(await refusal('a.b.c~'), [400, 'credentials.malformed', 'presentation']);
  const empty = await call('POST', '/credentials/verify', undefined, {});
  assert.deepEqual([empty.statusCode, empty.json().field], [400, 'presentation']);
});

test('an expired credential is refused as expired', async () => {
  const issuedAt = new Date(Date.now() - 3 * 86_400_000);
  const credential = await issue(licenceInput(cast.approval, cast.alice, { now: issuedAt, validUntil: new Date(Date.now() - 86_400_000) }));
  const res = await verify(await present('alice', credential.id, ['name']));
  assert.deepEqual([res.statusCode, res.json().code], [422, 'credentials.expired']);
  const card = (await call('GET', '/api/v1/credentials/mine', 'alice')).json().items.find((c: { id: string }) => c.id === credential.id);
  assert.equal(card.state, 'expired');
  // A presentation made while the credential was valid was fine then.
  const then = new Date(issuedAt.getTime() + 1000);
  const made = await withTransaction(t.db, async (tx) => {
    const ctx = { tx, actor: citizenActor(cast.alice.id), now: then };
    return presentCredential(ctx, { id: credential.id, disclose: ['name'], nonce: (await issueVerifierNonce(ctx, { ip: '127.0.0.1' })).nonce });
  });
  assert.equal((await verifyPresentation(t.db, made.presentation, then)).valid, true);
});

test('a presentation needs its Key Binding JWT, over exactly what is presented, and expires after ten minutes', async () => {
  const credential = await issue(licenceInput(cast.approval, cast.alice));
  const presentation = await present('alice', credential.id, ['age_equal_or_over.18']);
  const [jwt, container, age, kb] = presentation.split('~');
  const refusal = async (p: string) => (await verify(p)).json().code;
  assert.equal(await refusal(`${jwt}~${container}~${age}~`), 'credentials.key-binding-missing');
  assert.equal(await refusal(`${jwt}~${container}~${kb}`), 'credentials.key-binding-invalid', 'a disclosure dropped after signing: sd_hash differs');
  const [kh, kp, ks] = kb!.split('.');
  const kbPayload = JSON.parse(Buffer.from(kp!, 'base64url').toString('utf8'));
  const elsewhere = Buffer.from(JSON.stringify({ ...kbPayload, aud: 'https://verifier.elsewhere.example' })).toString('base64url');
  assert.equal(await refusal(`${jwt}~${container}~${age}~${kh}.${elsewhere}.${ks}`), 'credentials.key-binding-invalid');
  // A well-formed Key Binding JWT over exactly this presentation, signed by any key but the holder's.
  const stranger = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const sdHash = crypto.createHash('sha256').update(`${jwt}~${container}~${age}~`).digest('base64url');
  assert.equal(sdHash, kbPayload.sd_hash);
  const forged = await new Jwt({ header: { typ: 'kb+jwt', alg: 'ES256' }, payload: kbPayload }).sign(es256Signer(stranger.privateKey));
  assert.equal(await refusal(`${jwt}~${container}~${age}~${forged}`), 'credentials.key-binding-invalid');
  const now = Date.now();
  assert.equal((await verifyPresentation(t.db, presentation, new Date(now + 9 * 60_000))).valid, true);
  await assert.rejects(verifyPresentation(t.db, presentation, new Date(now + 11 * 60_000)), { code: 'credentials.presentation-expired' });
});

test('revocation by the issuing department shows in the status list and the verifier at once; others may not revoke', async () => {
  const credential = await issue(licenceInput(cast.approval, cast.alice));
  const presentation = await present('alice', credential.id, ['age_equal_or_over.18']);
  assert.equal((await verify(presentation)).statusCode, 200);
  const url = `/api/v1/credentials/${credential.id}/revoke`;
  const body = { reason: '企业注销' };
  assert.equal((await call('POST', url, undefined, body)).statusCode, 401);
  assert.equal((await call('POST', url, 'alice', body)).statusCode, 403);
  assert.equal((await call('POST', url, 'sp_officer', body)).statusCode, 403, 'an officer without the data role');
  assert.equal((await call('POST', url, 'ga_data', body)).statusCode, 403, 'another department');
  assert.equal((await call('POST', url, 'yc_data', body)).statusCode, 403, 'another county');
  const noReason = await call('POST', url, 'sp_data', {});
  assert.deepEqual([noReason.statusCode, noReason.json().field], [400, 'reason']);
  const before = await ledgerCount(t.db, 'credentials.credential.revoked');
  const revoked = await call('POST', url, 'sp_data', body);
  assert.equal(revoked.statusCode, 200, revoked.body);
  assert.deepEqual([revoked.json().state, revoked.json().revokeReason, revoked.json().abilities], ['revoked', '企业注销', []]);
  assert.equal(await ledgerCount(t.db, 'credentials.credential.revoked'), before + 1);
  const refused = await verify(presentation);
  assert.deepEqual([refused.statusCode, refused.json().code], [422, 'credentials.revoked']);
  const again = await call('POST', url, 'sp_data', body);
  assert.deepEqual([again.statusCode, again.json().code], [409, 'credentials.already-revoked']);

  const list = await call('GET', `/credentials/status/${revoked.json().statusList.id}`);
  assert.equal(list.statusCode, 200);
  assert.match(list.headers['content-type'] as string, /^application\/statuslist\+jwt/);
  const bits = getListFromStatusListJWT(list.body);
  assert.equal(bits.getStatus(revoked.json().statusList.index), 1);
  assert.equal(bits.getStatus(0), 0);
  // An outside verifier checks the list with another JOSE library against the issuer's published JWKS.
  const jwks = (await call('GET', `/credentials/issuers/${encodeURIComponent(await codeOf(cast.approval))}/jwks`)).json();
  const checked = await jwtVerify(list.body, createLocalJWKSet(jwks), { typ: 'statuslist+jwt', algorithms: ['ES256'] });
  assert.equal(checked.payload.ttl, 60);
  assert.ok((checked.payload.sub as string).endsWith(`/credentials/status/${revoked.json().statusList.id}`));
  const issuerJwt = presentation.split('~')[0]!;
  const credentialCheck = await jwtVerify(issuerJwt, createLocalJWKSet(jwks), { typ: 'dc+sd-jwt', algorithms: ['ES256'] });
  assert.equal(credentialCheck.payload.vct, 'urn:yiwang:vct:business-licence:1');
  assert.equal((await call('GET', '/credentials/status/999999')).statusCode, 404);
});

test('key rotation: new credentials carry the new key, old ones still verify, the JWKS and issuer metadata list both', async () => {
  const old = await issue(licenceInput(cast.approval, cast.alice));
  const url = `/api/v1/credentials/issuers/${cast.approval}/rotate-key`;
  assert.equal((await call('POST', url, 'ga_data')).statusCode, 403);
  const rotated = await call('POST', url, 'sp_data');
  assert.equal(rotated.statusCode, 200, rotated.body);
  assert.equal(rotated.json().retired.length, 1);
  assert.equal(await ledgerCount(t.db, 'credentials.key.rotated'), 1);
  const fresh = await issue(licenceInput(cast.approval, cast.alice));
  const [oldCheck, freshCheck] = [await verify(await present('alice', old.id, ['name'])), await verify(await present('alice', fresh.id, ['name']))];
  assert.equal(oldCheck.json().kid, rotated.json().retired[0]);
  assert.equal(freshCheck.json().kid, rotated.json().kid);
  const code = encodeURIComponent(await codeOf(cast.approval));
  const metadata = (await call('GET', `/.well-known/jwt-vc-issuer/credentials/issuers/${code}`)).json();
  assert.equal(metadata.issuer, freshCheck.json().issuer.iss);
  assert.deepEqual(metadata.jwks.keys.map((k: { kid: string }) => k.kid).sort(), [rotated.json().kid, rotated.json().retired[0]].sort());
  assert.equal((await call('GET', '/credentials/issuers/NO-SUCH/jwks')).statusCode, 404);
});

test('the register lists what the caller\'s department issued; a platform admin sees every issuer in jurisdiction', async () => {
  const spItems = (await call('GET', '/api/v1/credentials/issued?limit=200', 'sp_data')).json();
  assert.ok(spItems.total > 0);
  assert.ok(spItems.items.every((c: { issuer: { departmentId: number } }) => c.issuer.departmentId === cast.approval));
  assert.equal(spItems.items[0].holderName, '王小红');
  const adminItems = (await call('GET', '/api/v1/credentials/issued?limit=200', 'admin')).json();
  assert.ok(adminItems.items.some((c: { issuer: { departmentId: number } }) => c.issuer.departmentId === cast.police));
  assert.equal(adminItems.total, await credentialCount());
  assert.equal((await call('GET', '/api/v1/credentials/issued', 'yc_data')).json().total, 0);
  assert.equal((await call('GET', '/api/v1/credentials/issued', 'alice')).statusCode, 403);
  const bad = await call('GET', '/api/v1/credentials/issued?type=pilot', 'sp_data');
  assert.deepEqual([bad.statusCode, bad.json().field], [400, 'type']);
});

test('a credential naming a registered issuer but signed with a key it never had is refused as an unknown key', async () => {
  const { rows } = await t.db.query<{ issuer: string }>('SELECT issuer FROM credential_issuers WHERE department_id = $1', [cast.police]);
  const stranger = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const sdjwt = new SDJwtVcInstance({ hasher, saltGenerator, signer: es256Signer(stranger.privateKey), signAlg: 'ES256' });
  const forged = await sdjwt.issue({ iss: rows[0]!.issuer, iat: 1, vct: 'urn:yiwang:vct:residence-certificate:1', name: 'x' } as never,
    { _sd: ['name'] } as never, { header: { kid: 'made-up' } });
  const res = await verify(forged);
  assert.deepEqual([res.statusCode, res.json().code], [422, 'credentials.unknown-key']);
});

test('bound to a key on the holder\'s device, a credential is presented only with that device\'s signature', async () => {
  const credential = await issue(licenceInput(cast.approval, cast.alice));
  const device = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { kty, crv, x, y } = device.publicKey.export({ format: 'jwk' });
  const url = `/api/v1/credentials/${credential.id}/device-binding`;
  assert.equal((await call('POST', url, 'bob', { jwk: { kty, crv, x, y } })).statusCode, 404);
  const privateSent = await call('POST', url, 'alice', { jwk: { ...device.privateKey.export({ format: 'jwk' }) } });
  assert.deepEqual([privateSent.statusCode, privateSent.json().field], [400, 'jwk.d'], 'a private key is refused before it is read');
  const offCurve = await call('POST', url, 'alice', { jwk: { kty, crv, x, y: x } });
  assert.deepEqual([offCurve.statusCode, offCurve.json().code, offCurve.json().field], [400, 'credentials.bad-device-key', 'jwk']);
  const before = await present('alice', credential.id, ['name']);
  const bound = await call('POST', url, 'alice', { jwk: { kty, crv, x, y } });
  assert.equal(bound.statusCode, 200, bound.body);
  assert.equal(bound.json().deviceBound, true);
  assert.equal(await ledgerCount(t.db, 'credentials.credential.bound'), 1);
  const stored = await t.db.query<{ holder_key: Buffer | null }>('SELECT holder_key FROM credentials WHERE id = $1', [credential.id]);
  assert.equal(stored.rows[0]!.holder_key, null, 'the platform no longer holds a key that could present it');
  // What the platform signed before binding names the old holder key: the verifier still takes it for its ten minutes.
  assert.equal((await verify(before)).statusCode, 200);

  const made = (await call('POST', `/api/v1/credentials/${credential.id}/presentations`, 'alice',
    { disclose: ['age_equal_or_over.18'], nonce: await askNonce() })).json();
  assert.ok(made.presentation.endsWith('~'), 'no KB-JWT from the platform');
  assert.equal((await verify(made.presentation)).json().code, 'credentials.key-binding-missing');
  const sdHash = crypto.createHash('sha256').update(made.presentation).digest('base64url');
  const kb = await new Jwt({ header: { typ: 'kb+jwt', alg: 'ES256' }, payload: { ...made.keyBinding, sd_hash: sdHash } }).sign(es256Signer(device.privateKey));
  const verified = await verify(`${made.presentation}${kb}`);
  assert.equal(verified.statusCode, 200, verified.body);
  assert.deepEqual(verified.json().claims.map((c: { path: string }) => c.path), ['age_equal_or_over.18']);
  assert.equal(verified.json().presentedAt, new Date(made.keyBinding.iat * 1000).toISOString());
  const stranger = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const strangerKb = await new Jwt({ header: { typ: 'kb+jwt', alg: 'ES256' }, payload: { ...made.keyBinding, sd_hash: sdHash } }).sign(es256Signer(stranger.privateKey));
  assert.equal((await verify(`${made.presentation}${strangerKb}`)).json().code, 'credentials.key-binding-invalid');
});

test('credentialsInForce answers which certificates a holder has now: not revoked, not expired, of a type', async () => {
  const bobLicence = await issue(licenceInput(cast.approval, cast.bob, { subject: { name: '刘小明', idNumber: cast.bob.idNumber } }));
  const soon = await issue(licenceInput(cast.approval, cast.bob, { subject: { name: '刘小明' }, validUntil: new Date(Date.now() + 60_000) }));
  assert.deepEqual((await credentialsInForce(t.db, cast.bob.id, 'business-licence')).map((c) => c.id).sort(), [bobLicence.id, soon.id].sort());
  assert.deepEqual(await credentialsInForce(t.db, cast.bob.id, 'marriage-certificate'), []);
  assert.deepEqual((await credentialsInForce(t.db, cast.bob.id, undefined, new Date(Date.now() + 120_000))).map((c) => c.id), [bobLicence.id]);
  await call('POST', `/api/v1/credentials/${bobLicence.id}/revoke`, 'sp_data', { reason: '注销' });
  assert.deepEqual((await credentialsInForce(t.db, cast.bob.id)).map((c) => c.id), [soon.id]);
  // Without a birth date the certificate answers no age questions at all.
  assert.equal(soon.claims.age_equal_or_over, undefined);
});

test('the verifier issues nonces; a presentation is accepted once, only for a nonce it issued, unused and unexpired', async () => {
  const issued = await call('POST', '/api/v1/credentials/verify/nonce');
  assert.equal(issued.statusCode, 201);
  const { nonce, audience, expiresAt } = issued.json();
  assert.match(nonce, /^[A-Za-z0-9_-]{22}$/);
  assert.match(audience, /\/verify$/);
  assert.ok(Math.abs(Date.parse(expiresAt) - Date.now() - 600_000) < 5_000, 'ten minutes to present');
  const stored = await t.db.query('SELECT audience, used_at FROM credential_verifier_nonces WHERE nonce = $1', [nonce]);
  assert.deepEqual(stored.rows, [{ audience, used_at: null }]);

  const credential = await issue(licenceInput(cast.approval, cast.alice));
  const url = `/api/v1/credentials/${credential.id}/presentations`;
  const presentation = (await call('POST', url, 'alice', { disclose: ['age_equal_or_over.18'], nonce })).json().presentation as string;
  assert.equal((await verify(presentation)).statusCode, 200);
  const replay = await verify(presentation);
  assert.deepEqual([replay.statusCode, replay.json().code, replay.json().field], [422, 'credentials.nonce-used', 'presentation']);
  // Another presentation for the same nonce is a replay too.
  const again = await call('POST', url, 'alice', { disclose: ['name'], nonce });
  assert.equal((await verify(again.json().presentation)).json().code, 'credentials.nonce-used');

  // A nonce the holder made up: nothing this verifier asked for.
  const madeUp = (await call('POST', url, 'alice', { disclose: ['name'], nonce: 'holder-chosen-nonce-1234' })).json().presentation;
  assert.equal((await verify(madeUp)).json().code, 'credentials.nonce-unknown');

  // A nonce that waited too long; the presentation itself is recent.
  const issuedAt = new Date(Date.now() - 11 * 60_000);
  const late = await withTransaction(t.db, async (tx) => {
    const old = await issueVerifierNonce({ tx, actor: citizenActor(cast.alice.id), now: issuedAt }, { ip: '127.0.0.1' });
    return presentCredential({ tx, actor: citizenActor(cast.alice.id), now: new Date() }, { id: credential.id, disclose: ['name'], nonce: old.nonce });
  });
  assert.equal((await verify(late.presentation)).json().code, 'credentials.nonce-expired');

  // Two verifiers racing with one presentation: exactly one accepts it.
  const raced = await present('alice', credential.id, ['name']);
  const answers = await Promise.all(Array.from({ length: 8 }, () => verify(raced)));
  assert.deepEqual(answers.map((a) => a.statusCode).sort(), [200, 422, 422, 422, 422, 422, 422, 422]);
});

test('nonces are limited per address: the public endpoint cannot be used to fill the table', async () => {
  const ask = (remoteAddress: string) => t.app.inject({ method: 'POST', url: '/credentials/verify/nonce', remoteAddress });
  await clearOfWindowEnd(nonceLimit.windowMinutes, 20);
  const before = (await t.db.query('SELECT count(*)::int AS n FROM credential_verifier_nonces')).rows[0].n;
  const answers = await Promise.all(Array.from({ length: nonceLimit.count + 5 }, () => ask('10.9.0.1')));
  const statuses = answers.map((a) => a.statusCode);
  assert.deepEqual([statuses.filter((s) => s === 201).length, statuses.filter((s) => s === 429).length], [nonceLimit.count, 5]);
  const refused = answers.find((a) => a.statusCode === 429)!;
  assert.equal(refused.json().code, 'credentials.nonce-throttled');
  assert.ok(Number(refused.headers['retry-after']) > 0);
  assert.equal((await t.db.query('SELECT count(*)::int AS n FROM credential_verifier_nonces')).rows[0].n, before + nonceLimit.count);
  assert.equal((await ask('10.9.0.2')).statusCode, 201, 'another address is not affected');
});

test('a device-bound credential moves to a new key only with a recent signature of the current device key over it', async () => {
  const credential = await issue(licenceInput(cast.approval, cast.alice));
  const url = `/api/v1/credentials/${credential.id}/device-binding`;
  const publicJwk = (pair: crypto.KeyPairKeyObjectResult) => {
    const { kty, crv, x, y } = pair.publicKey.export({ format: 'jwk' });
    return { kty, crv, x, y };
  };
  const first = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const second = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  assert.equal((await call('POST', url, 'alice', { jwk: publicJwk(first) })).statusCode, 200, 'the first binding: the platform held the key');
  const proofBy = async (signer: crypto.KeyObject, payload: Record<string, unknown>) =>
    new Jwt({ header: { alg: 'ES256' }, payload }).sign(es256Signer(signer));
  const thumbprint = await calculateJwkThumbprint(publicJwk(second) as JWK, 'sha256');
  const now = Math.floor(Date.now() / 1000);
  const good = { credential: credential.id, jwk_thumbprint: thumbprint, iat: now };

  const without = await call('POST', url, 'alice', { jwk: publicJwk(second) });
  assert.deepEqual([without.statusCode, without.json().code, without.json().field], [403, 'credentials.device-proof-required', 'proof']);
  const malformed = await call('POST', url, 'alice', { jwk: publicJwk(second), proof: 'not a jws' });
  assert.deepEqual([malformed.statusCode, malformed.json().field], [400, 'proof']);
  const refusedWith = async (proof: string) => {
    const res = await call('POST', url, 'alice', { jwk: publicJwk(second), proof });
    return [res.statusCode, res.json().code];
  };
  const invalid = [403, 'credentials.device-proof-invalid'];
  assert.deepEqual(await refusedWith(await proofBy(second.privateKey, good)), invalid, 'signed by the new key itself');
  assert.deepEqual(await refusedWith(await proofBy(first.privateKey, { ...good, jwk_thumbprint: 'x'.repeat(43) })), invalid, 'over another key');
  assert.deepEqual(await refusedWith(await proofBy(first.privateKey, { ...good, credential: crypto.randomUUID() })), invalid, 'for another credential');
  assert.deepEqual(await refusedWith(await proofBy(first.privateKey, { ...good, iat: now - 600 })), invalid, 'too old');
  assert.equal((await call('POST', url, 'bob', { jwk: publicJwk(second), proof: await proofBy(first.privateKey, good) })).statusCode, 404);
  assert.equal(await ledgerCount(t.db, 'credentials.credential.rebound'), 0);

  const moved = await call('POST', url, 'alice', { jwk: publicJwk(second), proof: await proofBy(first.privateKey, good) });
  assert.equal(moved.statusCode, 200, moved.body);
  assert.equal(await ledgerCount(t.db, 'credentials.credential.rebound'), 1);
  const entry = await t.db.query(`SELECT actor_id, object_type, object_id FROM ledger_queue WHERE action = 'credentials.credential.rebound'`);
  assert.deepEqual(entry.rows, [{ actor_id: String(cast.alice.id), object_type: 'credential', object_id: credential.id }]);

  // From now on the new key presents; the old one no longer can, nor can it move the credential back.
  const made = (await call('POST', `/api/v1/credentials/${credential.id}/presentations`, 'alice', { disclose: ['name'], nonce: await askNonce() })).json();
  const sdHash = crypto.createHash('sha256').update(made.presentation).digest('base64url');
  const kbBy = (key: crypto.KeyObject) => new Jwt({ header: { typ: 'kb+jwt', alg: 'ES256' }, payload: { ...made.keyBinding, sd_hash: sdHash } }).sign(es256Signer(key));
  assert.equal((await verify(`${made.presentation}${await kbBy(first.privateKey)}`)).json().code, 'credentials.key-binding-invalid');
  assert.equal((await verify(`${made.presentation}${await kbBy(second.privateKey)}`)).statusCode, 200);
  const back = { credential: credential.id, jwk_thumbprint: await calculateJwkThumbprint(publicJwk(first) as JWK, 'sha256'), iat: now };
  const moveBack = await call('POST', url, 'alice', { jwk: publicJwk(first), proof: await proofBy(first.privateKey, back) });
  assert.deepEqual([moveBack.statusCode, moveBack.json().code], invalid);
  // The command refuses the same way when called directly.
  await assert.rejects(withTransaction(t.db, (tx) => bindCredentialToDevice({ tx, actor: citizenActor(cast.alice.id), now: new Date() },
    { id: credential.id, jwk: publicJwk(first) })), { code: 'credentials.device-proof-required' });
});
