/** Titles of the module's refusals and names of its ledger actions, in zh-CN and English. */
export const penaltiesMessages = {
  'penalties.case.not-found': { zh: '案件不存在', en: 'Case not found' },
  'penalties.case.bad-state': { zh: '案件当前状态不允许此操作', en: 'The case\'s state does not allow this' },
  'penalties.item.unknown': { zh: '不是本部门实施的处罚事项', en: 'Not an item this department enforces' },
  'penalties.item.bad-band': { zh: '裁量档次须在法定幅度内，从低到高，且不与前一档重叠', en: 'A band lies within the legal range, low to high, not overlapping the one before' },
  'penalties.amount-outside-law': { zh: '罚款金额超出法定幅度', en: 'The fine is outside the range the law allows' },
  'penalties.not-own-department': { zh: '这是其他部门的案件', en: 'This case belongs to another department' },
  'penalties.no-department': { zh: '仅部门工作人员可以立案', en: 'Only a department\'s staff file cases' },
  'penalties.not-investigator': { zh: '仅承办人可以提出拟处罚意见', en: 'Only the case\'s investigator proposes the penalty' },
  'penalties.item.not-yours': { zh: '仅市级该类执法部门的管理员或平台管理员可以设置该事项', en: 'Only an admin of a city-wide department of this kind, or the platform, sets this item' },
  'penalties.own-investigation': { zh: '办案人员不能审核本人承办的案件', en: 'The investigator does not review their own case' },
  'penalties.own-check': { zh: '承办或审核该案件的人员不能作出决定', en: 'Whoever investigated or reviewed the case does not decide it' },
};

export const penaltiesLedgerActions = {
  'penalties.item.saved': { zh: '设置处罚事项及裁量基准', en: 'Penalty item and discretion standard set' },
  'penalties.case.filed': { zh: '行政处罚立案', en: 'Penalty case filed' },
  'penalties.case.proposed': { zh: '拟处罚', en: 'Penalty proposed' },
  'penalties.case.reviewed': { zh: '法制审核通过', en: 'Legal review passed' },
  'penalties.case.returned': { zh: '退回承办人', en: 'Sent back to the investigator' },
  'penalties.case.decided': { zh: '作出行政处罚决定', en: 'Penalty decided' },
  'penalties.case.viewed': { zh: '查看当事人信息', en: 'Party details viewed' },
};
