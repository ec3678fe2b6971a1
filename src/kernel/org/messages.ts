/** Titles of the organisation module's problem codes, zh-CN and English. */
export const orgMessages = {
  'org.required': { zh: '必填项为空', en: 'Required field is empty' },
  'org.too-long': { zh: '内容过长', en: 'Text too long' },
  'org.division.bad-code': { zh: '行政区划代码不正确', en: 'Invalid division code' },
  'org.division.wrong-parent': { zh: '上级区划与区划代码不符', en: 'Parent does not match the division code' },
  'org.division.unknown-parent': { zh: '上级区划不存在', en: 'Parent division does not exist' },
  'org.division.unknown': { zh: '行政区划不存在', en: 'Division does not exist' },
  'org.division.not-found': { zh: '行政区划不存在', en: 'Division not found' },
  'org.division.exists': { zh: '区划代码已存在', en: 'Division code already exists' },
  'org.department.bad-code': { zh: '部门代码格式不正确', en: 'Invalid department code' },
  'org.department.bad-kind': { zh: '部门类别格式不正确', en: 'Invalid department kind' },
  'org.department.kind-reserved': { zh: '该部门类别带有管理其他部门的权力，只能由平台管理员设置', en: 'This department kind carries powers over other departments; only a platform admin sets it' },
  'org.department.appointment-reserved': { zh: '该部门人员带有管理其他部门的权力，须由平台管理员或本部门管理员任命', en: 'Staff of this department carry powers over other departments; a platform admin or the department\'s own admin appoints them' },
  'org.department.unknown-parent': { zh: '上级部门不存在', en: 'Parent department does not exist' },
  'org.department.parent-elsewhere': { zh: '上级部门须属于本级或上级区划', en: 'Parent department must belong to the same or a higher division' },
  'org.department.cycle': { zh: '部门不能隶属于自身或其下属机构', en: 'A department cannot sit under itself or its own sub-units' },
  'org.department.code-taken': { zh: '部门代码已被使用', en: 'Department code already in use' },
  'org.department.name-taken': { zh: '本区划已有同名部门', en: 'This division already has a department with this name' },
  'org.grid.bad-code': { zh: '网格代码格式不正确', en: 'Invalid grid code' },
  'org.grid.bad-geometry': { zh: '网格边界不正确', en: 'Invalid grid boundary' },
  'org.grid.wrong-level': { zh: '网格只能划在乡镇（街道）或村（社区）下', en: 'Grids belong under a township or a village/community' },
  'org.grid.code-taken': { zh: '网格代码已被使用', en: 'Grid code already in use' },
  'org.import.malformed-csv': { zh: 'CSV 格式错误', en: 'Malformed CSV' },
  'org.import.not-text': { zh: '该列应为文本', en: 'This column must be text' },
};

/** The ledger actions this module writes, with a label per language. */
export const orgLedgerActions = {
  'org.division.created': { zh: '新增行政区划', en: 'Division added' },
  'org.division.renamed': { zh: '行政区划更名', en: 'Division renamed' },
  'org.divisions.imported': { zh: '导入行政区划', en: 'Divisions imported' },
  'org.department.created': { zh: '新增部门', en: 'Department added' },
  'org.department.updated': { zh: '修改部门', en: 'Department changed' },
  'org.departments.imported': { zh: '导入部门', en: 'Departments imported' },
  'org.grid.created': { zh: '新增网格', en: 'Grid added' },
};
