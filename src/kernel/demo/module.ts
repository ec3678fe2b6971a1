import { defineModule } from '../module.ts';

export const demoLedgerActions = {
  'demo.loaded': { zh: '载入演示城市', en: 'Demo city loaded' },
  'demo.removed': { zh: '移除演示城市', en: 'Demo city removed' },
};

/** The demo city itself: loading and removing it are ledger entries of their own. */
export const demoModule = defineModule({ name: 'demo', migrations: [], ledgerActions: demoLedgerActions });
