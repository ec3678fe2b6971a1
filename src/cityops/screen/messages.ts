/** Titles of the screen's and the orders' refusals and names of their ledger actions, in zh-CN and English. */
export const screenMessages = {
  'cityops.order.one-subject': { zh: '调度指令应针对一个案件或一条感知报警', en: 'An order is about one case or one sensor alarm' },
  'cityops.order.unknown-alarm': { zh: '感知报警不存在', en: 'Sensor alarm not found' },
  'cityops.order.no-instruction': { zh: '请填写指令内容', en: 'Say what is to be done' },
  'cityops.order.bad-limit': { zh: '签收时限应为 1 到 1440 分钟', en: 'The acknowledgement limit is 1 to 1440 minutes' },
  'cityops.order.unknown-department': { zh: '部门不存在', en: 'Unknown department' },
  'cityops.order.own-centre': { zh: '指挥中心不能向本中心下达指令', en: 'The command centre orders another department' },
  'cityops.order.not-found': { zh: '调度指令不存在', en: 'Order not found' },
  'cityops.order.own-order': { zh: '不能签收本人下达的指令', en: 'Nobody acknowledges an order they issued' },
  'cityops.order.not-addressee': { zh: '该指令不是下达给本部门的', en: 'The order is addressed to another department' },
  'cityops.order.acknowledged': { zh: '指令已签收', en: 'The order is acknowledged already' },
} as const;

export const screenLedgerActions = {
  'cityops.order.issued': { zh: '一键调度下达指令', en: 'Order issued' },
  'cityops.order.acknowledged': { zh: '签收调度指令', en: 'Order acknowledged' },
  'cityops.order.escalated': { zh: '调度指令超时升级', en: 'Order escalated (not acknowledged in time)' },
};
