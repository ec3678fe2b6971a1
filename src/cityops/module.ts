import { defineModule, joinGrants } from '../kernel/module.ts';
import { prepareCaseKinds } from './case-kinds.ts';
import { sweepCaseDeadlines } from './case-deadlines.ts';
import { cityopsCaseRoutes } from './case-routes.ts';
import { cityopsMapRoutes } from './map-routes.ts';
import { prepareHotlineCategories, sweepHotlineCases } from './hotline-link.ts';
import { prepareCatalogue } from './catalogue.ts';
import { caseLogins, loadCasesDemo, removeCasesDemo } from './demo-cases.ts';
import { loadComponentsDemo, removeComponentsDemo } from './demo.ts';
import { cityopsLedgerActions, cityopsMessages } from './messages.ts';
import { cityopsActions, cityopsCapabilities, cityopsGrants, deskKinds, readEvaluation } from './policy.ts';
import { cityopsRoutes } from './routes.ts';
import { eventCasesSweep } from './sensors/cases.ts';
import { loadSensorsDemo, removeSensorsDemo } from './sensors/demo.ts';
import { sensorLedgerActions, sensorMessages } from './sensors/messages.ts';
import { offlineSweep } from './sensors/offline.ts';
import { sensorActions, sensorGrants } from './sensors/policy.ts';
import { sensorRoutes } from './sensors/routes.ts';
import { sensorMqttService } from './sensors/service.ts';

/**
 * 一网统管 city operations: the component registry (部件) with its catalogue, cases (案件) from report to rating,
 * sensors (感知设备, src/cityops/sensors/): devices, rules, events, MQTT and HTTP ingest, and the one map (一张图): all of
 * them and 12345 tickets as vector tiles.
 */
export const cityopsModule = defineModule({
  name: 'cityops',
  migrations: ['0090_cityops_components.sql', '0160_cityops_cases.sql', '0170_cityops_sensors.sql', '0171_cityops_sensor_event_cases.sql', '0177_cityops_map_places.sql'],
  messages: { ...cityopsMessages, ...sensorMessages },
  ledgerActions: { ...cityopsLedgerActions, ...sensorLedgerActions },
  permissions: { actions: [...Object.values(cityopsActions), ...Object.values(sensorActions)], grants: joinGrants(cityopsGrants, sensorGrants) },
  capabilities: cityopsCapabilities,
  abilities: [readEvaluation],
  reservedDepartmentKinds: Object.values(deskKinds),
  routes: [
    { prefix: '/api/v1/cityops', plugin: cityopsRoutes },
    { prefix: '/api/v1/cityops', plugin: cityopsCaseRoutes },
    { prefix: '/api/v1/cityops', plugin: sensorRoutes },
    { prefix: '/api/v1/cityops', plugin: cityopsMapRoutes },
  ],
  timers: [
    { name: 'cityops.cases.deadlines', everyMs: 60_000, run: sweepCaseDeadlines },
    // 12345 tickets of the categories marked `auto` become cases within a minute of intake.
    { name: 'cityops.hotline.cases', everyMs: 60_000, run: sweepHotlineCases },
    offlineSweep,
    eventCasesSweep,
  ],
  services: [sensorMqttService],
  prepare: async (db) => {
    await prepareCatalogue(db);
    await prepareCaseKinds(db);
    await prepareHotlineCategories(db);
  },
  demo: {
    logins: caseLogins,
    async load(ctx) {
      const { components } = await loadComponentsDemo(ctx.tx, ctx);
      const cases = await loadCasesDemo(ctx);
      const sensors = await loadSensorsDemo(ctx.tx, { seed: ctx.seed, cityCode: ctx.cityCode });
      return { cityopsComponents: components, cityopsCases: cases.cases, ...sensors };
    },
    async reset(ctx) {
      // Devices first: they may be mounted on demo components.
      const sensors = await removeSensorsDemo(ctx.tx, ctx.cityCode);
      const cases = await removeCasesDemo(ctx);
      return { ...sensors, ...cases, ...(await removeComponentsDemo(ctx.tx, ctx.cityCode)) };
    },
  },
});
