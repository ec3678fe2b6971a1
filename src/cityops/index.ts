/** 一网统管 (city operations): what other modules, the benchmarks and the tests may use. */
export { addKind, listCatalogue, updateKind, type ComponentClass, type ComponentKind } from './catalogue.ts';
export { splitComponentCode } from './codes.ts';
export {
  componentsInBox, createComponent, getComponent, listComponents, parseBbox, updateComponent, type Bbox, type ComponentFilter, type ComponentView,
} from './components.ts';
export { exportComponents, featureRows, importComponents, toFeatureCollection } from './transfer.ts';
export { listCaseKinds, setDispatchRule, type CaseKind, type Urgency } from './case-kinds.ts';
export { routeCase } from './ownership.ts';
export { sweepCaseDeadlines } from './case-deadlines.ts';
export { getCase, listCases } from './case-reads.ts';
export {
  checkCase, closeCase, dispatchCase, evaluateCase, fileCase, handleCase, openCase, refuseCase, reportCase, returnCase, verifyCase,
  type Case, type CaseSource, type CaseState, type OpenCase,
} from './cases.ts';
export { evaluateMonth } from './evaluation.ts';
export { deleteOldPositions, listStaffOnDuty, POSITION_RETENTION_HOURS, type StaffOnDuty } from './field-duty.ts';
export { mapLayers, mapTile, type MapFilter, type MapLayer } from './map.ts';
export {
  getDevice, listDevices, registerDevice, rotateDeviceSecret, setDeviceEnabled, signingKeyOf, type Device,
} from './sensors/devices.ts';
export { demoDeviceSecret } from './sensors/demo.ts';
export { listSensorEvents, type SensorEvent } from './sensors/events.ts';
export { checkReadingShape, readingText, signReading, SensorIngest, type Reading, type ReadingOutcome } from './sensors/ingest.ts';
export { markOfflineDevices } from './sensors/offline.ts';
export { checkRules, evaluateReading, initialRuleState, type SensorRule } from './sensors/rules.ts';
export { acquireIngest, readingsTopic, releaseIngest, startSensorMqtt } from './sensors/service.ts';
export { listSensorTypes, updateSensorType } from './sensors/types.ts';
export { relayScreenMessages, startScreenRelay, type ScreenRelay } from './screen/relay.ts';
