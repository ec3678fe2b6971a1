import { useState } from 'react';
import {
  Alert, App, Button, Calendar, Card, Col, DatePicker, Flex, Form, Grid, Input, InputNumber, Modal, Popconfirm, Radio, Row, Space, Table, Tag, Typography,
} from 'antd';
import { DeleteOutlined, EditOutlined, LeftOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api, query, type ApiResponse } from '../api';
import { problemText, showProblemOnField } from '../problemFields';
import { useSession } from '../session';
import { useLoad } from '../useLoad';

type CalendarYear = ApiResponse<'/calendar/years/{year}'>;
type CalendarDay = CalendarYear['days'][number];

const chinaTime = (iso: string, language: string) =>
  new Intl.DateTimeFormat(language, { timeZone: 'Asia/Shanghai', dateStyle: 'full', timeStyle: 'short' }).format(new Date(iso));

/** 工作日历: holidays (休) and make-up working days (班) of a year, edited by calendar admins. */
export default function CalendarPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { can } = useSession();
  const mayManage = can('calendar.manage');
  const screens = Grid.useBreakpoint();
  const [month, setMonth] = useState<Dayjs>(() => dayjs());
  const year = month.year();
  const calendar = useLoad(() => api('GET', `/calendar/years/${year}`), [year]);
  const byDate = new Map(calendar.data?.days.map((d) => [d.date, d]));
  const [editing, setEditing] = useState<{ day?: CalendarDay; date?: Dayjs } | null>(null);

  async function remove(day: CalendarDay) {
    try {
      await api('DELETE', `/calendar/days/${day.date}`);
      void message.success(t('calendar.removed', { date: day.date }));
      calendar.reload();
    } catch (error) {
      void message.error(problemText(error));
    }
  }

  const weekday = new Intl.DateTimeFormat(i18n.language, { weekday: 'short' });

  return (
    <Flex vertical gap={16}>
      <Card title={t('calendar.title')}>
        <Space wrap style={{ marginBottom: 8 }}>
          <DatePicker picker="year" allowClear={false} value={month} aria-label={t('calendar.year')}
            onChange={(value) => value && setMonth(month.year(value.year()))} />
          {calendar.data && (calendar.data.published
            ? <Tag color="success">{t('calendar.published')}</Tag>
            : <Tag color="warning">{t('calendar.unpublished')}</Tag>)}
        </Space>
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={15}>
            <Calendar
              value={month}
              onPanelChange={setMonth}
              onSelect={(date, info) => {
                if (info.source === 'date' && mayManage) setEditing({ day: byDate.get(date.format('YYYY-MM-DD')), date });
              }}
              headerRender={({ value, onChange }) => (
                <Flex justify="space-between" align="center" style={{ padding: '8px 0' }}>
                  <Button icon={<LeftOutlined />} aria-label={t('calendar.previousMonth')} onClick={() => onChange(value.subtract(1, 'month'))} />
                  <Typography.Title level={5} style={{ margin: 0 }}>{value.format(i18n.language === 'en' ? 'MMMM YYYY' : 'YYYY年M月')}</Typography.Title>
                  <Button icon={<RightOutlined />} aria-label={t('calendar.nextMonth')} onClick={() => onChange(value.add(1, 'month'))} />
                </Flex>
              )}
              cellRender={(date, info) => {
                if (info.type !== 'date') return info.originNode;
                const day = byDate.get(date.format('YYYY-MM-DD'));
                if (!day) return null;
                return (
                  <div className="calendar-cell" title={day.name}>
                    <Tag color={day.isOffDay ? 'red' : 'default'}>{day.isOffDay ? t('calendar.offMark') : t('calendar.workMark')}</Tag>
                    <span className="calendar-cell-name">{day.name}</span>
                  </div>
                );
              }}
            />
            <Typography.Text type="secondary">{t('calendar.legend')}{mayManage && t('calendar.clickToEdit')}</Typography.Text>
          </Col>
          <Col xs={24} xl={9}>
            <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
              <Typography.Title level={5} style={{ margin: 0 }}>{t('calendar.specialDays', { year })}</Typography.Title>
              {mayManage && <Button icon={<PlusOutlined />} onClick={() => setEditing({})}>{t('calendar.addDay')}</Button>}
            </Flex>
            <Table<CalendarDay>
              rowKey="date"
              size="small"
              loading={calendar.loading}
              dataSource={calendar.data?.days}
              pagination={false}
              // A year has a few dozen special days: all in one list, scrolling beside the calendar on wide screens.
              scroll={{ x: 300, y: screens.xl ? 560 : undefined }}
              onRow={(day) => ({ onClick: () => setMonth(dayjs(day.date)), style: { cursor: 'pointer' } })}
              columns={[
                { title: t('calendar.date'), dataIndex: 'date', width: 96,
                  render: (date: string) => <span style={{ whiteSpace: 'nowrap' }}>{date.slice(5)} {weekday.format(new Date(`${date}T12:00:00`))}</span> },
                { title: t('calendar.kind'), dataIndex: 'isOffDay', width: 56,
                  render: (off: boolean) => <Tag color={off ? 'red' : 'default'} title={off ? t('calendar.offDay') : t('calendar.workDay')}>
                    {off ? t('calendar.offMark') : t('calendar.workMark')}</Tag> },
                { title: t('calendar.name'), dataIndex: 'name',
                  render: (name: string, day) => <>{name}{day.source === 'admin' && <Tag color="blue" style={{ marginInlineStart: 6 }}>{t('calendar.localChange')}</Tag>}</> },
                ...(mayManage ? [{
                  title: t('common.actions'), key: 'actions', width: 90,
                  render: (_: unknown, day: CalendarDay) => (
                    <Space size={0} onClick={(e) => e.stopPropagation()}>
                      <Button type="text" size="small" icon={<EditOutlined />} aria-label={t('common.edit')} onClick={() => setEditing({ day })} />
                      <Popconfirm title={t('calendar.confirmRemove', { date: day.date })} onConfirm={() => void remove(day)}>
                        <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                      </Popconfirm>
                    </Space>
                  ),
                }] : []),
              ]}
            />
          </Col>
        </Row>
      </Card>
      <DeadlineCalculator />
      {editing && (
        <DayForm day={editing.day} date={editing.date} onClose={() => setEditing(null)}
          onSaved={() => { setEditing(null); calendar.reload(); }} />
      )}
    </Flex>
  );
}

