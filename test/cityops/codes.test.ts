import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitComponentCode } from '../../src/cityops/index.ts';
import { DomainError } from '../../src/kernel/errors.ts';

test('a component code splits into county, class, kind and serial', () => {
  assert.deepEqual(splitComponentCode('5116020117000123'), { division: '511602', classCode: '01', kindCode: '17', serial: '000123' });
});

test('malformed codes are refused naming the field and the part', () => {
  const cases: [string, string, string][] = [
    ['511602011700012', 'cityops.component.bad-code', 'format'],
    ['51160201170001234', 'cityops.component.bad-code', 'format'],
    ['51160201170001a3', 'cityops.component.bad-code', 'format'],
    ['5116020117000000', 'cityops.component.bad-code', 'serial'],
    ['5116000117000001', 'cityops.component.unknown-division', 'division'],
  ];
  for (const [code, error, part] of cases) {
    assert.throws(() => splitComponentCode(code), (e: DomainError) => {
      assert.deepEqual([e.code, e.details.field, e.details.reason ?? e.details.part], [error, 'code', part], code);
      return true;
    });
  }
});
