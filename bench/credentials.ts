// SD-JWT VC e-certificates on one core, in-process: sign (issue) and verify presentations, one at a time.
// Verification does all of its checks (issuer, key, issuer signature, validity, disclosures, the holder's
// Key Binding JWT, status list entry); the trust source is in memory, so the figures are the cryptography
// and SD-JWT processing, not the database. Each presentation with a Key Binding JWT comes from a credential
// of its own, with its own holder key, as at a real verifier, and is verified once; one more figure repeats
// a single presentation.
import crypto from 'node:crypto';
import { StatusList } from '@sd-jwt/jwt-status-list';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { credentialTypes, signCredential, verifyWith, type TrustSource } from '../src/services/index.ts';
import { es256Signer, hasher, newP256KeyPair } from '../src/services/index.ts';
import { report } from './_report.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 3);
// A presentation with a Key Binding JWT is verified once, so such a run lasts as long as its pool: sized for
// at least `seconds` at up to 4,000 verifications a second.
const poolSize = Number(process.env.BENCH_CREDENTIALS ?? 4_000 * seconds);
const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
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
const statuses = new StatusList(new Array(131_072).fill(0), 1);
const issuer = { iss, departmentId: 1, name: '广安区行政审批局' };
const trust: TrustSource = {
  audience,
  // The platform keeps its nonces in the database (one UPDATE per verification); here every nonce passes,
  // so that one presentation can be verified again for the last figure.
  useNonce: async () => 'ok',
  issuer: async (i) => (i === iss ? issuer : null),
  key: async (_i, kid) => (kid === key.kid ? publicKey : null),
  status: async (_i, uri, idx) => (uri === statusUri ? statuses.getStatus(idx) : null),
};

let index = 0;
const issueTo = (holderKey: crypto.JsonWebKey | undefined) => signCredential(key, {
  iss, vct: credentialTypes['business-licence'].vct, issuedAt: new Date(), status: { idx: index++ % 131_072, uri: statusUri }, holderKey, claims,
});

/** Runs `run(i)` for i = 0, 1, … for `seconds` (or `count` times) and reports the rate in wall and CPU time. */
async function measure(name: string, run: (i: number) => Promise<unknown>, extra: Record<string, unknown>, count = Infinity) {
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  const end = started + BigInt(seconds * 1e9);
  let done = 0;
  while (done < count && (count !== Infinity || process.hrtime.bigint() < end)) await run(done++);
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStarted);
  // On a shared machine the wall-clock rate depends on what else runs; the rate per CPU-second of this
  // one thread is what a core of its own would do.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  report(name, done / elapsed, 'per second', {
    count: done, seconds: Math.round(elapsed * 100) / 100, cpuSeconds: Math.round(cpuSeconds * 100) / 100,
    perCpuSecond: Math.round(done / cpuSeconds), alg: 'ES256', thread: 'single', ...extra,
  });
}

const someHolder = newP256KeyPair().publicJwk;
for (let i = 0; i < 200; i++) await issueTo(someHolder); // warm-up
await measure('credentials.issue', () => issueTo(someHolder), { claims: 15, disclosures: 15 });

// Credentials of distinct holders, each presented once with a Key Binding JWT from its own holder key (made
// one after another: a pool held in flight at once takes gigabytes).
async function presentAll(frame: object): Promise<string[]> {
  const presentations: string[] = [];
  for (let i = 0; i < poolSize; i++) {
    const holder = newP256KeyPair();
    const credential = await issueTo(holder.publicJwk);
    const kb = { payload: { iat: Math.floor(Date.now() / 1000), aud: audience, nonce: crypto.randomBytes(16).toString('base64url') } };
    presentations.push(await new SDJwtVcInstance({ hasher, kbSigner: es256Signer(holder.privateKey), kbSignAlg: 'ES256' }).present(credential, frame as never, { kb }));
  }
  return presentations;
}
const over18Frame = { age_equal_or_over: { 18: true } };
const over18 = await presentAll(over18Frame);
const everything = await presentAll({ name: true, id_number: true, birthdate: true, age_equal_or_over: { 14: true, 16: true, 18: true, 60: true, 65: true },
  company_name: true, uscc: true, company_type: true, legal_representative: true, established_on: true, address: true });
// Without a holder key the verifier keeps nothing between presentations, so a small pool is shown in turn.
const unbound: string[] = [];
for (let i = 0; i < 1_000; i++) unbound.push(await new SDJwtVcInstance({ hasher }).present(await issueTo(undefined), over18Frame as never));
for (let i = 0; i < 200; i++) await verifyWith(trust, over18[0]!); // warm-up
await measure('credentials.verify', (i) => verifyWith(trust, over18[i]!),
  { disclosed: 'age_equal_or_over.18', keyBinding: true, distinctHolders: poolSize }, poolSize);
await measure('credentials.verify-all-claims', (i) => verifyWith(trust, everything[i]!),
  { disclosed: 15, keyBinding: true, distinctHolders: poolSize }, poolSize);
// An SD-JWT VC without a holder key: the issuer's signature, the disclosures and the status alone.
await measure('credentials.verify-without-key-binding', (i) => verifyWith(trust, unbound[i % unbound.length]!),
  { disclosed: 'age_equal_or_over.18', keyBinding: false, distinctCredentials: unbound.length });
await measure('credentials.verify-same-presentation', () => verifyWith(trust, over18[0]!), { disclosed: 'age_equal_or_over.18', keyBinding: true });
