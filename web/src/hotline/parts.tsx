// Small pieces every hotline page shows the same way.
import { useEffect, useState } from 'react';
import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { nextDeadline, type Ticket, type TicketState, formatTime } from './model';

const stateColor: Record<TicketState, string> = {
  received: 'blue', dispatched: 'gold', accepted: 'cyan', returned: 'magenta', replied: 'purple', closed: 'green', merged: 'default',
};

export function StateTag({ state }: { state: TicketState }) {
  const { t } = useTranslation();
  return <Tag color={stateColor[state]}>{t(`hotline.state.${state}`)}</Tag>;
}

/** The suggestion (智能分类) from `path` for the text typed so far, asked for once typing pauses. */
export function useSuggestion<T>(path: string, text: string | undefined): T | undefined {
  const [suggestion, setSuggestion] = useState<T>();
  useEffect(() => {
    const trimmed = text?.trim() ?? '';
    if (trimmed.length < 4) { setSuggestion(undefined); return; }
    let current = true;
    const timer = setTimeout(() => {
      api<T>('POST', path, { text: trimmed }).then((s) => { if (current) setSuggestion(s); }, () => undefined); // a hint only
    }, 400);
    return () => { current = false; clearTimeout(timer); };
  }, [path, text]);
  return suggestion;
}

/** The clock, ticking once a minute, for countdowns. */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

const hour = 3_600_000;

/** "3天4小时" / "3d 4h" for a span of time. */
export function useSpan() {
  const { t } = useTranslation();
  return (ms: number) => {
    const hours = Math.floor(Math.abs(ms) / hour);
    const days = Math.floor(hours / 24);
    return days > 0 ? t('hotline.span.days', { days, hours: hours % 24 }) : t('hotline.span.hours', { hours, minutes: Math.floor((Math.abs(ms) % hour) / 60_000) });
  };
}

/**
 * The next deadline as a countdown: green with more than a day left, orange within a day, red when
 * missed (with how long ago).
 */
export function DeadlineTag({ ticket, now }: { ticket: Pick<Ticket, 'state' | 'deadlines'>; now: number }) {
  const { t } = useTranslation();
  const span = useSpan();
  const next = nextDeadline(ticket);
  if (!next) return <span>—</span>;
  const left = new Date(next.due).getTime() - now;
  const color = left < 0 ? 'red' : left < 24 * hour ? 'orange' : 'green';
  const text = left < 0 ? t('hotline.deadline.overdueBy', { span: span(left) }) : t('hotline.deadline.left', { span: span(left) });
  return (
    <Tooltip title={`${t(`hotline.deadline.${next.which}`)} ${formatTime(next.due)}`}>
      <Tag color={color} data-testid="countdown">{t(`hotline.deadline.${next.which}`)} · {text}</Tag>
    </Tooltip>
  );
}
