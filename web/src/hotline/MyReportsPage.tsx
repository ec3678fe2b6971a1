import { Button, Card, Collapse, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { navigate } from '../router';
import { useLoad } from '../useLoad';
import { formatTime } from './model';
import { StateTag } from './parts';
import { PublicTicketDetails } from './StatusPage';

/** 我的诉求: the reports a logged-in citizen filed, each with how far it has got. */
export default function MyReportsPage() {
  const { t } = useTranslation();
  const mine = useLoad(() => api('GET', '/hotline/my/tickets'), []);
  return (
    <Card title={t('menu.hotline-mine')} loading={mine.loading && !mine.data}
      extra={<Button type="primary" onClick={() => navigate('/report')}>{t('hotline.report.new')}</Button>}>
      {mine.data?.items.length === 0 && <Typography.Text type="secondary">{t('hotline.report.none')}</Typography.Text>}
      <Collapse data-testid="my-reports" items={mine.data?.items.map((x) => ({
        key: x.number,
        label: <Space wrap>{x.number}<StateTag state={x.state} /><Typography.Text type="secondary">{formatTime(x.receivedAt)}</Typography.Text></Space>,
        children: <PublicTicketDetails ticket={x} />,
      }))} />
    </Card>
  );
}
