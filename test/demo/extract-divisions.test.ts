import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import {
  extractDivisions,
  formatDivisions,
  referenceDivisionsDir,
  shippedDivisionsFile,
  toCode12,
} from '../../src/kernel/demo/extract-divisions.ts';

test('toCode12 pads NBS codes of every level to 12 digits', () => {
  for (const [code, code12] of [
    ['51', '510000000000'],
    ['5116', '511600000000'],
    ['511602', '511602000000'],
    ['511602001', '511602001000'],
  ]) assert.equal(toCode12(code), code12);
});

test('the shipped division file is exactly what the extraction produces', {
  skip: !existsSync(referenceDivisionsDir) && 'reference divisions not present beside the repository',
}, () => {
  assert.equal(readFileSync(shippedDivisionsFile, 'utf8'), formatDivisions(extractDivisions()));
});
