/**
 * The departments a prefecture-level city and its counties really have, named the way 广安 writes them.
 * Codes are `<6-digit division>-<abbreviation>` (e.g. 511621-MZ for 岳池县民政局): stable across seeds.
 */
import type { Division } from './divisions.ts';

export interface Department {
  code: string;
  name: string;
  shortName: string;
  /** The division whose government the department belongs to (city or county level). */
  divisionCode12: string;
  /** What the department does, the same key at every level, so other modules can find "民政 of 岳池县". */
  kind: DepartmentKind;
}

export type DepartmentKind = (typeof DEPARTMENT_TYPES)[number]['kind'];

interface DepartmentType {
  kind: string;
  abbreviation: string;
  /** Name after the division name at city level; absent if the city has no such body. */
  cityName?: string;
  cityShortName?: string;
  /** Name after the division name at county level; absent if counties have no such body. */
  countyName?: string;
  countyShortName?: string;
  /** Districts of the city (区) have a branch (分局) of the city's public security bureau. */
  districtName?: string;
}

const DEPARTMENT_TYPES = [
  { kind: 'government-services', abbreviation: 'ZS', cityName: '政务服务和数据管理局', cityShortName: '政数局',
    countyName: '政务服务和数据管理局', countyShortName: '政数局' },
  { kind: 'public-security', abbreviation: 'GA', cityName: '公安局', countyName: '公安局', districtName: '公安分局' },
  { kind: 'civil-affairs', abbreviation: 'MZ', cityName: '民政局', countyName: '民政局' },
  { kind: 'human-resources', abbreviation: 'RS', cityName: '人力资源和社会保障局', cityShortName: '人社局',
    countyName: '人力资源和社会保障局', countyShortName: '人社局' },
  { kind: 'market-regulation', abbreviation: 'SJ', cityName: '市场监督管理局', cityShortName: '市场监管局',
    countyName: '市场监督管理局', countyShortName: '市场监管局' },
  // Counties run a 卫生健康局; only the city has a commission (委员会).
  { kind: 'health', abbreviation: 'WJ', cityName: '卫生健康委员会', cityShortName: '卫健委',
    countyName: '卫生健康局', countyShortName: '卫健局' },
  { kind: 'housing', abbreviation: 'ZJ', cityName: '住房和城乡建设局', cityShortName: '住建局',
    countyName: '住房和城乡建设局', countyShortName: '住建局' },
  { kind: 'urban-management', abbreviation: 'CG', cityName: '城市管理综合执法局', cityShortName: '综合执法局',
    countyName: '城市管理综合执法局', countyShortName: '综合执法局' },
  { kind: 'emergency-management', abbreviation: 'YJ', cityName: '应急管理局', cityShortName: '应急局',
    countyName: '应急管理局', countyShortName: '应急局' },
  { kind: 'transport', abbreviation: 'JT', cityName: '交通运输局', cityShortName: '交通局',
    countyName: '交通运输局', countyShortName: '交通局' },
  { kind: 'water', abbreviation: 'SW', cityName: '水务局', countyName: '水务局' },
  // Environmental protection is managed vertically: counties have a branch of the city bureau.
  { kind: 'ecology-environment', abbreviation: 'HJ', cityName: '生态环境局', countyName: '生态环境分局' },
  { kind: 'hotline', abbreviation: 'RX', cityName: '12345政务服务便民热线中心', cityShortName: '12345热线' },
  { kind: 'natural-resources', abbreviation: 'ZR', cityName: '自然资源和规划局', cityShortName: '自然资源局',
    countyName: '自然资源和规划局', countyShortName: '自然资源局' },
  { kind: 'education', abbreviation: 'JY', cityName: '教育和体育局', cityShortName: '教体局',
    countyName: '教育和体育局', countyShortName: '教体局' },
  { kind: 'medical-security', abbreviation: 'YB', cityName: '医疗保障局', cityShortName: '医保局',
    countyName: '医疗保障局', countyShortName: '医保局' },
  // 相对集中行政许可: counties moved most licensing into one approval bureau.
  { kind: 'administrative-approval', abbreviation: 'SP', countyName: '行政审批局', countyShortName: '审批局' },
  // 纪委监委: the merged discipline inspection commission and supervisory commission.
  { kind: 'discipline-inspection', abbreviation: 'JW', cityName: '纪委监委' },
] as const satisfies readonly DepartmentType[];

/** Every department kind of the demo city. */
export const DEPARTMENT_KINDS: readonly DepartmentKind[] = DEPARTMENT_TYPES.map((type) => type.kind);

const departmentCode = (division: Division, abbreviation: string) =>
  `${division.code12.slice(0, 6)}-${abbreviation}`;

/** City-level departments first, then each county's, in division code order; fixed for every seed. */
export function generateDepartments(divisions: Division[]): Department[] {
  const city = divisions.find((division) => division.level === 'city')!;
  const counties = divisions.filter((division) => division.level === 'county');
  const types: readonly (DepartmentType & { kind: DepartmentKind })[] = DEPARTMENT_TYPES;
  const atCity = types.flatMap((type): Department[] =>
    type.cityName === undefined
      ? []
      : [{
          code: departmentCode(city, type.abbreviation),
          name: city.name + type.cityName,
          shortName: '市' + (type.cityShortName ?? type.cityName),
          divisionCode12: city.code12,
          kind: type.kind,
        }],
  );
  const atCounties = counties.flatMap((county) =>
    types.flatMap((type): Department[] => {
      if (type.countyName === undefined) return [];
      const isDistrict = county.name.endsWith('区');
      const name = (isDistrict && type.districtName) || type.countyName;
      const shortName = (isDistrict && type.districtName) || type.countyShortName || type.countyName;
      return [{
        code: departmentCode(county, type.abbreviation),
        name: county.name + name,
        shortName: county.name + shortName,
        divisionCode12: county.code12,
        kind: type.kind,
      }];
    }),
  );
  return [...atCity, ...atCounties];
}
