import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Badge, Button, Card, Flex, Input, List, Switch, Tag, Upload } from 'antd';
import { CameraOutlined, CloudSyncOutlined, EnvironmentOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiProblem, type ApiResponse } from '../api';
import { CityMap, type MapPoint } from '../map';
import { problemText } from '../problemFields';
import { useSession } from '../session';
import { fileToBase64, time } from './cases';
import { enqueue, isNetworkFailure, queued, syncQueue, type OutboxEntry, type SyncResult } from './outbox';

type Tasks = ApiResponse<'/cityops/field/tasks'>;
type Task = Tasks['items'][number];
type Fix = { lon: number; lat: number; accuracy: number; at: string };

const stepColours: Record<Task['step'], string> = { verifying: '#faad14', handling: '#1677ff', checking: '#13c2c2' };
/** The time of day of a moment on the phone's day (today's tasks and queue). */
const clock = (iso: string | Date) => new Date(iso).toLocaleTimeString('zh-CN', { hour12: false });
const cacheKey = (userId: string) => `yiwang.field.tasks.${userId}`;

/** A random UUID; `crypto.randomUUID` exists only on secure pages. */
function uuid(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The phone's position with the time of its fix, as the check-in and the duty reports send it. */
function fix(): Promise<Fix> {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) return reject(new Error('no geolocation'));
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lon: p.coords.longitude, lat: p.coords.latitude, accuracy: p.coords.accuracy, at: new Date(p.timestamp).toISOString() }),
      (e) => reject(new Error(e.message)), { enableHighAccuracy: true, timeout: 10_000, maximumAge: 0 });
  });
}

/** Sends a field act now, or queues it with its time when the network is away; 'sent' or 'queued'. */
async function submit(entry: OutboxEntry): Promise<'sent' | 'queued'> {
  if (navigator.onLine) {
    try {
      await api('POST', entry.path, entry.body);
      return 'sent';
    } catch (error) {
      if (!isNetworkFailure(error)) throw error;
    }
  }
  await enqueue(entry);
  return 'queued';
}

/** One task: arrival check-in (with the before-photo for 处置), then for 处置 the reply with the after-photo. */
/** A refusal in words: outside the fence, with the distance the server measured. */
function useRefusal() {
  const { t } = useTranslation();
  return (error: unknown) => (error instanceof ApiProblem && error.code === 'cityops.field.outside-fence'
    ? t('cityops.field.outsideFence', { distance: error.members.distance, allowed: error.members.allowed }) : problemText(error));
}

