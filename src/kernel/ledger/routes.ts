import Type from 'typebox';
import { assertCan } from '../auth/index.ts';
import { DomainError, notFound } from '../errors.ts';
import type { App } from '../http/index.ts';
import { ledgerActionLabels } from './actions.ts';
import { getEntry, listEntries } from './entries.ts';
import { ledgerVerifierKey } from './keys.ts';
import { presentEntry } from './present.ts';
import { LedgerEntrySchema } from './api-schemas.ts';
import { consistencyProofFor, inclusionProofFor, latestCheckpoint } from './tree.ts';

const TreeIndex = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const TreeSize = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
// A proof for a given tree never changes, so caches may keep it for good.
const immutable = 'public, max-age=31536000, immutable';

const Hashes = Type.Array(Type.String(), { description: 'base64 SHA-256 node hashes, RFC 9162 order' });
const InclusionProofSchema = Type.Object({ index: Type.Integer(), size: Type.Integer(), leafHash: Type.String(), hashes: Hashes });
const ConsistencyProofSchema = Type.Object({ from: Type.Integer(), to: Type.Integer(), hashes: Hashes });
const Labels = Type.Record(Type.String(), Type.Object({ zh: Type.String(), en: Type.String() }));

/**
 * 数据铁笼 ledger. Checkpoints, the key and proofs are public (hashes only), so anyone can check that no act
 * was changed or removed; entry contents are for platform admins and inspectors.
 */
export async function ledgerRoutes(app: App) {
  app.get('/checkpoint', {
    schema: { tags: ['ledger'], summary: 'Latest signed checkpoint (C2SP tlog-checkpoint signed note)' },
  }, async (_req, reply) => {
    const checkpoint = await latestCheckpoint(app.db);
    if (!checkpoint) throw new DomainError('ledger.no-checkpoint', { status: 404 }, 'the sequencer has not signed a checkpoint yet');
    return reply.type('text/plain; charset=utf-8').header('cache-control', 'no-cache').send(checkpoint.note);
  });

  app.get('/actions', {
    schema: { tags: ['ledger'], summary: 'Names of the ledger\'s actions in Chinese and English', response: { 200: Type.Object({ actions: Labels }) } },
  }, async () => ({ actions: ledgerActionLabels() }));

  app.get('/key', {
    schema: { tags: ['ledger'], summary: 'Verifier key of the checkpoints: <name>+<key hash>+<base64 Ed25519 key>' },
  }, async (_req, reply) => reply.type('text/plain; charset=utf-8').send(await ledgerVerifierKey(app.db)));

  app.get('/proofs/inclusion', {
    schema: {
      tags: ['ledger'], summary: 'RFC 9162 inclusion proof of an entry in a signed tree',
      querystring: Type.Object({ index: TreeIndex, size: TreeSize }), response: { 200: InclusionProofSchema },
    },
  }, async (req, reply) => {
    const proof = await inclusionProofFor(app.db, req.query.index, req.query.size);
    return reply.header('cache-control', immutable).send(proof);
  });

  app.get('/proofs/consistency', {
    schema: {
      tags: ['ledger'], summary: 'RFC 9162 consistency proof between two signed trees',
      querystring: Type.Object({ from: TreeSize, to: TreeSize }), response: { 200: ConsistencyProofSchema },
    },
  }, async (req, reply) => {
    const proof = await consistencyProofFor(app.db, req.query.from, req.query.to);
    return reply.header('cache-control', immutable).send(proof);
  });

  app.get('/entries', {
    schema: {
      tags: ['ledger'], summary: 'Entries for the explorer, newest first unless order=asc',
      querystring: Type.Object({
        from: Type.Optional(TreeIndex),
        limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
        order: Type.Union([Type.Literal('desc'), Type.Literal('asc')], { default: 'desc' }),
      }),
      response: { 200: Type.Object({ size: Type.Integer(), entries: Type.Array(LedgerEntrySchema) }) },
    },
  }, async (req) => {
    assertCan(req.actor, 'ledger.entry.read');
    const page = await listEntries(app.db, req.query);
    return { size: page.size, entries: page.entries.map(presentEntry) };
  });

  app.get('/entries/:index', {
    schema: { tags: ['ledger'], summary: 'One entry with what its leaf hash covers', params: Type.Object({ index: TreeIndex }), response: { 200: LedgerEntrySchema } },
  }, async (req) => {
    assertCan(req.actor, 'ledger.entry.read');
    const entry = await getEntry(app.db, req.params.index);
    if (!entry) throw notFound('ledger.entry', req.params.index);
    return presentEntry(entry);
  });
}
