/**
 * Names of ledger actions in each UI language. Each module keeps its actions in one list (as X-Road
 * names every audited act) and registers it, so the explorer shows "派单" rather than a code.
 */
export type ActionLabels = Record<string, { zh: string; en: string }>;

const labels: ActionLabels = {};

export function registerLedgerActions(actions: ActionLabels): void {
  Object.assign(labels, actions);
}

export function ledgerActionLabels(): Readonly<ActionLabels> {
  return labels;
}
