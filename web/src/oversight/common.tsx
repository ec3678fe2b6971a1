import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

/** Time as people in the city read it. */
export const chinaTime = (value: string | Date) =>
  new Date(value).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

export function SeverityTag({ severity }: { severity: string }) {
  const { t } = useTranslation();
  return <Tag color={severity === 'red' ? 'red' : 'gold'}>{t(`oversight.severity.${severity}`)}</Tag>;
}

const stateColors: Record<string, string> = { open: 'blue', confirmed: 'orange', dismissed: 'default', case: 'purple', closed: 'green' };

export function StateTag({ state }: { state: string }) {
  const { t } = useTranslation();
  return <Tag color={stateColors[state]}>{t(`oversight.state.${state}`)}</Tag>;
}

/** A rule's name in the interface language. */
export const ruleName = (rule: { nameZh: string; nameEn: string }, language: string) => (language === 'en' ? rule.nameEn : rule.nameZh);
