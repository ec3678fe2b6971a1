// The module list: what the manifests declare, checked where a forgotten or doubled line would half-work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { timersOf } from '../src/kernel/module.ts';
import { modules } from '../src/modules.ts';

test('module names are unique', () => {
  const names = modules.map((m) => m.name);
  assert.deepEqual(names.filter((n, i) => names.indexOf(n) !== i), []);
});

test('the platform runs every module\'s timers, each once, on its interval', () => {
  assert.deepEqual(Object.fromEntries(timersOf(modules).map((t) => [t.name, t.everyMs])), {
    'auth.address-limits.close': 60_000,
    'hotline.deadlines': 60_000,
    'hotline.rate.expire': 3_600_000,
    'hotline.photos.orphans': 3_600_000,
    'hotline.tile-counts': 600_000,
    'hotline.classifier.learn': 21_600_000,
    'hub.requests.escalate': 60_000,
    'registry.loads.resume': 30_000,
    'services.escalate-overdue': 600_000,
    'services.default-ratings': 3_600_000,
    'credentials.nonces.expire': 3_600_000,
    'supervision.tasks': 3_600_000,
    'supervision.checks': 3_600_000,
    'oversight.stream': 250,
    'cityops.sensors.offline': 30_000,
    'cityops.sensors.retention': 3_600_000,
    'cityops.field.positions': 600_000,
    'cityops.sensors.cases': 60_000,
    'cityops.cases.deadlines': 60_000,
    'cityops.hotline.cases': 60_000,
    'cityops.orders.escalation': 30_000,
  });
  assert.equal(new Set(timersOf(modules).map((t) => t.name)).size, timersOf(modules).length);
});

test('each permission a manifest grants is one of its own actions', () => {
  const strays = modules.flatMap((m) => Object.entries(m.permissions?.grants ?? {})
    .flatMap(([role, actions]) => actions.filter((a) => !m.permissions!.actions.includes(a)).map((a) => `${m.name}: ${role} → ${a}`)));
  assert.deepEqual(strays, []);
});

test('no two modules name the same problem code or ledger action', () => {
  for (const names of [modules.flatMap((m) => Object.keys(m.messages ?? {})), modules.flatMap((m) => Object.keys(m.ledgerActions ?? {}))])
    assert.deepEqual(names.filter((name, i) => names.indexOf(name) !== i), []);
});
