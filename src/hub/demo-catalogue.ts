/**
 * The demo city's catalogue entries beyond those holding data: what the departments of a prefecture-level city and
 * its counties register in a 政务信息资源目录, modelled on the entries such catalogues publish (names, subjects,
 * formats, update cycles, share and open types, fields with their grades). Plain data; demo.ts registers it.
 */
import type { CreateEntry, Field } from './entries.ts';

export type FieldSpec = [code: string, name: string, type: Field['type'], sensitivity: Field['sensitivity'], masking: Field['masking'], rules?: Field['rules']];

/** [类 letter, name, summary, share type, open type, update cycle, format, fields]. The 项 is the department's subject (themes.ts). */
export type EntryTemplate = [cls: 'A' | 'B' | 'C', name: string, summary: string, share: CreateEntry['shareType'], open: CreateEntry['openType'],
  cycle: string, format: string, fields: FieldSpec[]];

const s = (code: string, name: string, sensitivity: Field['sensitivity'] = 'general', masking: Field['masking'] = 'none'): FieldSpec =>
  [code, name, 'string', sensitivity, masking];
const d = (code: string, name: string): FieldSpec => [code, name, 'date', 'general', 'none'];
const n = (code: string, name: string, sensitivity: Field['sensitivity'] = 'general'): FieldSpec => [code, name, 'number', sensitivity, 'none', { min: 0 }];
const i = (code: string, name: string): FieldSpec => [code, name, 'integer', 'general', 'none', { min: 0 }];

export const ID: FieldSpec = ['id_number', '公民身份号码', 'string', 'important', 'partial', { required: true, check: 'resident-id' }];
export const NAME: FieldSpec = ['name', '姓名', 'string', 'important', 'partial', { required: true }];
export const CREDIT: FieldSpec = ['credit_code', '统一社会信用代码', 'string', 'general', 'none', { required: true, check: 'credit-code' }];
const ORG = s('org_name', '单位名称');
const ADDRESS = s('address', '地址');
const OFFICE_PHONE = s('phone', '咨询电话');
const DIVISION: FieldSpec = ['division_code', '行政区划代码', 'string', 'general', 'none', { pattern: '^[0-9]{12}$' }];
const LNG = n('longitude', '经度');
const LAT = n('latitude', '纬度');
const LICENCE_NO = s('licence_no', '许可证号');
const VALID_UNTIL = d('valid_until', '有效期至');
const ISSUED_ON = d('issued_on', '发证日期');
const AUTHORITY = s('authority', '发证机关');
const DECISION_NO = s('decision_no', '决定书文号');
const PENALTY = s('penalty', '处罚内容');
const DECIDED_ON = d('decided_on', '决定日期');
const PLACE = (name = '名称') => [s('place_name', name), ADDRESS, LNG, LAT];

