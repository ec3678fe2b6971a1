/** Titles of 数据铁笼's refusals and names of its ledger actions, in zh-CN and English. */
export const oversightMessages = {
  'oversight.rule.invalid': { zh: '规则无法解析或没有界限，已拒绝', en: 'The rule does not parse or is unbounded; refused' },
  'oversight.rule.not-found': { zh: '规则不存在', en: 'Rule not found' },
  'oversight.rule.code-taken': { zh: '规则编码已被使用', en: 'Rule code already taken' },
  'oversight.rule.untested': { zh: '规则版本须先在历史数据上试运行才能启用', en: 'Dry-run the version on history before activating it' },
  'oversight.alert.not-found': { zh: '预警不存在', en: 'Alert not found' },
  'oversight.alert.about-self': { zh: '不能查看或处理与本人有关的预警', en: 'You cannot see or handle an alert about yourself' },
  'oversight.alert.bad-state': { zh: '预警当前状态不允许此操作', en: 'The alert\'s state does not allow this' },
  'oversight.reason-required': { zh: '请说明理由', en: 'A reason is required' },
  'oversight.deadline-required': { zh: '整改须设定期限', en: 'Rectification needs a deadline' },
  'oversight.case.not-found': { zh: '处置不存在', en: 'Case not found' },
  'oversight.not-concerned': { zh: '只有预警涉及的本人可以说明', en: 'Only the person concerned may answer' },
  'oversight.not-released': { zh: '预警尚未告知本人', en: 'The alert has not been released to the person' },
} as const;

export const oversightLedgerActions = {
  'oversight.rule.created': { zh: '新增预警规则', en: 'Risk rule added' },
  'oversight.rule.versioned': { zh: '修改预警规则（新版本）', en: 'Risk rule edited (new version)' },
  'oversight.rule.tested': { zh: '规则试运行', en: 'Risk rule dry-run on history' },
  'oversight.rule.activated': { zh: '启用预警规则版本', en: 'Risk rule version activated' },
  'oversight.rule.deactivated': { zh: '停用预警规则', en: 'Risk rule switched off' },
  'oversight.backfill.run': { zh: '规则回溯历史', en: 'Rules run over history' },
  'oversight.alert.raised': { zh: '产生风险预警', en: 'Risk alert raised' },
  'oversight.alert.viewed': { zh: '查看风险预警', en: 'Risk alert viewed' },
  'oversight.alert.confirmed': { zh: '预警核查属实', en: 'Alert confirmed' },
  'oversight.alert.dismissed': { zh: '驳回预警', en: 'Alert dismissed' },
  'oversight.alert.released': { zh: '预警告知本人', en: 'Alert released to the person concerned' },
  'oversight.alert.answered': { zh: '本人对预警作出说明', en: 'Person concerned answered the alert' },
  'oversight.case.opened': { zh: '启动处置（谈话、整改或问责）', en: 'Case opened (talk, rectification or referral)' },
  'oversight.case.closed': { zh: '处置办结', en: 'Case closed' },
  'oversight.integrity.viewed': { zh: '查阅廉政档案', en: 'Integrity file viewed' },
  'oversight.demo.loaded': { zh: '载入数据铁笼演示数据', en: 'Oversight demo loaded' },
} as const;
