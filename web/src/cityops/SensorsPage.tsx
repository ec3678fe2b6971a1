import { useState } from 'react';
import { Card, Flex, Select, Table, Tabs, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, query, type ApiItem } from '../api';
import { useLoad } from '../useLoad';
import { time } from './cases';

type Device = ApiItem<'/cityops/sensors/devices'>;
type SensorEvent = ApiItem<'/cityops/sensors/events'>;
const PAGE_SIZE = 20;
const connectivityColours = { online: 'green', offline: 'red', never: 'default' } as const;

/**
 * 感知设备: the devices of the jurisdiction with their state, last seen and latest reading, and the events their
 * rules raised and cleared.
 */
export default function SensorsPage() {
  const { t } = useTranslation();
  const [typeCode, setTypeCode] = useState<string>();
  const [connectivity, setConnectivity] = useState<Device['connectivity']>();
  const [eventState, setEventState] = useState<SensorEvent['state']>();
  const [devicePage, setDevicePage] = useState(1);
  const [eventPage, setEventPage] = useState(1);
  const types = useLoad(() => api('GET', '/cityops/sensors/types'), []);
  const devices = useLoad(() => api('GET', `/cityops/sensors/devices${query({ typeCode, connectivity, page: devicePage, pageSize: PAGE_SIZE })}`),
    [typeCode, connectivity, devicePage]);
  const events = useLoad(() => api('GET', `/cityops/sensors/events${query({ typeCode, state: eventState, page: eventPage, pageSize: PAGE_SIZE })}`),
    [typeCode, eventState, eventPage]);
  const typeOf = new Map((types.data?.items ?? []).map((type) => [type.code, type]));
  const typeName = (code: string) => typeOf.get(code)?.nameZh ?? code;

  return (
    <Card title={t('sensors.title')}>
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <Select allowClear placeholder={t('sensors.type')} aria-label={t('sensors.type')} style={{ width: 180 }} value={typeCode}
          options={(types.data?.items ?? []).map((type) => ({ value: type.code, label: type.nameZh }))}
          onChange={(value) => { setTypeCode(value); setDevicePage(1); setEventPage(1); }} />
      </Flex>
      <Tabs items={[
        { key: 'devices', label: t('sensors.devices'), children: (
          <>
            <Select allowClear placeholder={t('sensors.connectivity')} aria-label={t('sensors.connectivity')} style={{ width: 160, marginBottom: 12 }}
              value={connectivity} onChange={(value) => { setConnectivity(value); setDevicePage(1); }}
              options={(['online', 'offline', 'never'] as const).map((c) => ({ value: c, label: t(`sensors.connectivities.${c}`) }))} />
            <Table<Device> rowKey="code" size="small" loading={devices.loading} dataSource={devices.data?.items}
              pagination={{ current: devicePage, pageSize: PAGE_SIZE, total: devices.data?.total, onChange: setDevicePage, showSizeChanger: false,
                showTotal: (total) => t('sensors.deviceTotal', { total }) }}
              columns={[
                { title: t('sensors.code'), dataIndex: 'code' },
                { title: t('sensors.type'), dataIndex: 'typeCode', render: (code: string) => typeName(code) },
                { title: t('sensors.state'), key: 'state', render: (_, d) => (d.enabled
                  ? <Tag color={connectivityColours[d.connectivity]}>{t(`sensors.connectivities.${d.connectivity}`)}</Tag>
                  : <Tag>{t('sensors.disabled')}</Tag>) },
                { title: t('sensors.lastSeen'), dataIndex: 'lastSeenAt', render: time },
                { title: t('sensors.latest'), key: 'latest', render: (_, d) => (d.lastValue === null ? '—' : `${d.lastValue} ${typeOf.get(d.typeCode)?.unit ?? ''}`) },
                { title: t('sensors.component'), dataIndex: 'componentCode', render: (code: string | null) => code ?? '—' },
              ]} />
          </>
        ) },
        { key: 'events', label: t('sensors.events'), children: (
          <>
            <Select allowClear placeholder={t('sensors.eventState')} aria-label={t('sensors.eventState')} style={{ width: 160, marginBottom: 12 }}
              value={eventState} onChange={(value) => { setEventState(value); setEventPage(1); }}
              options={(['raised', 'cleared'] as const).map((s) => ({ value: s, label: t(`sensors.eventStates.${s}`) }))} />
            <Table<SensorEvent> rowKey="id" size="small" loading={events.loading} dataSource={events.data?.items}
              pagination={{ current: eventPage, pageSize: PAGE_SIZE, total: events.data?.total, onChange: setEventPage, showSizeChanger: false,
                showTotal: (total) => t('sensors.eventTotal', { total }) }}
              columns={[
                { title: t('sensors.raisedAt'), dataIndex: 'raisedAt', render: time },
                { title: t('sensors.code'), dataIndex: 'deviceCode' },
                { title: t('sensors.state'), dataIndex: 'state', render: (s: SensorEvent['state']) =>
                  <Tag color={s === 'raised' ? 'red' : 'default'}>{t(`sensors.eventStates.${s}`)}</Tag> },
                { title: t('sensors.description'), dataIndex: 'description' },
                { title: t('sensors.clearedAt'), dataIndex: 'clearedAt', render: time },
                { title: t('sensors.case'), key: 'case', onHeaderCell: () => ({ style: { whiteSpace: 'nowrap' } }), render: (_, e) => (e.caseId !== null ? t('sensors.caseNumber', { id: e.caseId })
                  : e.caseError ? <Tooltip title={e.caseError}><Tag color="red">{t('sensors.caseRefused')}</Tag></Tooltip> : '—') },
              ]} />
          </>
        ) },
      ]} />
    </Card>
  );
}
