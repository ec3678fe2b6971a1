import type { TFunction } from 'i18next';

/** A time in China time, short, in the UI language. */
export const chinaTime = (iso: string, language: string) =>
  new Intl.DateTimeFormat(language, { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));

/** 倒计时: what is left until a due time ("3 天 4 小时"), or how long it is overdue. */
export function countdown(dueIso: string, t: TFunction, now = Date.now()): { text: string; overdue: boolean } {
  const left = new Date(dueIso).getTime() - now;
  const hours = Math.floor(Math.abs(left) / 3_600_000);
  const span = t('hubx.span', { days: Math.floor(hours / 24), hours: hours % 24 });
  return left >= 0 ? { text: t('hubx.left', { span }), overdue: false } : { text: t('hubx.overdueBy', { span }), overdue: true };
}

export const maskings = ['none', 'partial', 'hash', 'drop'] as const;
