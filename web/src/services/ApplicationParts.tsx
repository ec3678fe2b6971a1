import { Card, Descriptions, Flex, Image, Tag, Timeline, Typography } from 'antd';
import { FilePdfOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { chinaTime, yuan } from '../format';
import { Deadline, StateTag } from './common';
import type { Application } from './types';

/** Receipt number, state and the three clocks: statutory, committed and actual working days. */
export function ClockCard({ app }: { app: Application }) {
  const { t, i18n } = useTranslation();
  const { clock } = app;
  return (
    <Card size="small">
      <Descriptions column={{ xs: 1, md: 2 }} size="small">
        <Descriptions.Item label={t('services.app.item')}>{app.item.name}</Descriptions.Item>
        <Descriptions.Item label={t('services.app.state')}>
          <Flex wrap gap={4}><StateTag state={app.state} />{app.currentStep && <Tag>{t('services.app.currentStep')}: {app.currentStep.label}</Tag>}</Flex>
        </Descriptions.Item>
        <Descriptions.Item label={t('services.app.receipt')}><span className="mono">{app.receiptNumber ?? '—'}</span></Descriptions.Item>
        <Descriptions.Item label={t('services.app.applicant')}>{app.applicant.name}</Descriptions.Item>
        <Descriptions.Item label={t('services.app.department')}>{app.department.name}</Descriptions.Item>
        <Descriptions.Item label={t('services.app.submittedAt')}>{chinaTime(clock.submittedAt, i18n.language)}</Descriptions.Item>
        <Descriptions.Item label={`${t('services.app.committedDue')} (${t('services.item.days', { count: clock.committedDays })})`}>
          <Deadline due={clock.committedDue} paused={clock.paused} overdue={clock.overdue} />
        </Descriptions.Item>
        <Descriptions.Item label={`${t('services.app.statutoryDue')} (${t('services.item.days', { count: clock.statutoryDays })})`}>
          <Deadline due={clock.statutoryDue} paused={clock.paused} overdue={false} />
        </Descriptions.Item>
        {clock.elapsedDays !== null && (
          <Descriptions.Item label={t('services.app.time')}>
            {clock.actualDays !== null ? t('services.app.actual', { count: clock.actualDays }) : t('services.app.elapsed', { count: clock.elapsedDays })}
          </Descriptions.Item>
        )}
        {app.reason && <Descriptions.Item label={t('services.app.reason')}>{app.reason}</Descriptions.Item>}
        {app.amount !== null && app.item.amountKind && (
          <Descriptions.Item label={t(`services.amount.${app.item.amountKind}`)}>
            {yuan(app.amount, i18n.language)}
          </Descriptions.Item>
        )}
      </Descriptions>
      {app.state === 'correction' && app.correctionNote && (
        <Typography.Paragraph type="warning" style={{ marginBottom: 0 }}>{t('services.app.correctionNote')}：{app.correctionNote}</Typography.Paragraph>
      )}
    </Card>
  );
}

/** Every step so far, newest last. */
export function HistoryCard({ app, extra }: { app: Application; extra?: (step: Application['history'][number]) => React.ReactNode }) {
  const { t, i18n } = useTranslation();
  return (
    <Card size="small" title={t('services.app.history')}>
      <Timeline items={app.history.map((h) => ({
        key: h.id,
        content: (
          <div>
            <Flex wrap gap={6} align="center"><StateTag state={h.toState} /><span>{h.actorName}</span>
              <Typography.Text type="secondary">{chinaTime(h.at, i18n.language)}</Typography.Text></Flex>
            {h.note && <div>{h.note}</div>}
            {extra?.(h)}
          </div>
        ),
      }))} />
    </Card>
  );
}

/**
 * An uploaded material as a link that opens it (the server proves its type, shows PDFs and images inline and
 * logs the look); images also as a thumbnail that enlarges.
 */
export function MaterialLink({ app, file }: { app: Pick<Application, 'id'>; file: Application['materials'][number] }) {
  const { t } = useTranslation();
  const url = `/api/v1/services/applications/${app.id}/materials/${encodeURIComponent(file.material)}`;
  return (
    <Flex wrap gap={8} align="center">
      {file.contentType.startsWith('image/') && <Image src={url} width={64} height={64} style={{ objectFit: 'cover' }} alt={file.fileName} />}
      <Typography.Link href={url} target="_blank" rel="noopener" aria-label={t('services.app.openMaterial', { name: file.fileName })}>
        {file.contentType === 'application/pdf' && <FilePdfOutlined />} {file.fileName}
      </Typography.Link>
      <Typography.Text type="secondary">{Math.max(1, Math.round(file.size / 1024))} KB</Typography.Text>
    </Flex>
  );
}
