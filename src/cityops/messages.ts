/** Titles of the city-operations refusals and names of its ledger actions, in zh-CN and English. */
export const cityopsMessages = {
  'cityops.component.not-found': { zh: '部件不存在', en: 'Component not found' },
  'cityops.component.bad-code': { zh: '部件编码应为16位数字', en: 'A component code is 16 digits' },
  'cityops.component.unknown-division': { zh: '部件编码中的行政区划代码不是本系统的区县', en: 'The code\'s division is not a known county or district' },
  'cityops.component.unknown-class': { zh: '部件编码中的大类代码不存在', en: 'The code\'s class is unknown' },
  'cityops.component.unknown-kind': { zh: '部件编码中的小类代码不存在或已停用', en: 'The code\'s kind is unknown or retired' },
  'cityops.component.outside-division': { zh: '部件位置不在编码所示区县的网格内', en: 'The location lies outside the county the code names' },
  'cityops.component.code-taken': { zh: '部件编码已存在', en: 'A component has this code already' },
  'cityops.component.bad-location': { zh: '部件位置经纬度不正确', en: 'Invalid longitude or latitude' },
  'cityops.component.bad-state': { zh: '未知的部件状态', en: 'Unknown component state' },
  'cityops.component.bad-source': { zh: '未知的数据来源', en: 'Unknown data source' },
  'cityops.component.bad-date': { zh: '日期格式应为 YYYY-MM-DD', en: 'A date is YYYY-MM-DD' },
  'cityops.component.unknown-department': { zh: '部门不存在', en: 'Unknown department' },
  'cityops.component.bad-geometry': { zh: '部件位置应为 GeoJSON 点', en: 'A component\'s geometry is a GeoJSON Point' },
  'cityops.component.bad-bbox': { zh: '范围应为 最小经度,最小纬度,最大经度,最大纬度', en: 'A box is minLon,minLat,maxLon,maxLat' },
  'cityops.component.not-text': { zh: '该列应为文本', en: 'The column must be text' },
  'cityops.kind.code-taken': { zh: '该大类下已有此小类代码', en: 'The class has a kind with this code already' },
  'cityops.kind.not-found': { zh: '部件小类不存在', en: 'Kind not found' },
  'cityops.kind.standard': { zh: '标准小类的代码和名称不可修改，可停用', en: 'A standard kind keeps its code and names; it can be retired' },
  'cityops.import.not-geojson': { zh: '应为 GeoJSON FeatureCollection', en: 'Expected a GeoJSON FeatureCollection' },
} as const;

export const cityopsLedgerActions = {
  'cityops.component.created': { zh: '登记部件', en: 'Component registered' },
  'cityops.component.updated': { zh: '更新部件', en: 'Component updated' },
  'cityops.components.imported': { zh: '导入部件', en: 'Components imported' },
  'cityops.kind.added': { zh: '新增扩展小类', en: 'Extension kind added' },
  'cityops.kind.updated': { zh: '修改部件小类', en: 'Kind updated' },
};
