import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { chinaTime } from '../format';

export const lifeEvents = ['birth', 'school', 'employment', 'business', 'retirement', 'marriage', 'residence', 'housing', 'transport', 'health', 'social-aid'];
export const ratingLevels = ['very-satisfied', 'satisfied', 'basically-satisfied', 'dissatisfied', 'very-dissatisfied'];

const stateColor: Record<string, string> = {
  draft: 'default', submitted: 'blue', accepted: 'processing', correction: 'warning', approved: 'green', refused: 'red', rejected: 'red', finished: 'success',
};

export function StateTag({ state }: { state: string }) {
  const { t } = useTranslation();
  return <Tag color={stateColor[state]}>{t(`services.states.${state}`)}</Tag>;
}

export const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

/** The deadline with its state: paused while waiting for corrections, red when overdue. */
export function Deadline({ due, paused, overdue }: { due: string | null; paused: boolean; overdue: boolean }) {
  const { t, i18n } = useTranslation();
  if (paused) return <Tag color="warning">{t('services.app.paused')}</Tag>;
  return (
    <span>
      {chinaTime(due, i18n.language)}
      {overdue && <Tag color="error" style={{ marginInlineStart: 6 }}>{t('services.app.overdue')}</Tag>}
    </span>
  );
}
