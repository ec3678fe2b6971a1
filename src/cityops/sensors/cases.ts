/**
 * What a case (案件) about a sensor event needs: where (division, grid, point), the component (部件) the device is
 * mounted on, the kind (小类) it is filed under (the component's own, or the device type's) and a description a
 * dispatcher reads. Raised events are stored with these fields; `caseFieldsOf` is the one place that makes them,
 * and so the place where opening the case joins in once cases are part of the module.
 */
import type { RuleTransition } from './rules.ts';

export interface CaseFields {
  divisionCode: string;
  gridCode: string | null;
  lon: number;
  lat: number;
  componentCode: string | null;
  classCode: string;
  kindCode: string;
  description: string;
}

interface EventDevice {
  code: string;
  place: { divisionCode: string; gridCode: string | null; lon: number; lat: number; componentCode: string | null };
  caseKind: { classCode: string; kindCode: string; typeNameZh: string; unit: string };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** The case fields of an event raised on `device` by `transition` at reading `reading`. */
export function caseFieldsOf(device: EventDevice, transition: RuleTransition, reading: { at: number; value: number }): CaseFields {
  const rule = transition.rule;
  const unit = device.caseKind.unit;
  const what = rule.kind === 'threshold'
    ? `读数 ${round(reading.value)} ${unit}，${rule.direction === 'above' ? '达到或超过' : '达到或低于'}阈值 ${rule.raise} ${unit}`
    : `${rule.windowSeconds} 秒内每分钟${rule.direction === 'rise' ? '上升' : '下降'} ${round(Math.abs(transition.measure))} ${unit}，超过 ${rule.perMinute} ${unit}/分钟`;
  const where = device.place.componentCode ? `（部件 ${device.place.componentCode}）` : '';
  return {
    divisionCode: device.place.divisionCode, gridCode: device.place.gridCode, lon: device.place.lon, lat: device.place.lat,
    componentCode: device.place.componentCode, classCode: device.caseKind.classCode, kindCode: device.caseKind.kindCode,
    description: `${device.caseKind.typeNameZh}设备 ${device.code}${where}报警「${rule.name}」：${what}。`,
  };
}