function TaskCard({ task, userId, pending, onChange }: { task: Task; userId: string; pending: OutboxEntry[]; onChange: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [before, setBefore] = useState<File | null>(null);
  const [after, setAfter] = useState<File | null>(null);
  const [reply, setReply] = useState('');
  const [busy, setBusy] = useState(false);
  const refusal = useRefusal();
  const handling = task.step === 'handling';
  const queuedArrival = pending.find((e) => e.kind === 'arrive');
  const queuedReply = pending.find((e) => e.kind === 'handle');
  const arrived = task.checkIn !== null || queuedArrival !== undefined;
  const run = async (work: () => Promise<'sent' | 'queued'>) => {
    setBusy(true);
    try {
      const how = await work();
      void message.success(how === 'queued' ? t('cityops.field.queuedOne') : t('cityops.field.sent'));
      onChange();
    } catch (error) {
      void message.error(refusal(error));
    } finally {
      setBusy(false);
    }
  };
  const checkIn = () => run(async () => {
    const recordedAt = new Date().toISOString();
    const position = await fix();
    const photos = before ? [{ data: await fileToBase64(before) }] : [];
    return submit({ userId, caseId: task.caseId, code: task.code, kind: 'arrive', path: `/cityops/cases/${task.caseId}/arrive`, recordedAt,
      body: { clientId: uuid(), ...position, recordedAt, ...(photos.length ? { photos } : {}) } });
  });
  const handle = () => run(async () => {
    const recordedAt = new Date().toISOString();
    return submit({ userId, caseId: task.caseId, code: task.code, kind: 'handle', path: `/cityops/cases/${task.caseId}/handle`, recordedAt,
      body: { reply, photos: [{ data: await fileToBase64(after!) }], recordedAt } });
  });
  const photoButton = (label: string, set: (f: File | null) => void) => (
    <Upload accept="image/*" capture="environment" maxCount={1} beforeUpload={(file) => { set(file); return false; }} onRemove={() => set(null)}>
      <Button icon={<CameraOutlined />}>{label}</Button>
    </Upload>
  );
  return (
    <Card size="small" data-testid={`field-task-${task.caseId}`}
      title={<span><Tag color={stepColours[task.step]}>{t(`cityops.field.steps.${task.step}`)}</Tag>{task.kindNameZh}</span>}
      extra={task.urgency === 'urgent' ? <Tag color="red">{t('cityops.field.urgent')}</Tag> : null}>
      <Flex vertical gap={6}>
        <span>{task.code} · {task.description}</span>
        {task.address && <span>{task.address}</span>}
        {task.reply && <span>{t('cityops.cases.reply')}：{task.reply}</span>}
        {task.dueAt && <span>{t('cityops.field.due', { time: time(task.dueAt) })}</span>}
        {task.checkIn && (
          <span data-testid="checked-in">
            {t('cityops.field.checkedIn', { time: clock(task.checkIn.recordedAt), distance: Math.round(task.checkIn.distanceM) })}
            {new Date(task.checkIn.receivedAt).getTime() - new Date(task.checkIn.recordedAt).getTime() > 60_000
              && t('cityops.field.syncedLater', { time: clock(task.checkIn.receivedAt) })}
            {task.checkIn.late && <Tag color="red" style={{ marginLeft: 6 }}>{t('cityops.field.late')}</Tag>}
          </span>
        )}
        {!task.checkIn && queuedArrival && <Tag color="orange">{t('cityops.field.arrivalQueued', { time: clock(queuedArrival.recordedAt) })}</Tag>}
        {!arrived && (
          <Flex gap={8} wrap>
            {handling && photoButton(t('cityops.field.beforePhoto'), setBefore)}
            <Button type="primary" icon={<EnvironmentOutlined />} loading={busy} disabled={handling && !before} onClick={() => void checkIn()}>
              {t('cityops.field.checkIn')}
            </Button>
          </Flex>
        )}
        {handling && arrived && !queuedReply && (
          <Flex vertical gap={6}>
            <Input.TextArea aria-label={t('cityops.field.reply')} placeholder={t('cityops.field.reply')} rows={2} value={reply} onChange={(e) => setReply(e.target.value)} />
            <Flex gap={8} wrap>
              {photoButton(t('cityops.field.afterPhoto'), setAfter)}
              <Button type="primary" loading={busy} disabled={!reply.trim() || !after} onClick={() => void handle()}>{t('cityops.field.handle')}</Button>
            </Flex>
          </Flex>
        )}
        {queuedReply && <Tag color="orange">{t('cityops.field.replyQueued', { time: clock(queuedReply.recordedAt) })}</Tag>}
        {!handling && arrived && <span>{t('cityops.field.patrolNext')}</span>}
      </Flex>
    </Card>
  );
}

/**
 * 现场任务: the field worker's phone page (390 px): today's tasks on a map and in a list, arrival check-in by the
 * phone's position, before- and after-photos, the on-duty switch; without network the acts queue on the phone
 * and are sent with their times once it is back.
 */
export default function FieldPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const userId = useSession().user?.id ?? '';
  const [tasks, setTasks] = useState<Tasks | null>(null);
  const [cachedAt, setCachedAt] = useState<string | null>(null);
  const [online, setOnline] = useState(navigator.onLine);
  const [outbox, setOutbox] = useState<OutboxEntry[]>([]);
  const [synced, setSynced] = useState<SyncResult[]>([]);
  const [onDuty, setOnDuty] = useState(false);
  const [here, setHere] = useState<Fix | null>(null);
  const refusal = useRefusal();

  const loadTasks = useCallback(async () => {
    try {
      const fresh = await api('GET', '/cityops/field/tasks');
      localStorage.setItem(cacheKey(userId), JSON.stringify({ at: new Date().toISOString(), tasks: fresh }));
      setTasks(fresh);
      setCachedAt(null);
    } catch (error) {
      const cached = localStorage.getItem(cacheKey(userId));
      if (!isNetworkFailure(error) || !cached) return void message.error(problemText(error));
      const { at, tasks: old } = JSON.parse(cached) as { at: string; tasks: Tasks };
      setTasks(old);
      setCachedAt(at);
    }
  }, [userId, message]);
  const refresh = useCallback(async () => {
    setOutbox(await queued(userId));
    await loadTasks();
  }, [userId, loadTasks]);
  const sync = useCallback(async () => {
    const results = await syncQueue(userId);
    if (results.length > 0) setSynced(results);
    await refresh();
  }, [userId, refresh]);

  useEffect(() => {
    if (!userId) return;
    void (navigator.onLine ? sync() : refresh());
    // Without an answer the switch stays off, as the server's duty is unknown; switching it asks again.
    api('GET', '/cityops/field/duty').then((d) => setOnDuty(d.onDuty), () => undefined);
    const up = () => { setOnline(true); void sync(); };
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => { window.removeEventListener('online', up); window.removeEventListener('offline', down); };
  }, [userId, sync, refresh]);

  // On duty, the phone tells where it is each minute (not queued: an old position is of no use to the map).
  useEffect(() => {
    if (!onDuty) return;
    const report = async () => {
      try {
        const p = await fix();
        setHere(p);
        if (navigator.onLine) await api('POST', '/cityops/field/positions', p);
      } catch {
        // A position that cannot be taken or sent is skipped: the next one follows within a minute.
      }
    };
    void report();
    const timer = setInterval(() => void report(), 60_000);
    return () => clearInterval(timer);
  }, [onDuty]);

  const setDuty = async (value: boolean) => {
    try {
      setOnDuty((await api('PUT', '/cityops/field/duty', { onDuty: value })).onDuty);
    } catch (error) {
      void message.error(problemText(error));
    }
  };
  const take = async (caseId: number) => {
    try {
      await api('POST', `/cityops/cases/${caseId}/worker`, {});
      await loadTasks();
    } catch (error) {
      void message.error(problemText(error));
    }
  };

  const items = useMemo(() => tasks?.items ?? [], [tasks]);
  const points = useMemo<MapPoint[]>(() => [
    ...items.map((task) => ({ lon: task.lon, lat: task.lat, color: stepColours[task.step], title: `${t(`cityops.field.steps.${task.step}`)} · ${task.kindNameZh}` })),
    ...(here ? [{ lon: here.lon, lat: here.lat, color: '#722ed1', title: t('cityops.field.here') }] : []),
  ], [items, here, t]);
  const label = (e: OutboxEntry) => `${t(`cityops.field.kinds.${e.kind}`)} · ${e.code}`;
  return (
    <Flex vertical gap={12} style={{ maxWidth: 480 }}>
      <Card size="small" title={t('cityops.field.title')}
        extra={<Tag color={online ? 'green' : 'red'} data-testid="network">{online ? t('cityops.field.online') : t('cityops.field.offline')}</Tag>}>
        <Flex vertical gap={8}>
          <Flex gap={8} align="center">
            <Switch aria-label={t('cityops.field.duty')} checked={onDuty} onChange={(v) => void setDuty(v)} disabled={!online} />
            <span>{onDuty ? t('cityops.field.onDuty') : t('cityops.field.offDuty')}</span>
          </Flex>
          <Flex gap={8} align="center" wrap>
            <Badge count={outbox.length} showZero color={outbox.length ? 'orange' : 'green'} />
            <span data-testid="queued">{t('cityops.field.queued', { count: outbox.length })}</span>
            <Button size="small" icon={<CloudSyncOutlined />} disabled={!online || outbox.length === 0} onClick={() => void sync()}>{t('cityops.field.sync')}</Button>
            <Button size="small" icon={<ReloadOutlined />} onClick={() => void refresh()}>{t('cityops.field.refresh')}</Button>
          </Flex>
          {cachedAt && <Alert type="warning" showIcon message={t('cityops.field.cached', { time: clock(cachedAt) })} />}
          {synced.length > 0 && (
            <List size="small" data-testid="synced" dataSource={synced} renderItem={(r) => (
              <List.Item>
                {r.refused ? <Tag color="red">{t('cityops.field.refused')}</Tag> : <Tag color="green">{t('cityops.field.synced')}</Tag>}
                <span>{label(r.entry)} · {t('cityops.field.madeAt', { time: clock(r.entry.recordedAt) })}{r.refused ? `：${refusal(r.refused)}` : ''}</span>
              </List.Item>)} />
          )}
        </Flex>
      </Card>
      <CityMap points={points} height={220} search={false} testId="field-map" />
      <Card size="small" title={t('cityops.field.tasks', { count: items.length })}>
        <Flex vertical gap={8}>
          {items.map((task) => <TaskCard key={task.caseId} task={task} userId={userId} pending={outbox.filter((e) => e.caseId === task.caseId)}
            onChange={() => void refresh()} />)}
          {tasks && items.length === 0 && <span>{t('cityops.patrol.noTasks')}</span>}
        </Flex>
      </Card>
      {(tasks?.available.length ?? 0) > 0 && (
        <Card size="small" title={t('cityops.field.available', { count: tasks!.available.length })}>
          <List size="small" dataSource={tasks!.available} renderItem={(task) => (
            <List.Item data-testid={`available-${task.caseId}`} actions={[<Button key="take" size="small" disabled={!online} onClick={() => void take(task.caseId)}>{t('cityops.field.take')}</Button>]}>
              <span>{task.code} · {task.kindNameZh} · {task.description}</span>
            </List.Item>)} />
        </Card>
      )}
    </Flex>
  );
}