/** Entries of the city-level department of each kind. */
export const CITY_TEMPLATES: Record<string, EntryTemplate[]> = {
  'public-security': [
    ['A', '户籍迁移信息', '户口迁入、迁出及市内迁移登记', 'conditional', 'closed', 'daily', '库表', [ID, NAME, s('move_type', '迁移类型'), d('moved_on', '迁移日期'), DIVISION]],
    ['A', '出生登记信息', '新生儿户口登记', 'conditional', 'closed', 'daily', '库表', [ID, NAME, d('birth_date', '出生日期'), s('guardian_id', '监护人身份号码', 'important', 'partial')]],
    ['A', '死亡注销信息', '公民死亡后户口注销记录', 'conditional', 'closed', 'daily', '库表', [ID, NAME, d('died_on', '注销日期')]],
    ['C', '机动车登记信息', '机动车注册、转移、抵押与注销登记', 'conditional', 'closed', 'daily', '库表', [s('plate_no', '号牌号码'), s('vehicle_type', '车辆类型'), ID, d('registered_on', '初次登记日期')]],
    ['C', '交通违法处理信息', '道路交通安全违法行为处理结果', 'conditional', 'closed', 'realtime', '接口', [s('plate_no', '号牌号码'), s('offence', '违法行为'), d('handled_on', '处理日期')]],
    ['B', '交通事故多发路段信息', '近三年交通事故多发路段及整治措施', 'unconditional', 'open', 'quarterly', 'XLSX', [s('road', '路段'), i('accidents', '事故起数'), s('measure', '整治措施')]],
    ['C', '出入境证件办理信息', '护照、港澳通行证办理记录', 'conditional', 'closed', 'daily', '库表', [ID, s('document_type', '证件类型'), ISSUED_ON]],
    ['C', '旅馆业治安管理信息', '旅馆业特种行业许可', 'unconditional', 'conditional', 'monthly', '库表', [CREDIT, ORG, ADDRESS, LICENCE_NO]],
    ['B', '户政业务办理网点', '派出所户籍窗口地址与办公时间', 'unconditional', 'open', 'yearly', 'CSV', [...PLACE('网点名称'), s('hours', '办公时间'), OFFICE_PHONE]],
    ['C', '重点人员管控信息', '依法列管的重点人员', 'none', 'closed', 'realtime', '库表', [ID, NAME, s('category', '类别', 'core', 'drop')]],
  ],
  'market-regulation': [
    ['A', '个体工商户登记信息', '个体工商户设立、变更与注销登记', 'unconditional', 'conditional', 'daily', '库表', [CREDIT, s('trade_name', '字号名称'), s('operator', '经营者', 'important', 'partial'), d('registered_on', '登记日期')]],
    ['A', '农民专业合作社登记信息', '农民专业合作社登记', 'unconditional', 'open', 'daily', '库表', [CREDIT, ORG, ADDRESS, d('registered_on', '成立日期')]],
    ['B', '行政处罚信息（市场监管）', '市场监管领域行政处罚决定公示', 'unconditional', 'open', 'daily', 'JSON', [CREDIT, ORG, DECISION_NO, PENALTY, DECIDED_ON]],
    ['B', '严重违法失信名单', '列入严重违法失信名单的企业', 'unconditional', 'open', 'daily', 'JSON', [CREDIT, ORG, s('reason', '列入原因'), d('listed_on', '列入日期')]],
    ['A', '药品经营许可信息', '药品零售与批发企业许可', 'unconditional', 'open', 'weekly', '库表', [CREDIT, ORG, LICENCE_NO, VALID_UNTIL]],
    ['B', '食品安全抽检信息', '食品安全监督抽检结果', 'unconditional', 'open', 'monthly', 'XLSX', [s('product', '样品名称'), ORG, s('result', '检验结论'), d('sampled_on', '抽样日期')]],
    ['C', '计量器具强制检定信息', '强制检定计量器具登记与检定结果', 'unconditional', 'closed', 'monthly', '库表', [CREDIT, s('instrument', '器具名称'), s('result', '检定结论')]],
    ['B', '知识产权质押登记信息', '专利权、商标专用权质押登记', 'unconditional', 'open', 'monthly', 'CSV', [CREDIT, s('ip_no', '专利/商标号'), n('amount', '质押金额（万元）')]],
    ['C', '消费投诉举报信息', '12315 消费投诉与举报处理', 'conditional', 'closed', 'daily', '接口', [s('complaint_no', '投诉编号'), s('complainant_phone', '投诉人电话', 'important', 'partial'), ORG, s('result', '处理结果')]],
    ['A', '股权出质登记信息', '有限责任公司股权出质设立登记', 'unconditional', 'conditional', 'daily', '库表', [CREDIT, s('pledgor', '出质人', 'important', 'partial'), n('amount', '出质股权数额')]],
  ],
  'civil-affairs': [
    ['A', '低收入人口信息', '低收入人口动态监测对象', 'conditional', 'closed', 'monthly', '库表', [ID, NAME, s('category', '对象类别', 'important'), DIVISION]],
    ['B', '养老机构名录', '全市养老机构名称、地址、床位数', 'unconditional', 'open', 'quarterly', 'CSV', [...PLACE('机构名称'), i('beds', '床位数'), OFFICE_PHONE]],
    ['A', '残疾人两项补贴信息', '困难残疾人生活补贴和重度残疾人护理补贴发放', 'conditional', 'closed', 'monthly', '库表', [ID, NAME, n('amount', '补贴金额', 'important')]],
    ['A', '收养登记信息', '收养登记与解除收养登记', 'conditional', 'closed', 'realtime', '库表', [ID, s('child_id', '被收养人身份号码', 'important', 'partial'), d('registered_on', '登记日期')]],
    ['B', '地名信息', '标准地名及其含义、位置', 'unconditional', 'open', 'yearly', 'SHP', [s('place_name', '标准地名'), s('category', '地名类别'), LNG, LAT]],
    ['B', '公益性公墓名录', '城乡公益性公墓位置与容量', 'unconditional', 'open', 'yearly', 'CSV', [...PLACE('公墓名称'), i('capacity', '墓穴数')]],
    ['C', '临时救助信息', '临时救助对象与救助金额', 'conditional', 'closed', 'monthly', '库表', [ID, NAME, n('amount', '救助金额', 'important'), d('granted_on', '救助日期')]],
    ['B', '社区服务设施信息', '城乡社区综合服务设施', 'unconditional', 'open', 'yearly', 'CSV', [...PLACE('设施名称'), n('area', '建筑面积（平方米）')]],
  ],
  'human-resources': [
    ['A', '失业保险金发放信息', '失业保险金申领与发放', 'conditional', 'closed', 'monthly', '库表', [ID, NAME, n('amount', '月发放金额', 'important')]],
    ['A', '工伤认定信息', '工伤认定决定', 'conditional', 'closed', 'realtime', '库表', [ID, ORG, s('result', '认定结论'), DECIDED_ON]],
    ['B', '人力资源服务机构名录', '经营性人力资源服务机构许可与备案', 'unconditional', 'open', 'monthly', 'CSV', [CREDIT, ORG, ADDRESS, LICENCE_NO]],
    ['B', '招聘岗位信息', '公共就业服务机构发布的招聘岗位', 'unconditional', 'open', 'daily', 'JSON', [ORG, s('post', '岗位名称'), i('openings', '招聘人数'), s('salary', '薪酬范围')]],
    ['C', '劳动保障监察案件信息', '劳动保障监察立案与处理', 'conditional', 'closed', 'daily', '库表', [CREDIT, ORG, s('issue', '违法事项'), s('result', '处理结果')]],
    ['A', '专业技术职称信息', '专业技术人员职称评审结果', 'unconditional', 'conditional', 'yearly', '库表', [ID, NAME, s('title', '职称名称'), d('awarded_on', '取得日期')]],
    ['B', '技能培训机构名录', '职业技能培训定点机构', 'unconditional', 'open', 'quarterly', 'CSV', [CREDIT, ORG, ADDRESS, s('courses', '培训工种')]],
    ['C', '拖欠农民工工资黑名单', '列入拖欠农民工工资失信联合惩戒对象名单的用人单位', 'unconditional', 'open', 'monthly', 'JSON', [CREDIT, ORG, d('listed_on', '列入日期')]],
  ],
  health: [
    ['A', '医师执业注册信息', '医师执业注册与变更', 'unconditional', 'conditional', 'weekly', '库表', [ID, NAME, s('practice', '执业范围'), ORG]],
    ['A', '护士执业注册信息', '护士执业注册', 'unconditional', 'conditional', 'weekly', '库表', [ID, NAME, ORG]],
    ['B', '医疗机构名录', '全市医疗机构名称、等级、地址与电话', 'unconditional', 'open', 'monthly', 'CSV', [...PLACE('机构名称'), s('grade', '医院等级'), OFFICE_PHONE]],
    ['C', '居民电子健康档案', '居民健康档案摘要', 'conditional', 'closed', 'realtime', '接口', [ID, NAME, s('chronic', '慢病标识', 'core', 'drop')]],
    ['C', '死亡医学证明信息', '居民死亡医学证明（推断）书', 'conditional', 'closed', 'daily', '库表', [ID, d('died_on', '死亡日期'), s('cause', '死亡原因', 'core', 'drop')]],
    ['B', '公共场所卫生许可信息', '住宿、美容美发、游泳场所卫生许可', 'unconditional', 'open', 'weekly', 'JSON', [CREDIT, ORG, LICENCE_NO, VALID_UNTIL]],
    ['B', '预防接种门诊信息', '预防接种单位地址与服务时间', 'unconditional', 'open', 'quarterly', 'CSV', [...PLACE('门诊名称'), s('hours', '服务时间')]],
    ['C', '家庭医生签约信息', '家庭医生签约服务', 'conditional', 'closed', 'monthly', '库表', [ID, NAME, s('team', '签约团队'), d('signed_on', '签约日期')]],
  ],
  housing: [
    ['B', '房屋建筑工程施工许可信息', '建筑工程施工许可证核发', 'unconditional', 'open', 'daily', 'JSON', [s('permit_no', '施工许可证号'), s('project', '项目名称'), CREDIT, n('area', '建筑面积')]],
    ['A', '公租房保障对象信息', '公共租赁住房保障对象与配租情况', 'conditional', 'closed', 'monthly', '库表', [ID, NAME, s('estate', '配租小区')]],
    ['B', '物业服务企业名录', '物业服务企业与在管项目', 'unconditional', 'open', 'quarterly', 'CSV', [CREDIT, ORG, i('projects', '在管项目数')]],
    ['A', '商品房网签备案信息', '商品房买卖合同网签备案', 'conditional', 'closed', 'realtime', '库表', [ID, s('contract_no', '合同备案号'), n('price', '成交总价', 'important')]],
    ['B', '老旧小区改造项目信息', '城镇老旧小区改造计划与进度', 'unconditional', 'open', 'monthly', 'XLSX', [s('estate', '小区名称'), DIVISION, i('households', '户数'), s('progress', '进度')]],
    ['C', '建筑市场主体信用评价信息', '建筑业企业信用评价得分', 'unconditional', 'conditional', 'quarterly', '库表', [CREDIT, ORG, n('score', '信用得分')]],
    ['B', '城镇燃气经营许可信息', '燃气经营许可证', 'unconditional', 'open', 'monthly', 'CSV', [CREDIT, ORG, LICENCE_NO, VALID_UNTIL]],
  ],
  'natural-resources': [
    ['B', '国有建设用地供应信息', '国有建设用地出让、划拨结果', 'unconditional', 'open', 'monthly', 'JSON', [s('parcel', '宗地编号'), n('area', '面积（公顷）'), s('use', '土地用途'), n('price', '成交价（万元）')]],
    ['A', '不动产抵押登记信息', '不动产抵押权设立与注销登记', 'conditional', 'closed', 'daily', '库表', [s('cert_no', '不动产权证号', 'important'), ID, n('amount', '被担保债权数额', 'important')]],
    ['B', '建设工程规划许可信息', '建设工程规划许可证核发', 'unconditional', 'open', 'daily', 'JSON', [s('permit_no', '许可证号'), s('project', '项目名称'), CREDIT]],
    ['B', '地质灾害隐患点信息', '地质灾害隐患点位置与威胁人数', 'unconditional', 'open', 'yearly', 'SHP', [s('site', '隐患点名称'), s('type', '灾害类型'), i('threatened', '威胁人数'), LNG, LAT]],
    ['C', '耕地保护目标信息', '永久基本农田与耕地保护目标', 'conditional', 'closed', 'yearly', 'SHP', [DIVISION, n('area', '保护面积（亩）')]],
    ['B', '测绘资质单位名录', '测绘资质证书', 'unconditional', 'open', 'quarterly', 'CSV', [CREDIT, ORG, s('grade', '资质等级')]],
  ],
  education: [
    ['B', '中小学校名录', '全市中小学校名称、学段、地址', 'unconditional', 'open', 'yearly', 'CSV', [...PLACE('学校名称'), s('stage', '学段'), OFFICE_PHONE]],
    ['B', '幼儿园名录', '公办与民办幼儿园', 'unconditional', 'open', 'yearly', 'CSV', [...PLACE('幼儿园名称'), s('nature', '办园性质'), i('places', '学位数')]],
    ['B', '义务教育学校划片信息', '公办义务教育学校招生范围', 'unconditional', 'open', 'yearly', 'JSON', [s('school', '学校名称'), s('catchment', '招生范围')]],
    ['A', '学生资助信息', '家庭经济困难学生资助发放', 'conditional', 'closed', 'quarterly', '库表', [ID, NAME, n('amount', '资助金额', 'important')]],
    ['A', '高考录取信息', '普通高校招生录取结果', 'conditional', 'closed', 'yearly', '库表', [ID, NAME, s('university', '录取院校')]],
    ['B', '民办学校办学许可信息', '民办学校办学许可证', 'unconditional', 'open', 'quarterly', 'CSV', [CREDIT, ORG, LICENCE_NO]],
    ['B', '校外培训机构白名单', '经审批的学科类与非学科类校外培训机构', 'unconditional', 'open', 'monthly', 'JSON', [CREDIT, ORG, ADDRESS, s('scope', '培训范围')]],
    ['B', '公共体育场馆信息', '向社会开放的体育场馆与开放时间', 'unconditional', 'open', 'quarterly', 'CSV', [...PLACE('场馆名称'), s('hours', '开放时间')]],
  ],
  'medical-security': [
    ['A', '医保待遇享受信息', '门诊慢特病、住院结算待遇', 'conditional', 'closed', 'daily', '库表', [ID, s('benefit', '待遇类型'), n('amount', '统筹支付金额', 'important')]],
    ['A', '医疗救助信息', '医疗救助对象与救助金额', 'conditional', 'closed', 'monthly', '库表', [ID, NAME, n('amount', '救助金额', 'important')]],
    ['B', '医保药品目录', '基本医疗保险药品目录与支付标准', 'unconditional', 'open', 'yearly', 'XLSX', [s('drug_code', '药品代码'), s('drug_name', '药品名称'), s('category', '甲乙类')]],
    ['B', '医疗服务价格项目', '医疗服务项目价格', 'unconditional', 'open', 'irregular', 'XLSX', [s('item_code', '项目编码'), s('item_name', '项目名称'), n('price', '价格（元）')]],
    ['C', '医保基金监管检查信息', '定点医药机构检查与处理结果', 'unconditional', 'conditional', 'monthly', '库表', [CREDIT, ORG, s('result', '处理结果')]],
  ],
  transport: [
    ['B', '公交实时到站信息', '公交车辆实时位置与预计到站', 'unconditional', 'open', 'realtime', '接口', [s('line', '线路'), s('stop', '站点'), i('eta_seconds', '预计到站秒数')]],
    ['A', '出租汽车驾驶员从业资格信息', '巡游和网约车驾驶员从业资格证', 'unconditional', 'conditional', 'weekly', '库表', [ID, NAME, s('certificate', '资格证号')]],
    ['B', '网约车平台经营许可信息', '网络预约出租汽车经营许可', 'unconditional', 'open', 'monthly', 'CSV', [CREDIT, ORG, LICENCE_NO]],
    ['B', '公路路况信息', '国省干线公路施工、管制与阻断', 'unconditional', 'open', 'realtime', '接口', [s('road', '路线'), s('section', '路段'), s('status', '通行状况')]],
    ['B', '公共停车场信息', '公共停车场位置与泊位数', 'unconditional', 'open', 'monthly', 'CSV', [...PLACE('停车场名称'), i('spaces', '泊位数'), s('fee', '收费标准')]],
    ['C', '营运车辆动态监控信息', '两客一危车辆定位', 'conditional', 'closed', 'realtime', '接口', [s('plate_no', '号牌号码'), LNG, LAT]],
    ['B', '汽车维修企业名录', '机动车维修经营备案', 'unconditional', 'open', 'quarterly', 'CSV', [CREDIT, ORG, ADDRESS, s('category', '维修类别')]],
  ],
  'ecology-environment': [
    ['B', '重点排污单位名录', '重点排污单位名录', 'unconditional', 'open', 'yearly', 'CSV', [CREDIT, ORG, s('category', '类别')]],
    ['B', '地表水水质监测信息', '国控、省控断面水质类别', 'unconditional', 'open', 'monthly', 'JSON', [s('section', '断面'), s('grade', '水质类别')]],
    ['B', '建设项目环评审批信息', '建设项目环境影响评价审批决定', 'unconditional', 'open', 'daily', 'JSON', [s('project', '项目名称'), CREDIT, DECISION_NO, DECIDED_ON]],
    ['B', '行政处罚信息（生态环境）', '生态环境领域行政处罚决定', 'unconditional', 'open', 'daily', 'JSON', [CREDIT, ORG, DECISION_NO, PENALTY, DECIDED_ON]],
    ['C', '在线监控排放数据', '重点排污单位污染物排放在线监测', 'conditional', 'conditional', 'realtime', '接口', [CREDIT, s('pollutant', '污染物'), n('concentration', '排放浓度')]],
    ['B', '声环境质量信息', '城市功能区声环境监测', 'unconditional', 'open', 'quarterly', 'XLSX', [s('site', '点位'), n('db', '等效声级 dB(A)')]],
  ],
  'emergency-management': [
    ['B', '危险化学品经营许可信息', '危险化学品经营许可证', 'unconditional', 'open', 'monthly', 'CSV', [CREDIT, ORG, LICENCE_NO, VALID_UNTIL]],
    ['C', '重大危险源信息', '危险化学品重大危险源登记', 'conditional', 'closed', 'monthly', '库表', [CREDIT, s('hazard', '危险源名称'), s('grade', '等级', 'important')]],
    ['B', '应急物资储备库信息', '应急物资储备库位置与品类', 'unconditional', 'conditional', 'quarterly', '库表', [...PLACE('储备库名称'), s('items', '储备品类')]],
    ['C', '自然灾害灾情信息', '灾情统计与受灾人口', 'conditional', 'closed', 'realtime', '接口', [DIVISION, s('disaster', '灾种'), i('affected', '受灾人口')]],
    ['B', '安全生产行政处罚信息', '安全生产领域行政处罚决定', 'unconditional', 'open', 'daily', 'JSON', [CREDIT, ORG, DECISION_NO, PENALTY]],
  ],
  'urban-management': [
    ['B', '公共厕所信息', '城市公共厕所位置与开放时间', 'unconditional', 'open', 'quarterly', 'CSV', [...PLACE('公厕名称'), s('hours', '开放时间')]],
    ['B', '生活垃圾分类收集点信息', '生活垃圾分类投放点与收运时间', 'unconditional', 'open', 'quarterly', 'CSV', [...PLACE('收集点名称'), s('schedule', '收运时间')]],
    ['C', '城市管理执法案件信息', '城市管理综合执法立案与处理', 'conditional', 'closed', 'daily', '库表', [s('case_no', '案件编号'), s('issue', '违法行为'), s('result', '处理结果')]],
    ['B', '户外广告设置许可信息', '户外广告设施设置许可', 'unconditional', 'open', 'monthly', 'JSON', [CREDIT, ORG, s('location', '设置地点'), VALID_UNTIL]],
    ['B', '城市道路照明设施信息', '路灯设施位置与权属', 'unconditional', 'conditional', 'yearly', 'SHP', [s('component_code', '部件编码'), LNG, LAT]],
  ],
  water: [
    ['B', '取水许可信息', '取水许可证', 'unconditional', 'open', 'monthly', 'CSV', [CREDIT, ORG, LICENCE_NO, n('volume', '许可水量（万立方米）')]],
    ['B', '河湖长制信息', '河长、湖长名单与责任河段', 'unconditional', 'open', 'yearly', 'XLSX', [s('river', '河湖名称'), s('chief', '河长'), s('section', '责任河段')]],
    ['B', '水雨情信息', '主要河道水位与雨量站降雨', 'unconditional', 'open', 'realtime', '接口', [s('station', '测站'), n('level', '水位（米）'), n('rain', '雨量（毫米）')]],
    ['C', '供水户信息', '城镇供水用户及用水量', 'conditional', 'closed', 'monthly', '库表', [s('account', '户号'), ADDRESS, n('usage', '用水量')]],
  ],
  'government-services': [
    ['B', '政务服务网点信息', '政务服务中心、便民服务中心地址与办公时间', 'unconditional', 'open', 'quarterly', 'CSV', [...PLACE('网点名称'), s('hours', '办公时间'), OFFICE_PHONE]],
    ['B', '政务服务好差评信息', '政务服务评价结果统计', 'unconditional', 'open', 'monthly', 'JSON', [s('department', '部门'), i('ratings', '评价数'), n('satisfaction', '满意率')]],
    ['C', '办件信息', '政务服务事项办件过程与结果', 'conditional', 'closed', 'realtime', '接口', [s('case_no', '办件编号'), s('item_code', '事项编码'), ID, s('result', '办理结果')]],
    ['B', '公共资源交易信息', '工程建设、政府采购项目交易结果', 'unconditional', 'open', 'daily', 'JSON', [s('project', '项目名称'), s('winner', '中标单位'), n('amount', '中标金额（万元）')]],
    ['A', '电子印章信息', '政务电子印章制发', 'conditional', 'closed', 'irregular', '库表', [s('seal_code', '印章编码'), ORG]],
  ],
  hotline: [
    ['C', '12345 热线工单信息', '市民来电、网络诉求工单与办理结果', 'conditional', 'closed', 'realtime', '接口', [s('ticket_no', '工单编号'), s('caller_phone', '来电号码', 'important', 'partial'), s('category', '诉求分类'), s('result', '办理结果')]],
    ['B', '12345 热线诉求统计', '按分类、区域、月份的诉求量与满意率', 'unconditional', 'open', 'monthly', 'JSON', [s('month', '月份'), s('category', '诉求分类'), i('count', '诉求量'), n('satisfaction', '满意率')]],
    ['B', '热线知识库', '政策问答与办事指南', 'unconditional', 'open', 'weekly', 'JSON', [s('question', '问题'), s('answer', '答复'), s('department', '来源部门')]],
  ],
  'discipline-inspection': [
    ['C', '问题线索处置信息', '问题线索受理与处置', 'none', 'closed', 'realtime', '库表', [s('clue_no', '线索编号'), s('subject', '反映对象', 'core', 'drop')]],
    ['C', '党纪政务处分信息', '党纪处分与政务处分决定', 'none', 'closed', 'daily', '库表', [ID, NAME, s('sanction', '处分种类', 'core', 'drop')]],
  ],
};

