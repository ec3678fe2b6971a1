// SD-JWT processing checked against the worked examples of RFC 9901 (fixtures/rfc9901-examples.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Jwt, SDJwtInstance } from '@sd-jwt/core';
import type { DisclosureFrame } from '@sd-jwt/types';
import {
  disclosureDigest, es256Signer, es256Verifier, hasher, processDisclosures, saltGenerator, splitSdJwt,
} from '../../../src/services/credentials/sdjwt.ts';

const rfc = JSON.parse(fs.readFileSync(new URL('./fixtures/rfc9901-examples.json', import.meta.url), 'utf8'));
const issuerKey = crypto.createPublicKey({ key: rfc.issuerPublicKey, format: 'jwk' });
const verify = es256Verifier(issuerKey);

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
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
  const processed = await processDisclosures(issuerJwt, disclosures);
  assert.deepEqual(processed, rfc.simple.processedPayload);
  assert.deepEqual(Jwt.fromEncode(keyBindingJwt!).payload, rfc.simple.keyBindingPayload);
  // sd_hash binds the KB-JWT to exactly these disclosures (RFC 9901 §4.3.1).
  const withoutKb = rfc.simple.presentation.slice(0, rfc.simple.presentation.length - keyBindingJwt!.length);
  assert.equal(crypto.createHash('sha256').update(withoutKb).digest('base64url'), rfc.simple.keyBindingPayload.sd_hash);
  const holderKey = crypto.createPublicKey({ key: (processed.cnf as { jwk: crypto.JsonWebKey }).jwk, format: 'jwk' });
  const sdjwt = new SDJwtInstance({ hasher, verifier: verify, kbVerifier: es256Verifier(holderKey) });
  const result = await sdjwt.verify(rfc.simple.presentation, { keyBindingNonce: rfc.keyBindingNonce, currentDate: 1748537243 });
  assert.equal(result.kb?.payload.aud, rfc.verifierAudience);
});

test('the full §5.1 SD-JWT discloses every claim, nationalities included', async () => {
  const { issuerJwt, disclosures } = splitSdJwt(rfc.simple.sdJwt);
  const processed = await processDisclosures(issuerJwt, disclosures);
  assert.deepEqual(processed.nationalities, ['US', 'DE']);
  assert.equal(processed.birthdate, '1940-01-01');
  assert.equal(processed._sd, undefined);
});

test('the SD-JWT VC of A.3 presents only nationalities and age_equal_or_over.18 (recursive disclosure)', async () => {
  const { issuerJwt, disclosures } = splitSdJwt(rfc.pid.presentation);
  const jwt = Jwt.fromEncode(issuerJwt);
  assert.equal(jwt.header!.typ, 'dc+sd-jwt');
  await jwt.verify(verify, { currentDate: 1683000000 });
  assert.deepEqual(await processDisclosures(issuerJwt, disclosures), rfc.pid.processedPayload);
});

test('a disclosure from another SD-JWT, or the same disclosure twice, is refused', async () => {
  const { issuerJwt, disclosures } = splitSdJwt(rfc.simple.sdJwt);
  const foreign = splitSdJwt(rfc.pid.presentation).disclosures[1]!; // the PID's "18"
  assert.equal(await codeOf(processDisclosures(issuerJwt, [...disclosures.slice(0, 2), foreign])), 'credentials.foreign-disclosure');
  assert.equal(await codeOf(processDisclosures(issuerJwt, [disclosures[0]!, disclosures[0]!])), 'credentials.duplicate-disclosure');
  assert.equal(await codeOf(processDisclosures(issuerJwt, ['not base64 json!'])), 'credentials.malformed');
});

test('an SD-JWT issued here with the library round-trips: every claim selectively disclosable, nested ones one by one', async () => {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const sdjwt = new SDJwtInstance({ hasher, saltGenerator, signer: es256Signer(privateKey), verifier: es256Verifier(publicKey), signAlg: 'ES256' });
  const claims: Record<string, unknown> = { iss: 'https://issuer.example', iat: 1, name: '张三', age_equal_or_over: { 18: true, 60: false } };
  const frame = { _sd: ['name', 'age_equal_or_over'], age_equal_or_over: { _sd: ['18', '60'] } } as unknown as DisclosureFrame<typeof claims>;
  const issued = await sdjwt.issue(claims, frame);
  const presented = await sdjwt.present(issued, { age_equal_or_over: { 18: true } });
  const { issuerJwt, disclosures } = splitSdJwt(presented);
  assert.equal(disclosures.length, 2);
  const processed = await processDisclosures(issuerJwt, disclosures);
  assert.deepEqual(processed, { iss: 'https://issuer.example', iat: 1, age_equal_or_over: { 18: true } });
});
