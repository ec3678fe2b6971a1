import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { App as AntApp, Button, ConfigProvider, Form, Input, InputNumber, Modal, Segmented, Select, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, ApiProblem, type ApiItem, type ApiResponse } from '../api';
import { Chart, type ChartOption } from '../components/Chart';
import { currentLanguage, switchLanguage, type Language } from '../i18n';
import { navigate } from '../router';
import type { Pulse, ScreenPoint } from './ScreenMap';
import './screen.css';

const ScreenMap = lazy(() => import('./ScreenMap'));

type Snapshot = ApiResponse<'/cityops/screen'>;
type Alarm = Snapshot['alarms'][number];
type Department = ApiItem<'/cityops/screen/departments'>;
type Subject = { caseId: number; label: string } | { sensorEventId: number; label: string };

/** The snapshot is read again at most this often while events stream in (the first at once). */
const RELOAD_MS = 1_000;
/** The kinds (小类) the chart shows, most reported first. */
const SHOWN_KINDS = 6;
/** How long a new event's ring pulses on the map. */
const PULSE_MS = 20_000;
/** Rings pulsing at once at most: a burst of events shows its latest. */
const MAX_PULSES = 120;

const states = ['verifying', 'filing', 'dispatching', 'handling', 'checking', 'closing', 'closed', 'rejected'] as const;
const sources = ['patrol', 'public', 'hotline', 'sensor', 'leader', 'command'] as const;
/** A horizontal bar chart for the dark screen, its text `size` pixels high. */
function bars(labels: string[], values: number[], color: string, size: number): ChartOption {
  const axis = { axisLabel: { color: '#9fb7d9', fontSize: size }, axisLine: { lineStyle: { color: '#2a4a7a' } }, splitLine: { lineStyle: { color: '#12294d' } } };
  return {
    // Redrawn with every change: no animation from zero each time.
    animation: false,
    grid: { left: 8, right: 36, top: 6, bottom: 6, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, ...axis },
    yAxis: { type: 'category', data: labels, inverse: true, ...axis },
    series: [{ type: 'bar', data: values, itemStyle: { color }, barMaxWidth: size * 1.4, label: { show: true, position: 'right', color: '#e6f0ff', fontSize: size } }],
  };
}

/** The viewport's size, followed as the window changes: the screen's charts are sized by it. */
function useViewport(): { width: number; height: number } {
  const [size, setSize] = useState(() => ({ width: window.innerWidth, height: window.innerHeight }));
  useEffect(() => {
    const resized = () => setSize({ width: window.innerWidth, height: window.innerHeight });
    window.addEventListener('resize', resized);
    return () => window.removeEventListener('resize', resized);
  }, []);
  return size;
}