/** Entries each county-level department of a kind registers, named after its county. */
export const COUNTY_TEMPLATES: Record<string, EntryTemplate[]> = {
  'government-services': [['B', '政务服务事项实施清单', '本级政务服务事项实施清单', 'unconditional', 'open', 'monthly', 'JSON', [s('item_code', '事项编码'), s('item_name', '事项名称'), i('time_limit', '承诺时限（工作日）')]],
    ['B', '便民服务中心信息', '乡镇（街道）便民服务中心地址与办公时间', 'unconditional', 'open', 'yearly', 'CSV', [...PLACE('中心名称'), s('hours', '办公时间'), OFFICE_PHONE]]],
  'public-security': [['C', '居住登记信息', '辖区居住登记与居住证申领', 'conditional', 'closed', 'daily', '库表', [ID, NAME, ADDRESS]],
    ['C', '治安案件信息', '辖区治安案件受理与查处', 'none', 'closed', 'daily', '库表', [s('case_no', '案件编号'), s('offence', '案由', 'important'), DECIDED_ON]]],
  'civil-affairs': [['A', '最低生活保障对象名册', '辖区城乡低保对象', 'conditional', 'closed', 'monthly', '库表', [ID, NAME, n('amount', '月保障金额', 'important'), DIVISION]],
    ['B', '养老服务设施信息', '辖区养老院、日间照料中心', 'unconditional', 'open', 'quarterly', 'CSV', [...PLACE('设施名称'), i('beds', '床位数')]]],
  'human-resources': [['A', '城乡居民养老保险参保信息', '辖区城乡居民基本养老保险参保与缴费', 'conditional', 'closed', 'monthly', '库表', [ID, NAME, s('grade', '缴费档次'), s('state', '参保状态')]],
    ['A', '就业困难人员认定信息', '就业困难人员认定与援助', 'conditional', 'closed', 'monthly', '库表', [ID, NAME, s('category', '困难类别', 'important')]]],
  'market-regulation': [['B', '行政许可信息（市场监管）', '辖区市场监管领域行政许可公示', 'unconditional', 'open', 'daily', 'JSON', [CREDIT, ORG, LICENCE_NO, ISSUED_ON, AUTHORITY]],
    ['C', '小作坊登记信息', '食品小作坊登记证', 'unconditional', 'conditional', 'monthly', '库表', [ORG, ADDRESS, LICENCE_NO]]],
  health: [['B', '基层医疗卫生机构名录', '乡镇卫生院、社区卫生服务中心与村卫生室', 'unconditional', 'open', 'quarterly', 'CSV', [...PLACE('机构名称'), OFFICE_PHONE]],
    ['C', '孕产妇健康管理信息', '孕产妇建册与随访', 'conditional', 'closed', 'monthly', '库表', [ID, NAME, d('due_on', '预产期')]]],
  housing: [['A', '农村危房改造信息', '农村危房改造对象与补助', 'conditional', 'conditional', 'quarterly', '库表', [ID, NAME, DIVISION, n('subsidy', '补助金额')]],
    ['B', '住宅小区信息', '辖区住宅小区、物业服务企业与户数', 'unconditional', 'open', 'yearly', 'CSV', [...PLACE('小区名称'), i('households', '户数'), s('property_company', '物业服务企业')]]],
  'urban-management': [['B', '环卫设施信息', '垃圾转运站、公厕位置', 'unconditional', 'open', 'yearly', 'CSV', [...PLACE('设施名称'), s('type', '设施类型')]],
    ['B', '临时占道经营许可信息', '临时占用城市道路经营许可', 'unconditional', 'open', 'weekly', 'JSON', [s('applicant', '申请单位'), s('location', '占用地点'), VALID_UNTIL]]],
  'emergency-management': [['C', '安全生产重点企业信息', '辖区安全生产重点监管企业', 'conditional', 'conditional', 'quarterly', '库表', [CREDIT, ORG, s('industry', '行业'), s('risk', '风险等级', 'important')]]],
  transport: [['B', '农村客运班线信息', '农村客运班线、站点与班次', 'unconditional', 'open', 'quarterly', 'CSV', [s('line', '班线'), s('stops', '途经站点'), i('trips', '日班次')]]],
  water: [['B', '农村集中供水工程信息', '农村集中供水工程及受益人口', 'unconditional', 'conditional', 'yearly', '库表', [s('project', '工程名称'), DIVISION, i('served', '受益人口')]],
    ['B', '小型水库信息', '小型水库位置、库容与安全责任人', 'unconditional', 'open', 'yearly', 'XLSX', [...PLACE('水库名称'), n('capacity', '总库容（万立方米）'), s('keeper', '巡查责任人')]]],
  'ecology-environment': [['B', '环境信访投诉办理信息', '生态环境信访投诉受理与办理', 'unconditional', 'conditional', 'monthly', '库表', [s('case_no', '编号'), s('issue', '反映问题'), s('result', '办理结果')]]],
  'natural-resources': [['A', '农村宅基地审批信息', '农村宅基地用地审批', 'conditional', 'closed', 'monthly', '库表', [ID, NAME, DIVISION, n('area', '批准面积（平方米）')]]],
  education: [['B', '义务教育招生入学信息', '辖区义务教育学校招生计划与划片', 'unconditional', 'open', 'yearly', 'JSON', [s('school', '学校名称'), i('places', '招生计划'), s('catchment', '划片范围')]],
    ['A', '教师信息', '辖区中小学、幼儿园教职工', 'conditional', 'closed', 'yearly', '库表', [ID, NAME, s('school', '任教学校'), s('subject', '任教学科')]]],
  'medical-security': [['A', '城乡居民医保参保缴费信息', '辖区城乡居民基本医疗保险参保缴费', 'conditional', 'closed', 'monthly', '库表', [ID, NAME, s('year', '缴费年度'), s('state', '缴费状态')]]],
  'administrative-approval': [['B', '行政许可信息（审批局）', '相对集中行政许可事项办理结果公示', 'unconditional', 'open', 'daily', 'JSON', [CREDIT, ORG, s('item', '许可事项'), DECISION_NO, DECIDED_ON]],
    ['C', '投资项目审批信息', '企业投资项目核准与备案', 'unconditional', 'conditional', 'daily', '库表', [s('project_code', '项目代码'), s('project', '项目名称'), CREDIT, n('investment', '总投资（万元）')]]],
};

/** The subject (项, themes.ts) of each department kind's entries. */
export const ITEM_OF_KIND: Record<string, string> = {
  'public-security': '01', 'market-regulation': '02', 'civil-affairs': '03', 'human-resources': '04', health: '05', housing: '06',
  'natural-resources': '07', education: '08', 'medical-security': '09', transport: '10', 'ecology-environment': '11',
  'emergency-management': '12', 'urban-management': '13', water: '14', 'government-services': '15', hotline: '16',
  'administrative-approval': '17', 'discipline-inspection': '18',
};
