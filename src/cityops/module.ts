import { defineModule, joinGrants } from '../kernel/module.ts';
import { prepareCaseKinds } from './case-kinds.ts';
import { sweepCaseDeadlines } from './case-deadlines.ts';
import { cityopsCaseRoutes } from './case-routes.ts';
import { cityopsDisputeRoutes } from './dispute-routes.ts';
import { positionsSweep } from './field-duty.ts';
import { cityopsFieldRoutes } from './field-routes.ts';
import { cityopsMapRoutes } from './map-routes.ts';
import { prepareHotlineCategories, sweepHotlineCases } from './hotline-link.ts';
import { prepareCatalogue } from './catalogue.ts';
import { caseLogins, loadCasesDemo, removeCasesDemo } from './demo-cases.ts';
import { loadDisputesDemo, removeDisputesDemo } from './demo-disputes.ts';
import { loadComponentsDemo, removeComponentsDemo } from './demo.ts';
import { cityopsLedgerActions, cityopsMessages } from './messages.ts';
import { cityopsActions, cityopsCapabilities, cityopsGrants, deskKinds, fieldPage, readEvaluation, screenActions, screenGrants, staffMap } from './policy.ts';
import { cityopsRoutes } from './routes.ts';
import { screenLedgerActions, screenMessages } from './screen/messages.ts';
import { orderEscalationSweep } from './screen/orders.ts';
import { screenRelayService } from './screen/relay.ts';
import { screenRoutes } from './screen/routes.ts';
import { eventCasesSweep } from './sensors/cases.ts';
import { loadSensorsDemo, removeSensorsDemo } from './sensors/demo.ts';
import { sensorLedgerActions, sensorMessages } from './sensors/messages.ts';
import { offlineSweep } from './sensors/offline.ts';
import { retentionSweep } from './sensors/retention.ts';
import { sensorActions, sensorGrants } from './sensors/policy.ts';
import { sensorRoutes } from './sensors/routes.ts';
import { sensorMqttService } from './sensors/service.ts';

/**
 * 一网统管 city operations: the component registry (部件) with its catalogue, cases (案件) from report to rating,
 * sensors (感知设备, src/cityops/sensors/): devices, rules, events, MQTT and HTTP ingest, the one map (一张图):
 * all of them and 12345 tickets as vector tiles, and the command-centre screen (指挥大屏, src/cityops/screen/): its
 * snapshot, live stream and one-click orders (一键调度).
 */
export const cityopsModule = defineModule({
  name: 'cityops',
  migrations: ['0090_cityops_components.sql', '0160_cityops_cases.sql', '0170_cityops_sensors.sql', '0171_cityops_sensor_event_cases.sql',
    '0172_cityops_disputes.sql', '0174_cityops_field.sql', '0177_cityops_map_places.sql', '0178_cityops_orders.sql', '0180_cityops_sensor_rule_labels.sql', '0181_cityops_sensor_retention.sql',
    '0184_cityops_case_kinds_stamp.sql', '0185_cityops_screen_outbox.sql'],
  messages: { ...cityopsMessages, ...sensorMessages, ...screenMessages },
  ledgerActions: { ...cityopsLedgerActions, ...sensorLedgerActions, ...screenLedgerActions },
  permissions: {
    actions: [...Object.values(cityopsActions), ...Object.values(sensorActions), ...Object.values(screenActions)],
    grants: joinGrants(joinGrants(cityopsGrants, sensorGrants), screenGrants),
  },
  capabilities: cityopsCapabilities,
  abilities: [readEvaluation, fieldPage, staffMap],
  reservedDepartmentKinds: Object.values(deskKinds),
  routes: [
    { prefix: '/api/v1/cityops', plugin: cityopsRoutes },
    { prefix: '/api/v1/cityops', plugin: cityopsCaseRoutes },
    { prefix: '/api/v1/cityops', plugin: cityopsDisputeRoutes },
    { prefix: '/api/v1/cityops', plugin: cityopsFieldRoutes },
    { prefix: '/api/v1/cityops', plugin: sensorRoutes },
    { prefix: '/api/v1/cityops', plugin: cityopsMapRoutes },
    { prefix: '/api/v1/cityops', plugin: screenRoutes },
  ],
  timers: [
    { name: 'cityops.cases.deadlines', everyMs: 60_000, run: sweepCaseDeadlines },
    // 12345 tickets of the categories marked `auto` become cases within a minute of intake.
    { name: 'cityops.hotline.cases', everyMs: 60_000, run: sweepHotlineCases },
    offlineSweep,
    retentionSweep,
    // Positions of staff on duty are personal data: kept a day at most, and only while on duty.
    positionsSweep,
    eventCasesSweep,
    orderEscalationSweep,
  ],
  // The screen's messages leave their outbox in every process, screens open or not.
  services: [sensorMqttService, screenRelayService],
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
      const disputes = await loadDisputesDemo(ctx);
      const sensors = await loadSensorsDemo(ctx.tx, { seed: ctx.seed, cityCode: ctx.cityCode });
      return { cityopsComponents: components, cityopsCases: cases.cases, ...disputes, ...sensors };
    },
    async reset(ctx) {
      // Devices first: they may be mounted on demo components.
      const sensors = await removeSensorsDemo(ctx.tx, ctx.cityCode);
      const rules = await removeDisputesDemo(ctx);
      const cases = await removeCasesDemo(ctx);
      return { ...sensors, ...rules, ...cases, ...(await removeComponentsDemo(ctx.tx, ctx.cityCode)) };
    },
  },
});
