/** Problem titles of the ledger's refusals; src/server.ts registers them. */
export const ledgerMessages = {
  'ledger.bad-size': { zh: '树大小超出已签名检查点的范围', en: 'Tree size outside the signed checkpoints' },
  'ledger.bad-index': { zh: '条目序号超出树的范围', en: 'Entry index outside the tree' },
  'ledger.no-checkpoint': { zh: '账本尚无签名检查点', en: 'The ledger has no signed checkpoint yet' },
  'ledger.entry.not-found': { zh: '账本条目不存在', en: 'Ledger entry not found' },
};
