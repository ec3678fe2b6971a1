// How amounts and times read on every page.

/** An amount the API gives in 分, shown in 元: whole 元 without decimals (¥8,000), otherwise to the 分 (¥1,280.50). */
export const yuan = (fen: number | null, language: string) => (fen === null ? '—'
  : new Intl.NumberFormat(language, { style: 'currency', currency: 'CNY', minimumFractionDigits: fen % 100 === 0 ? 0 : 2 }).format(fen / 100));

/** A date and time in China time, as staff and citizens read deadlines. */
export const chinaTime = (iso: string | null, language: string) =>
  iso ? new Intl.DateTimeFormat(language, { timeZone: 'Asia/Shanghai', dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)) : '—';
