// SD-JWT VC e-certificates on one core, in-process: sign (issue) and verify presentations, one at a time.
// Verification does all of its checks (issuer, key, signature, validity, disclosures, status list entry);
// the trust source is in memory, so the figures are the cryptography and SD-JWT processing, not the database.
import crypto from 'node:crypto';
import { StatusList } from '@sd-jwt/jwt-status-list';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { credentialTypes, signCredential, verifyWith, type TrustSource } from '../src/services/credentials/index.ts';
import { es256Signer, hasher } from '../src/services/credentials/sdjwt.ts';
import { report } from './_report.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const holder = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const holderKey = holder.publicKey.export({ format: 'jwk' });
const audience = 'https://yiwang.example/verify';
const key = { kid: 'bench-key', privateKey };
const iss = 'https://yiwang.example/credentials/issuers/511602-SP';
const statusUri = 'https://yiwang.example/credentials/status/1';
const claims = {
  name: '王小红', id_number: '511602199003151236', birthdate: '1990-03-15',
  age_equal_or_over: { 14: true, 16: true, 18: true, 60: false, 65: false },
  company_name: '广安市广安区渠江源茶叶商行', uscc: '92511602MA6AB3KX1L', company_type: '个体工商户', legal_representative: '王小红',
  established_on: '2021-06-18', address: '四川省广安市广安区思源大道66号',
};
const revoked = new StatusList(new Array(131_072).fill(0), 1);
const issuer = { iss, departmentId: 1, name: '广安区行政审批局' };
const trust: TrustSource = {
  audience,
  issuer: async (i) => (i === iss ? issuer : null),
  key: async (_i, kid) => (kid === key.kid ? publicKey : null),
  status: async (_i, uri, idx) => (uri === statusUri ? revoked.getStatus(idx) : null),
};

let index = 0;
const issueOne = () => signCredential(key, {
  iss, vct: credentialTypes['business-licence'].vct, issuedAt: new Date(), status: { idx: index++ % 131_072, uri: statusUri }, holderKey, claims,
});

async function rate(name: string, run: () => Promise<unknown>, extra: Record<string, unknown>) {
  for (let i = 0; i < 200; i++) await run(); // warm-up
  const started = process.hrtime.bigint();
  const end = started + BigInt(seconds * 1e9);
  let count = 0;
  while (process.hrtime.bigint() < end) {
    await run();
    count++;
  }
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  report(name, count / elapsed, 'per second', { count, seconds: Math.round(elapsed * 100) / 100, ...extra });
}

await rate('credentials.issue', issueOne, { claims: 15, alg: 'ES256', holderKey: 'cnf', thread: 'single' });
const full = await issueOne();
const sdjwt = new SDJwtVcInstance({ hasher, kbSigner: es256Signer(holder.privateKey), kbSignAlg: 'ES256' });
const kb = () => ({ kb: { payload: { iat: Math.floor(Date.now() / 1000), aud: audience, nonce: 'bench' } } });
const over18 = await sdjwt.present(full, { age_equal_or_over: { 18: true } } as never, kb());
const everything = await sdjwt.present(full, { name: true, id_number: true, birthdate: true, age_equal_or_over: { 14: true, 16: true, 18: true, 60: true, 65: true },
  company_name: true, uscc: true, company_type: true, legal_representative: true, established_on: true, address: true } as never, kb());
// Each verification checks two ES256 signatures: the issuer's and the holder's Key Binding JWT.
await rate('credentials.verify', () => verifyWith(trust, over18), { disclosed: 'age_equal_or_over.18', alg: 'ES256', keyBinding: true, thread: 'single' });
await rate('credentials.verify-all-claims', () => verifyWith(trust, everything), { disclosed: 15, alg: 'ES256', keyBinding: true, thread: 'single' });
