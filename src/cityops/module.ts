import { defineModule, joinGrants } from '../kernel/module.ts';
import { prepareCatalogue } from './catalogue.ts';
import { loadComponentsDemo, removeComponentsDemo } from './demo.ts';
import { cityopsLedgerActions, cityopsMessages } from './messages.ts';
import { cityopsActions, cityopsGrants } from './policy.ts';
import { cityopsRoutes } from './routes.ts';
import { loadSensorsDemo, removeSensorsDemo } from './sensors/demo.ts';
import { sensorLedgerActions, sensorMessages } from './sensors/messages.ts';
import { offlineSweep } from './sensors/offline.ts';
import { sensorActions, sensorGrants } from './sensors/policy.ts';
import { sensorRoutes } from './sensors/routes.ts';
import { sensorMqttService } from './sensors/service.ts';

/** 一网统管 city operations: the component registry (部件) with its catalogue of classes and kinds. */
// Sensors (感知设备, src/cityops/sensors/): devices, rules, events, MQTT and HTTP ingest.
export const cityopsModule = defineModule({
  name: 'cityops',
  migrations: [
    '0090_cityops_components.sql',
    '0170_cityops_sensors.sql',
  ],
  messages: { ...cityopsMessages, ...sensorMessages },
  ledgerActions: { ...cityopsLedgerActions, ...sensorLedgerActions },
  permissions: { actions: [...Object.values(cityopsActions), ...Object.values(sensorActions)], grants: joinGrants(cityopsGrants, sensorGrants) },
  routes: [
    { prefix: '/api/v1/cityops', plugin: cityopsRoutes },
    { prefix: '/api/v1/cityops', plugin: sensorRoutes },
  ],
  timers: [offlineSweep],
  services: [sensorMqttService],
  prepare: (db) => prepareCatalogue(db),
  demo: {
    async load({ tx, seed, city, cityCode }) {
      const { components } = await loadComponentsDemo(tx, { seed, city, cityCode });
      const sensors = await loadSensorsDemo(tx, { seed, cityCode });
      return { cityopsComponents: components, ...sensors };
    },
    async reset({ tx, cityCode }) {
      // Devices first: they may be mounted on demo components.
      const sensors = await removeSensorsDemo(tx, cityCode);
      return { ...sensors, ...(await removeComponentsDemo(tx, cityCode)) };
    },
  },
});