function useClock(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/**
 * 指挥大屏: the command centre's screen, full-page and dark, laid out for 1920×1080 and sized by the viewport (so it
 * reads the same at 3840×2160). It reads the snapshot of the caller's area, then listens to the live stream: each
 * change reads the snapshot again (at most once a second) and rings where it happened on the map. From an alarm or a
 * case on the map, one click orders a department (一键调度).
 */
export default function ScreenPage() {
  const { t, i18n } = useTranslation();
  const now = useClock();
  const viewport = useViewport();
  // Sizes in pixels from the viewport: 1 vh, and the charts' text (14 px at 1920 wide).
  const vh = viewport.height / 100;
  const text = Math.round(viewport.width / 137);
  // The controls' (buttons, switch, dialog) text: 16 px at 1920 wide, 32 px at 3840.
  const base = Math.round(viewport.width / 120);
  const [snapshot, setSnapshot] = useState<Snapshot>();
  const [live, setLive] = useState(false);
  const [pulses, setPulses] = useState<Pulse[]>([]);
  const [subject, setSubject] = useState<Subject>();
  const en = i18n.language === 'en';

  // Reads the snapshot now, or once the last read is a second old; never two at a time.
  const reading = useRef<{ busy: boolean; again: boolean; last: number; timer?: ReturnType<typeof setTimeout> }>({ busy: false, again: false, last: 0 });
  const reload = useCallback(() => {
    const r = reading.current;
    if (r.busy || r.timer) { r.again = true; return; }
    const wait = Math.max(0, r.last + RELOAD_MS - Date.now());
    r.timer = setTimeout(() => {
      r.timer = undefined;
      r.busy = true;
      r.last = Date.now();
      api('GET', '/cityops/screen').then(setSnapshot, (error: unknown) => {
        if (error instanceof ApiProblem && (error.status === 401 || error.status === 403)) navigate('/');
      }).finally(() => {
        r.busy = false;
        if (r.again) { r.again = false; reload(); }
      });
    }, wait);
  }, []);

  useEffect(() => {
    const source = new EventSource('/api/v1/cityops/screen/stream');
    const ring = (key: string) => (e: MessageEvent<string>) => {
      const m = JSON.parse(e.data) as { id: number; lon: number; lat: number; action?: string; change?: string };
      if (m.change !== 'cleared') setPulses((old) => [...old.filter((p) => p.key !== `${key}-${m.id}`), { key: `${key}-${m.id}`, lon: m.lon, lat: m.lat, at: Date.now() }]
        .slice(-MAX_PULSES));
      reload();
    };
    source.addEventListener('ready', () => { setLive(true); reload(); });
    source.addEventListener('case', ring('case'));
    source.addEventListener('alarm', ring('alarm'));
    source.addEventListener('order', ring('order'));
    source.onerror = () => setLive(false);
    const timers = reading.current;
    return () => { source.close(); clearTimeout(timers.timer); };
  }, [reload]);

  // Rings fade out after a while.
  useEffect(() => {
    const timer = setInterval(() => setPulses((old) => (old.some((p) => p.at < Date.now() - PULSE_MS) ? old.filter((p) => p.at >= Date.now() - PULSE_MS) : old)), 1_000);
    return () => clearInterval(timer);
  }, []);

  const points = useMemo<ScreenPoint[]>(() => [
    ...(snapshot?.points ?? []).map((p) => ({ id: `case-${p.id}`, lon: p.lon, lat: p.lat, kind: p.overdue ? 'overdue' as const : 'case' as const })),
    ...(snapshot?.alarms ?? []).map((a) => ({ id: `alarm-${a.id}`, lon: a.lon, lat: a.lat, kind: 'alarm' as const })),
  ], [snapshot]);

  const byState = useMemo(() => bars(states.map((s) => t(`cityops.cases.states.${s}`)), states.map((s) => snapshot?.today.byState[s] ?? 0), '#4fa3ff', text),
    [snapshot, t, text]);
  const bySource = useMemo(() => bars(sources.map((s) => t(`cityops.cases.sources.${s}`)), sources.map((s) => snapshot?.today.bySource[s] ?? 0), '#36cfc9', text),
    [snapshot, t, text]);
  const kinds = useMemo(() => {
    const top = (snapshot?.topKinds ?? []).slice(0, SHOWN_KINDS);
    return bars(top.map((k) => `${en ? k.nameEn : k.nameZh} ${k.kindCode}`), top.map((k) => k.count), '#faad14', text);
  }, [snapshot, en, text]);

  const kpis = [
    { key: 'today', value: snapshot?.today.total },
    { key: 'open', value: snapshot?.open },
    { key: 'overdue', value: snapshot?.overdue, alert: (snapshot?.overdue ?? 0) > 0 },
    { key: 'alarms', value: snapshot?.alarms.length, alert: (snapshot?.alarms.length ?? 0) > 0 },
  ];

  return (
    <ConfigProvider theme={{ algorithm: theme.darkAlgorithm, token: { colorPrimary: '#1677ff', fontSize: base, controlHeight: base * 2,
      controlHeightSM: Math.round(base * 1.5), controlHeightLG: Math.round(base * 2.5) } }}>
      <AntApp>
        <div className="screen" data-testid="screen" data-live={live ? 'yes' : 'no'}>
          <header className="screen-header">
            <div className="screen-clock">{now.toLocaleString(en ? 'en-GB' : 'zh-CN', { hour12: false })}</div>
            <h1>{t('screen.title')}</h1>
            <div className="screen-tools">
              <span className={live ? 'screen-live on' : 'screen-live'} data-testid="screen-live">● {t(live ? 'screen.live' : 'screen.offline')}</span>
              <Segmented size="large" value={currentLanguage()} onChange={(v) => switchLanguage(v as Language)} data-testid="screen-language"
                options={[{ value: 'zh-CN', label: '中文' }, { value: 'en', label: 'EN' }]} />
            </div>
          </header>
          <section className="screen-kpis">
            {kpis.map((k) => (
              <div key={k.key} className={k.alert ? 'screen-kpi alert' : 'screen-kpi'} data-testid={`screen-kpi-${k.key}`}>
                <div className="screen-kpi-value">{k.value ?? '–'}</div>
                <div className="screen-kpi-label">{t(`screen.kpi.${k.key}`)}</div>
              </div>
            ))}
          </section>
          <section className="screen-left">
            <Panel title={t('screen.byState')}><Chart option={byState} height={Math.round(vh * 33)} testId="screen-by-state" /></Panel>
            <Panel title={t('screen.bySource')}><Chart option={bySource} height={Math.round(vh * 33)} testId="screen-by-source" /></Panel>
          </section>
          <section className="screen-centre">
            <div className="screen-map-frame">
              <Suspense fallback={null}>
                <ScreenMap points={points} pulses={pulses} onCase={(id) => {
                  const c = snapshot?.points.find((p) => p.id === id);
                  if (c) setSubject({ caseId: id, label: `${t('screen.case')} ${c.code}` });
                }} />
              </Suspense>
              <div className="screen-legend">
                <span className="dot case" />{t('screen.legend.case')}
                <span className="dot overdue" />{t('screen.legend.overdue')}
                <span className="dot alarm" />{t('screen.legend.alarm')}
                <span className="ring" />{t('screen.legend.new')}
              </div>
            </div>
            <Panel title={t('screen.topKinds')}><Chart option={kinds} height={Math.round(vh * 17)} testId="screen-top-kinds" /></Panel>
          </section>
          <section className="screen-right">
            <Panel title={t('screen.districts')}>
              <table className="screen-table" data-testid="screen-districts">
                <thead><tr><th>#</th><th>{t('screen.district')}</th><th>{t('screen.kpi.today')}</th><th>{t('screen.kpi.open')}</th><th>{t('screen.kpi.overdue')}</th></tr></thead>
                <tbody>
                  {(snapshot?.districts ?? []).map((d, i) => (
                    <tr key={d.divisionCode}><td>{i + 1}</td><td>{d.name ?? d.divisionCode}</td><td>{d.today}</td><td>{d.open}</td>
                      <td className={d.overdue > 0 ? 'warn' : undefined}>{d.overdue}</td></tr>
                  ))}
                </tbody>
              </table>
            </Panel>
            <Panel title={t('screen.alarms')}>
              <ul className="screen-list" data-testid="screen-alarms">
                {(snapshot?.alarms ?? []).length === 0 && <li className="muted">{t('screen.noAlarms')}</li>}
                {(snapshot?.alarms ?? []).map((a) => (
                  <li key={a.id} data-testid="screen-alarm">
                    <span className="alarm-title">{en ? a.typeNameEn : a.typeNameZh} · {a.deviceCode}</span>
                    <span className="muted">{new Date(a.raisedAt).toLocaleTimeString(en ? 'en-GB' : 'zh-CN', { hour12: false })} · {a.raisedValue} {a.unit}</span>
                    <Button size="small" type="primary" danger data-testid="screen-order-alarm"
                      onClick={() => setSubject({ sensorEventId: a.id, label: alarmLabel(a, en) })}>{t('screen.order')}</Button>
                  </li>
                ))}
              </ul>
            </Panel>
            <Panel title={t('screen.orders')}>
              <ul className="screen-list" data-testid="screen-orders">
                {(snapshot?.orders ?? []).length === 0 && <li className="muted">{t('screen.noOrders')}</li>}
                {(snapshot?.orders ?? []).map((o) => (
                  <li key={o.id} data-testid="screen-order">
                    <span className="alarm-title">{o.departmentName}{o.state === 'escalated' && <b className="escalated"> {t('screen.escalated')}</b>}</span>
                    <span className="muted">{o.caseCode ?? o.deviceCode} · {t('screen.ackBy')} {new Date(o.ackDueAt).toLocaleTimeString(en ? 'en-GB' : 'zh-CN', { hour12: false })}
                      {o.escalatedToName ? ` → ${o.escalatedToName}` : ''}</span>
                  </li>
                ))}
              </ul>
            </Panel>
          </section>
          {subject && <OrderDialog subject={subject} onClose={() => setSubject(undefined)} />}
        </div>
      </AntApp>
    </ConfigProvider>
  );
}

const alarmLabel = (a: Alarm, en: boolean) => `${en ? a.typeNameEn : a.typeNameZh} ${a.deviceCode}`;

function Panel({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="screen-panel">
      <div className="screen-panel-title">{title}</div>
      <div className="screen-panel-body">{children}</div>
    </div>
  );
}

/** 一键调度: the department, what to do, and the minutes it has to acknowledge. */
function OrderDialog({ subject, onClose }: { subject: Subject; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ departmentId: number; instruction: string; ackMinutes: number }>();
  const [departments, setDepartments] = useState<Department[]>([]);
  const [sending, setSending] = useState(false);
  useEffect(() => {
    api('GET', '/cityops/screen/departments').then((d) => setDepartments(d.items), (error: unknown) => void message.error(String((error as Error).message)));
  }, [message]);
  const send = async () => {
    const values = await form.validateFields();
    setSending(true);
    try {
      const { label: _label, ...about } = subject;
      await api('POST', '/cityops/orders', { ...about, ...values });
      void message.success(t('screen.orderSent'));
      onClose();
    } catch (error) {
      if (error instanceof ApiProblem && error.field) form.setFields([{ name: error.field as 'departmentId', errors: [error.title] }]);
      else void message.error((error as Error).message);
    } finally {
      setSending(false);
    }
  };
  return (
    <Modal open title={`${t('screen.orderTitle')} · ${subject.label}`} onCancel={onClose} onOk={() => void send()} confirmLoading={sending}
      okText={t('screen.orderSend')} cancelText={t('screen.cancel')} okButtonProps={{ 'data-testid': 'screen-order-send' } as Record<`data-${string}`, string>}>
      <Form form={form} layout="vertical" initialValues={{ instruction: t('screen.defaultInstruction'), ackMinutes: 15 }} data-testid="screen-order-form">
        <Form.Item name="departmentId" label={t('screen.department')} rules={[{ required: true, message: t('screen.chooseDepartment') }]}>
          <Select showSearch optionFilterProp="label" data-testid="screen-order-department"
            options={departments.map((d) => ({ value: d.id, label: d.name }))} />
        </Form.Item>
        <Form.Item name="instruction" label={t('screen.instruction')} rules={[{ required: true, whitespace: true, message: t('screen.instructionRequired') }]}>
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
        <Form.Item name="ackMinutes" label={t('screen.ackMinutes')} rules={[{ required: true }]}>
          <InputNumber min={1} max={1440} precision={0} addonAfter={t('screen.minutes')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
