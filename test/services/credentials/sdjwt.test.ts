// SD-JWT processing checked against the worked examples of RFC 9901 (fixtures/rfc9901-examples.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Jwt, SDJwtInstance } from '@sd-jwt/core';
import type { DisclosureFrame } from '@sd-jwt/types';
import {
  decodeJws, disclosureDigest, es256Signer, es256Valid, hasher, processDisclosures, saltGenerator, splitSdJwt,
} from '../../../src/services/credentials/sdjwt.ts';

const rfc = JSON.parse(fs.readFileSync(new URL('./fixtures/rfc9901-examples.json', import.meta.url), 'utf8'));
const issuerKey = crypto.createPublicKey({ key: rfc.issuerPublicKey, format: 'jwk' });
// The library's verifier interface (signing input, signature) served by the verifier's own JWS checks.
const es256Verifier = (key: crypto.KeyObject) => (data: string, signature: string) => es256Valid(decodeJws(`${data}.${signature}`)!, key);
const verify = es256Verifier(issuerKey);

const payloadOf = (issuerJwt: string) => Jwt.decodeJWT<Record<string, unknown>, Record<string, unknown>>(issuerJwt).payload;
const processed = (compact: string) => {
  const { issuerJwt, disclosures } = splitSdJwt(compact);
  return processDisclosures(payloadOf(issuerJwt), disclosures);
};
const codeOf = (run: () => unknown) => {
  try {
    run();
    return 'accepted';
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
};

test('the issuer-signed JWT of RFC 9901 §5.1 verifies with the key of A.5, and fails when one byte changes', async () => {
  const { issuerJwt } = splitSdJwt(rfc.simple.sdJwt);
  const jwt = Jwt.fromEncode(issuerJwt);
  await jwt.verify(verify, { currentDate: 1683000000 });
  assert.equal(jwt.payload!.iss, 'https://issuer.example.com');
  const [h, p, s] = issuerJwt.split('.');
  const forged = Buffer.from(Buffer.from(p!, 'base64url').toString('utf8').replace('user_42', 'user_43')).toString('base64url');
  const tampered = Jwt.fromEncode(`${h}.${forged}.${s}`);
  await assert.rejects(tampered.verify(verify, { currentDate: 1683000000 }), /Invalid JWT Signature/);
  // The verifier's own decoding: the same header and payload, the signature over the JWS as sent.
  const decoded = decodeJws(issuerJwt)!;
  assert.deepEqual([decoded.header, decoded.payload], [jwt.header, jwt.payload]);
  assert.deepEqual([es256Valid(decoded, issuerKey), es256Valid(decodeJws(`${h}.${forged}.${s}`)!, issuerKey)], [true, false]);
  assert.deepEqual([decodeJws(`${h}.${p}`), decodeJws(`${h}.${p}.${s}.x`), decodeJws(`x.${p}.${s}`)], [null, null, null]);
});

test('every disclosure of §5.1 hashes to its listed digest and decodes to its listed contents', () => {
  const { disclosures } = splitSdJwt(rfc.simple.sdJwt);
  assert.deepEqual(disclosures, rfc.simple.disclosures.map((d: { disclosure: string }) => d.disclosure));
  for (const d of rfc.simple.disclosures) {
    assert.equal(disclosureDigest(d.disclosure), d.digest);
    assert.deepEqual(JSON.parse(Buffer.from(d.disclosure, 'base64url').toString('utf8')), d.contents);
  }
});

test('the §5.2 presentation yields the processed payload of the RFC, and its Key Binding JWT checks out', async () => {
  const { issuerJwt, disclosures, keyBindingJwt } = splitSdJwt(rfc.simple.presentation);
  assert.equal(disclosures.length, 4);
  const payload = processDisclosures(payloadOf(issuerJwt), disclosures);
  assert.deepEqual(payload, rfc.simple.processedPayload);
  assert.deepEqual(Jwt.fromEncode(keyBindingJwt!).payload, rfc.simple.keyBindingPayload);
  // sd_hash binds the KB-JWT to exactly these disclosures (RFC 9901 §4.3.1).
  const withoutKb = rfc.simple.presentation.slice(0, rfc.simple.presentation.length - keyBindingJwt!.length);
  assert.equal(crypto.createHash('sha256').update(withoutKb).digest('base64url'), rfc.simple.keyBindingPayload.sd_hash);
  const holderKey = crypto.createPublicKey({ key: (payload.cnf as { jwk: crypto.JsonWebKey }).jwk, format: 'jwk' });
  const sdjwt = new SDJwtInstance({ hasher, verifier: verify, kbVerifier: es256Verifier(holderKey) });
  const result = await sdjwt.verify(rfc.simple.presentation, { keyBindingNonce: rfc.keyBindingNonce, currentDate: 1748537243 });
  assert.equal(result.kb?.payload.aud, rfc.verifierAudience);
});

test('the full §5.1 SD-JWT discloses every claim, nationalities included', async () => {
  const all = processed(rfc.simple.sdJwt);
  assert.deepEqual(all.nationalities, ['US', 'DE']);
  assert.equal(all.birthdate, '1940-01-01');
  assert.deepEqual([all._sd, all._sd_alg], [undefined, undefined]);
  // Without disclosures only the clear claims remain, and undisclosed array elements drop out.
  const bare = processed(`${splitSdJwt(rfc.simple.sdJwt).issuerJwt}~`);
  assert.deepEqual(bare.nationalities, []);
  assert.equal(bare.given_name, undefined);
});

test('the SD-JWT VC of A.3 presents only nationalities and age_equal_or_over.18 (recursive disclosure)', async () => {
  const { issuerJwt, disclosures } = splitSdJwt(rfc.pid.presentation);
  const jwt = Jwt.fromEncode(issuerJwt);
  assert.equal(jwt.header!.typ, 'dc+sd-jwt');
  await jwt.verify(verify, { currentDate: 1683000000 });
  assert.deepEqual(processDisclosures(payloadOf(issuerJwt), disclosures), rfc.pid.processedPayload);
});

test('a disclosure from another SD-JWT, or the same disclosure twice, is refused', async () => {
  const { issuerJwt, disclosures } = splitSdJwt(rfc.simple.sdJwt);
  const payload = payloadOf(issuerJwt);
  const foreign = splitSdJwt(rfc.pid.presentation).disclosures[1]!; // the PID's "18"
  assert.equal(codeOf(() => processDisclosures(payload, [...disclosures.slice(0, 2), foreign])), 'credentials.foreign-disclosure');
  assert.equal(codeOf(() => processDisclosures(payload, [disclosures[0]!, disclosures[0]!])), 'credentials.duplicate-disclosure');
  assert.equal(codeOf(() => processDisclosures(payload, ['not base64 json!'])), 'credentials.malformed');
  // A digest listed twice (RFC 9901 §7.1 step 4), and a property disclosure in an array element's place.
  const [given, , , , , , , , us] = rfc.simple.disclosures;
  const twice = { ...payload, _sd: [...(payload._sd as string[]), given.digest] };
  assert.equal(codeOf(() => processDisclosures(twice, [given.disclosure])), 'credentials.duplicate-digest');
  const misplaced = { ...payload, _sd: [], nationalities: [{ '...': given.digest }] };
  assert.equal(codeOf(() => processDisclosures(misplaced, [given.disclosure])), 'credentials.foreign-disclosure');
  assert.deepEqual(processDisclosures({ nationalities: [{ '...': us.digest }] }, [us.disclosure]), { nationalities: ['US'] });
});

test('an SD-JWT issued here with the library round-trips: every claim selectively disclosable, nested ones one by one', async () => {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const sdjwt = new SDJwtInstance({ hasher, saltGenerator, signer: es256Signer(privateKey), verifier: es256Verifier(publicKey), signAlg: 'ES256' });
  const claims: Record<string, unknown> = { iss: 'https://issuer.example', iat: 1, name: '张三', age_equal_or_over: { 18: true, 60: false } };
  const frame = { _sd: ['name', 'age_equal_or_over'], age_equal_or_over: { _sd: ['18', '60'] } } as unknown as DisclosureFrame<typeof claims>;
  const issued = await sdjwt.issue(claims, frame);
  const presented = await sdjwt.present(issued, { age_equal_or_over: { 18: true } });
  assert.equal(splitSdJwt(presented).disclosures.length, 2);
  assert.deepEqual(processed(presented), { iss: 'https://issuer.example', iat: 1, age_equal_or_over: { 18: true } });
  // The library's own processing (which skips the §7.1 checks) agrees with ours on valid input.
  assert.deepEqual(processed(issued), await sdjwt.getClaims(issued).then((c) => { delete (c as Record<string, unknown>)._sd_alg; return c; }));
});

test('salts are 128 bits, base64url, and never repeat across pool refills', () => {
  const salts = Array.from({ length: 1000 }, () => saltGenerator(16) as string);
  assert.ok(salts.every((s) => /^[A-Za-z0-9_-]{22}$/.test(s)));
  assert.equal(new Set(salts).size, salts.length);
});
