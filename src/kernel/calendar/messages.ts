/** Titles of the calendar's problem codes, and labels of its ledger actions, in each UI language. */
export const calendarMessages = {
  'calendar.invalid-date': { zh: '日期格式不正确（应为 YYYY-MM-DD）', en: 'Invalid date (expected YYYY-MM-DD)' },
  'calendar.name-required': { zh: '请填写名称，如“春节”或“调休上班”', en: 'A name is required, e.g. 春节 or 调休上班' },
  'calendar.invalid-year': { zh: '年份不正确', en: 'Invalid year' },
  'calendar.papers-required': { zh: '请提供国务院办公厅通知的链接', en: 'Link the State Council notice' },
  'calendar-day.not-found': { zh: '该日期没有特殊安排', en: 'No special arrangement on this day' },
};

export const calendarLedgerActions = {
  'calendar.day.set': { zh: '设置节假日或调休日', en: 'Holiday or make-up working day set' },
  'calendar.day.removed': { zh: '删除节假日或调休日', en: 'Holiday or make-up working day removed' },
  'calendar.year.published': { zh: '确认年度节假日安排', en: 'Holiday arrangement of a year confirmed' },
  'calendar.year.imported': { zh: '导入国务院年度节假日安排', en: 'Official holiday arrangement imported' },
};
