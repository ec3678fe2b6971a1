/**
 * The rule library a new installation starts with (规则库): each rule over acts the platform's modules put on the
 * ledger, with its rationale and legal basis. Inspectors edit them as new versions and add their own.
 */
import type { RuleDefinition } from './rules.ts';

export interface LibraryRule {
  code: string;
  nameZh: string;
  nameEn: string;
  rationale: string;
  legalBasis: string;
  severity: 'red' | 'yellow';
  scope: string;
  definition: RuleDefinition;
}

const minute = 60;
const hour = 3_600;
const day = 86_400;
const personalReads = ['hotline.caller.viewed', 'services.application.viewed', 'hub.call.answered', 'penalties.case.viewed'];
const pipl = '《个人信息保护法》第六条、第三十四条';
/** Acts that decide or handle an object of a division: 受理, 不予受理, 决定, and a ticket's 签收, 答复, 办结 (a 退单 of a ticket not one's own is right). */
const decisions = ['services.application.accepted', 'services.application.rejected', 'services.application.approved', 'services.application.refused',
  'hotline.ticket.accepted', 'hotline.ticket.replied', 'hotline.ticket.closed', 'penalties.case.decided'];

export const ruleLibrary: readonly LibraryRule[] = [
  {
    code: 'read-without-purpose', nameZh: '无目的调用个人数据', nameEn: 'Personal data read without a purpose', severity: 'red', scope: '数据共享调用',
    rationale: '调用个人数据须说明目的并关联办件；没有目的的调用无法说明其必要性。', legalBasis: pipl,
    definition: { kind: 'match', when: { actions: ['hub.call.answered'], purpose: 'missing' } },
  },
  {
    code: 'purpose-mismatch', nameZh: '调用目的与授权目的不符', nameEn: 'Personal data read for another purpose than granted', severity: 'red', scope: '数据共享调用',
    rationale: '共享授权只为审批时所述的目的；调用时声明的目的与授权目的不同，即超出授权使用个人数据。', legalBasis: pipl,
    definition: { kind: 'match', when: { actions: ['hub.call.answered', 'hub.ask.answered'], purpose: { differsFrom: 'grantPurpose' } } },
  },
  {
    code: 'bulk-reads', nameZh: '短时间内查看大量个人信息', nameEn: 'Many people\'s records read in a short time', severity: 'red', scope: '热线、办件、数据共享',
    rationale: '一名工作人员十分钟内查看二十人以上的信息，远超正常办件所需，可能为批量窥探或倒卖。', legalBasis: pipl,
    definition: { kind: 'count', when: { actions: personalReads, actorKinds: ['staff'] }, per: 'actor', distinct: 'object', within: 10 * minute, atLeast: 20 },
  },
  {
    code: 'after-hours-reads', nameZh: '非工作时间批量查看个人信息', nameEn: 'Bulk reads of personal data after hours', severity: 'yellow', scope: '热线、办件、数据共享',
    rationale: '下班时间或周末一小时内查看十人以上的信息，缺少办件需要。', legalBasis: pipl,
    definition: { kind: 'count', when: { actions: personalReads, actorKinds: ['staff'], afterHours: true }, per: 'actor', distinct: 'object', within: hour, atLeast: 10 },
  },
  {
    code: 'accept-and-approve', nameZh: '受理与审批为同一人', nameEn: 'The same person accepts and approves', severity: 'red', scope: '政务服务办件',
    rationale: '受审分离：受理人不得审批同一办件。', legalBasis: '《行政许可法》第三十四条；《优化营商环境条例》第四十条',
    definition: { kind: 'same-actor', first: { actions: ['services.application.accepted'] }, then: { actions: ['services.application.approved', 'services.application.refused'] }, within: 60 * day },
  },
  {
    code: 'request-and-approve', nameZh: '共享申请自批', nameEn: 'A sharing request approved by its requester', severity: 'red', scope: '数据共享',
    rationale: '提出数据共享申请的人不得审批该申请。', legalBasis: '《政务信息资源共享管理暂行办法》第十四条',
    definition: { kind: 'same-actor', first: { actions: ['hub.request.submitted'] }, then: { actions: ['hub.request.approved'] }, within: 60 * day },
  },
  {
    code: 'reply-and-callback', nameZh: '答复与回访为同一人', nameEn: 'The same person replies and calls back', severity: 'yellow', scope: '12345热线',
    rationale: '回访用于核实答复，答复人自行回访失去核实意义。', legalBasis: '《国务院办公厅关于进一步优化地方政务服务便民热线的指导意见》',
    definition: { kind: 'same-actor', first: { actions: ['hotline.ticket.replied'] }, then: { actions: ['hotline.ticket.called-back'] }, within: 30 * day },
  },
  {
    code: 'outside-jurisdiction', nameZh: '超出辖区办理', nameEn: 'Decided or handled outside one\'s jurisdiction', severity: 'red', scope: '政务服务办件、12345热线',
    rationale: '办件的受理、决定或工单的答复、办结由辖区不含该事项所在区划的工作人员作出，超出其职权范围。', legalBasis: '《行政许可法》第二十二条；《国务院办公厅关于进一步优化地方政务服务便民热线的指导意见》',
    definition: { kind: 'match', when: { actions: decisions, actorKinds: ['staff'], jurisdiction: 'outside' } },
  },
  {
    code: 'approval-time-outlier', nameZh: '审批用时异常', nameEn: 'Approval time far from its peers', severity: 'yellow', scope: '政务服务办件',
    rationale: '审批用时与同类办件的分布相差甚远（稳健Z值，中位数与MAD），过快可能未经审查，过慢可能刁难。', legalBasis: '《优化营商环境条例》第三十九条',
    definition: { kind: 'outlier', first: { actions: ['services.application.submitted'] }, then: { actions: ['services.application.approved'] }, within: 60 * day, peerBy: 'action', z: 5, minPeers: 30 },
  },
  {
    code: 'amount-outlier', nameZh: '给付或收费金额异常', nameEn: 'An amount far from its item\'s peers', severity: 'red', scope: '政务服务办件',
    rationale: '同一事项准予决定的给付（救助金、津贴、补贴）或收费金额与近九十天同事项其他决定的分布相差甚远（稳健Z值，中位数与MAD，不少于二十件同类决定才比较），可能为虚报冒领、优亲厚友或乱收费。',
    legalBasis: '《社会救助暂行办法》第六十六条、第六十八条；《行政事业性收费标准管理办法》（发改价格规〔2018〕988号）',
    definition: { kind: 'outlier', when: { actions: ['services.application.approved'] }, value: 'amount', per: 'item', within: 90 * day, z: 3.5, minPeers: 20 },
  },
  {
    code: 'fine-outlier', nameZh: '罚款金额异常', nameEn: 'A fine far from its peers', severity: 'red', scope: '行政处罚',
    rationale: '同一处罚事项、同一裁量档次的罚款与近九十天其他决定的分布相差甚远（稳健Z值，中位数与MAD，不少于二十件同档决定才比较），可能为人情罚款、选择性执法或以罚代管。',
    legalBasis: '《行政处罚法》第五条、第三十四条；《国务院办公厅关于进一步规范行政裁量权基准制定和管理工作的意见》（国办发〔2022〕27号）',
    definition: { kind: 'outlier', when: { actions: ['penalties.case.decided'] }, value: 'amount', per: 'itemLevel', within: 90 * day, z: 3.5, minPeers: 20 },
  },
  {
    code: 'fine-beyond-discretion', nameZh: '罚款偏离裁量基准', nameEn: 'A fine outside its band of the discretion standard', severity: 'yellow', scope: '行政处罚',
    rationale: '罚款金额超出所选裁量档次的幅度。偏离基准须说明理由；核查理由是否成立。',
    legalBasis: '《行政处罚法》第三十四条；《国务院办公厅关于进一步规范行政裁量权基准制定和管理工作的意见》（国办发〔2022〕27号）',
    definition: { kind: 'match', when: { actions: ['penalties.case.decided'], facts: [{ name: 'beyondBand', in: [true] }] } },
  },
  {
    code: 'decided-late', nameZh: '超过承诺时限许久才办结', nameEn: 'Decided long after the committed time', severity: 'yellow', scope: '政务服务办件',
    rationale: '提交后三十五天以上才作出决定，已超出法定二十个工作日的时限。', legalBasis: '《行政许可法》第四十二条',
    definition: { kind: 'gap', first: { actions: ['services.application.submitted'] }, then: { actions: ['services.application.approved', 'services.application.refused'] }, within: 90 * day, from: 35 * day, to: 90 * day },
  },
  {
    code: 'repeated-corrections', nameZh: '反复要求补正', nameEn: 'Corrections requested again and again', severity: 'yellow', scope: '政务服务办件',
    rationale: '一次性告知：同一办件被要求补正三次以上。', legalBasis: '《行政许可法》第三十二条',
    definition: { kind: 'count', when: { actions: ['services.application.correction-requested'] }, per: 'object', within: 60 * day, atLeast: 3 },
  },
  {
    code: 'often-rejected-items', nameZh: '办件常被驳回的事项', nameEn: 'An item whose applications are often turned down', severity: 'yellow', scope: '政务服务事项',
    rationale: '三十天内同一事项十件以上办结中半数以上不予受理或不予许可，可能是申请条件与材料公示不清，或窗口应收不收。', legalBasis: '《行政许可法》第三十条、第三十二条',
    definition: {
      kind: 'share', of: { actions: ['services.application.approved'] }, when: { actions: ['services.application.rejected', 'services.application.refused'] },
      per: 'item', within: 30 * day, atLeast: 0.5, minCount: 10,
    },
  },
  {
    code: 'repeated-returns', nameZh: '工单反复退单', nameEn: 'A ticket returned again and again', severity: 'yellow', scope: '12345热线',
    rationale: '同一工单三十天内退单三次以上，存在推诿。', legalBasis: '《12345政务服务便民热线服务规范》',
    definition: { kind: 'count', when: { actions: ['hotline.ticket.returned'] }, per: 'object', within: 30 * day, atLeast: 3 },
  },
  {
    code: 'closed-without-reply', nameZh: '未答复即办结', nameEn: 'Closed without a reply', severity: 'red', scope: '12345热线',
    rationale: '工单办结前应有承办单位的答复。', legalBasis: '《12345政务服务便民热线服务规范》',
    definition: { kind: 'absent', order: 'before', first: { actions: ['hotline.ticket.replied'] }, then: { actions: ['hotline.ticket.closed'], actorKinds: ['staff'] }, within: 30 * day },
  },
  {
    code: 'callback-skipped', nameZh: '答复后未回访', nameEn: 'No callback after the reply', severity: 'yellow', scope: '12345热线',
    rationale: '答复后五天内应回访诉求人核实满意度。', legalBasis: '《12345政务服务便民热线服务规范》',
    definition: { kind: 'absent', order: 'after', first: { actions: ['hotline.ticket.replied'] }, then: { actions: ['hotline.ticket.called-back', 'hotline.ticket.reopened'] }, within: 5 * day },
  },
  {
    code: 'satisfaction-contradicts-note', nameZh: '回访满意度与回访记录矛盾', nameEn: 'Callback satisfaction contradicts the caller\'s words',
    severity: 'yellow', scope: '12345热线',
    rationale: '回访记为满意或基本满意，回访记录中诉求人却说问题未解决或表示不满，可能虚报满意度以抬高考核指标。',
    legalBasis: '《12345政务服务便民热线服务规范》；《国务院办公厅关于进一步优化地方政务服务便民热线的指导意见》（国办发〔2020〕53号）',
    definition: { kind: 'match', when: { actions: ['hotline.ticket.called-back'], actorKinds: ['staff'],
      facts: [{ name: 'satisfaction', in: ['satisfied', 'basically-satisfied'] }, { name: 'noteTone', in: ['negative'] }] } },
  },
  {
    code: 'bad-rating-unrectified', nameZh: '差评核实后未整改', nameEn: 'Bad rating verified but not rectified', severity: 'yellow', scope: '好差评',
    rationale: '差评核实后十天内应完成整改。', legalBasis: '《国务院办公厅关于建立政务服务“好差评”制度提高政务服务水平的意见》',
    definition: { kind: 'absent', order: 'after', first: { actions: ['services.rectification.verified'] }, then: { actions: ['services.rectification.rectified'] }, within: 10 * day },
  },
  {
    code: 'admin-login-after-hours', nameZh: '非工作时间管理员登录', nameEn: 'Administrator login after hours', severity: 'yellow', scope: '账号与权限',
    rationale: '管理员账号在夜间或周末登录，与日常模式不符。', legalBasis: '《网络安全法》第二十一条；GB/T 22239 访问控制',
    definition: { kind: 'match', when: { actions: ['auth.login.admin'], afterHours: true } },
  },
  {
    code: 'permission-burst', nameZh: '短时间内大量变更权限', nameEn: 'Many permission changes in a short time', severity: 'red', scope: '账号与权限',
    rationale: '一小时内变更五个以上账号的角色或部门，与日常模式不符。', legalBasis: '《网络安全法》第二十一条；GB/T 22239 访问控制',
    definition: { kind: 'count', when: { actions: ['auth.permissions.changed'], actorKinds: ['staff'] }, per: 'actor', distinct: 'object', within: hour, atLeast: 5 },
  },
  {
    code: 'inspector-dismissals', nameZh: '监督员大量驳回预警', nameEn: 'An inspector dismissing many alerts', severity: 'yellow', scope: '监督员',
    rationale: '监督者也受监督：一天内驳回十条以上预警。', legalBasis: '《中国共产党纪律检查机关监督执纪工作规则》',
    definition: { kind: 'count', when: { actions: ['oversight.alert.dismissed'], actorKinds: ['staff'] }, per: 'actor', within: day, atLeast: 10 },
  },
  {
    code: 'inspector-reads', nameZh: '监督员大量查看预警与廉政档案', nameEn: 'An inspector reading many alerts or integrity files', severity: 'yellow', scope: '监督员',
    rationale: '监督者也受监督：一小时内查看三十条以上预警或廉政档案。', legalBasis: '《中国共产党纪律检查机关监督执纪工作规则》',
    definition: { kind: 'count', when: { actions: ['oversight.alert.viewed', 'oversight.integrity.viewed'], actorKinds: ['staff'] }, per: 'actor', distinct: 'object', within: hour, atLeast: 30 },
  },
];
