import { Button, Card, List, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { navigate } from '../router';
import { useLoad } from '../useLoad';
import { categoryLabel, type TicketState, formatTime } from './model';
import { StateTag } from './parts';
import { statusLink } from './ReportPage';

interface MyTicket {
  number: string;
  state: TicketState;
  description: string;
  category: { path: string[] } | null;
  receivedAt: string;
  statusToken: string;
}

/** 我的诉求: the reports a logged-in citizen filed, each with its status. */
export default function MyReportsPage() {
  const { t } = useTranslation();
  const mine = useLoad(() => api<{ items: MyTicket[] }>('GET', '/hotline/my/tickets'), []);
  return (
    <Card title={t('menu.hotline-mine')} extra={<Button type="primary" onClick={() => navigate('/report')}>{t('hotline.report.new')}</Button>}>
      <List loading={mine.loading} dataSource={mine.data?.items} locale={{ emptyText: t('hotline.report.none') }} data-testid="my-reports"
        renderItem={(x) => (
          <List.Item actions={[<a key="status" onClick={() => navigate(statusLink(x.number, x.statusToken))}>{t('hotline.report.viewStatus')}</a>]}>
            <List.Item.Meta title={<Space wrap>{x.number}<StateTag state={x.state} /></Space>}
              description={<>
                <div>{x.category ? categoryLabel(x.category.path) : ''} · {formatTime(x.receivedAt)}</div>
                <Typography.Text ellipsis>{x.description}</Typography.Text>
              </>} />
          </List.Item>)} />
    </Card>
  );
}