function DayForm({ day, date, onClose, onSaved }: { day?: CalendarDay; date?: Dayjs; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ date: Dayjs; isOffDay: boolean; name: string }>();
  const [busy, setBusy] = useState(false);
  const initialDate = day ? dayjs(day.date) : date;
  // A weekday is usually made a day off, a weekend day usually a make-up working day.
  const weekend = initialDate ? [0, 6].includes(initialDate.day()) : false;

  async function save(values: { date: Dayjs; isOffDay: boolean; name: string }) {
    setBusy(true);
    try {
      await api('PUT', `/calendar/days/${values.date.format('YYYY-MM-DD')}`, { isOffDay: values.isOffDay, name: values.name });
      void message.success(t('common.saved'));
      onSaved();
    } catch (error) {
      if (!showProblemOnField(form, error, ['date', 'isOffDay', 'name'])) void message.error(problemText(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal open title={day ? t('calendar.editDay') : t('calendar.addDay')} onCancel={onClose} onOk={() => form.submit()}
      confirmLoading={busy} okText={t('common.save')} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(values) => void save(values)}
        initialValues={{ date: initialDate, isOffDay: day?.isOffDay ?? !weekend, name: day?.name ?? '' }}>
        <Form.Item name="date" label={t('calendar.date')} rules={[{ required: true, message: t('calendar.dateRequired') }]}>
          <DatePicker disabled={!!day} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="isOffDay" label={t('calendar.kind')}>
          <Radio.Group options={[{ value: true, label: t('calendar.offDay') }, { value: false, label: t('calendar.workDay') }]} />
        </Form.Item>
        <Form.Item name="name" label={t('calendar.name')} rules={[{ required: true, whitespace: true, message: t('calendar.nameRequired') }]}>
          <Input maxLength={40} placeholder={t('calendar.namePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Start + N working days → deadline, by the server's calendar (the start day does not count). */
function DeadlineCalculator() {
  const { t, i18n } = useTranslation();
  const [start, setStart] = useState<Dayjs>(() => dayjs());
  const [workingDays, setWorkingDays] = useState<number | null>(5);
  const [result, setResult] = useState<{ deadline: string; provisional: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function compute() {
    if (workingDays === null) return;
    setBusy(true);
    setError(null);
    try {
      setResult(await api('GET', `/calendar/deadline${query({ start: start.toISOString(), workingDays })}`));
    } catch (e) {
      setResult(null);
      setError(problemText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={t('calendar.deadlineTitle')}>
      <Space wrap align="end">
        <div>
          <Typography.Text type="secondary">{t('calendar.start')}</Typography.Text><br />
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" allowClear={false} value={start}
            onChange={(v) => v && setStart(v)} aria-label={t('calendar.start')} />
        </div>
        <div>
          <Typography.Text type="secondary">{t('calendar.workingDays')}</Typography.Text><br />
          <InputNumber<number> min={0} max={3650} precision={0} value={workingDays} onChange={setWorkingDays}
            aria-label={t('calendar.workingDays')} style={{ width: 120 }} />
        </div>
        <Button type="primary" onClick={() => void compute()} loading={busy} disabled={workingDays === null}>{t('calendar.compute')}</Button>
      </Space>
      {result && (
        <Alert style={{ marginTop: 16 }} type={result.provisional ? 'warning' : 'info'} showIcon data-testid="deadline"
          title={t('calendar.deadlineIs', { deadline: chinaTime(result.deadline, i18n.language) })}
          description={result.provisional ? t('calendar.provisional') : t('calendar.deadlineRule')} />
      )}
      {error && <Alert style={{ marginTop: 16 }} type="error" showIcon title={error} />}
    </Card>
  );
}
