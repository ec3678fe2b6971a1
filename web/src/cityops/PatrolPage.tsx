import { useState } from 'react';
import { Alert, App, Button, Card, Flex, Input, List, Select, Tag, Upload } from 'antd';
import { CameraOutlined, EnvironmentOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { problemText } from '../problemFields';
import { useLoad } from '../useLoad';
import { currentPosition, fileToBase64, stateColours, type CaseItem } from './cases';

type Position = { lon: number; lat: number; accuracy: number };

/** The photo and the phone's position a field step needs. */
function FieldInputs({ setPhoto, position, setPosition }: {
  setPhoto: (f: File | null) => void; position: Position | null; setPosition: (p: Position) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return (
    <Flex gap={8} wrap align="center">
      <Upload accept="image/*" capture="environment" maxCount={1} beforeUpload={(file) => { setPhoto(file); return false; }} onRemove={() => setPhoto(null)}>
        <Button icon={<CameraOutlined />}>{t('cityops.patrol.photo')}</Button>
      </Upload>
      <Button icon={<EnvironmentOutlined />} onClick={() => void currentPosition().then(setPosition, (e: unknown) => void message.error(String(e)))}>
        {t('cityops.patrol.locate')}
      </Button>
      {position && <span data-testid="position">{position.lon.toFixed(5)}, {position.lat.toFixed(5)} (±{Math.round(position.accuracy)} m)</span>}
    </Flex>
  );
}

/** One field task (核实 or 核查): on site, with a photo, found / passed or not. */
function Task({ c, onDone }: { c: CaseItem; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [photo, setPhoto] = useState<File | null>(null);
  const [position, setPosition] = useState<Position | null>(null);
  const [note, setNote] = useState('');
  const verify = c.state === 'verifying';
  const send = async (ok: boolean) => {
    try {
      const photos = photo ? [{ data: await fileToBase64(photo) }] : [];
      await api('POST', `/cityops/cases/${c.id}/${verify ? 'verify' : 'check'}`,
        { ...(verify ? { found: ok } : { passed: ok }), ...position!, photos, ...(note.trim() ? { note } : {}) });
      message.success(t('cityops.cases.done'));
      onDone();
    } catch (e) {
      message.error(problemText(e));
    }
  };
  return (
    <Card size="small" data-testid={`task-${c.id}`} title={<span>{verify ? t('cityops.patrol.verify') : t('cityops.patrol.check')} · {c.kindNameZh}</span>}>
      <p>{c.description}</p>
      {c.reply && <p>{t('cityops.cases.reply')}：{c.reply}</p>}
      <FieldInputs setPhoto={setPhoto} position={position} setPosition={setPosition} />
      <Input.TextArea aria-label={t('cityops.cases.note')} placeholder={t('cityops.cases.note')} rows={2} value={note} onChange={(e) => setNote(e.target.value)} style={{ margin: '8px 0' }} />
      <Flex gap={8}>
        <Button type="primary" disabled={!position || !photo} onClick={() => void send(true)}>{verify ? t('cityops.patrol.found') : t('cityops.patrol.pass')}</Button>
        <Button danger disabled={!position || !note.trim()} onClick={() => void send(false)}>{verify ? t('cityops.patrol.notFound') : t('cityops.patrol.back')}</Button>
      </Flex>
    </Card>
  );
}

/** 巡查上报: a patrol worker's phone page: report a problem with a photo and the position; own tasks (核实, 核查). */
export default function PatrolPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const kinds = useLoad(() => api('GET', '/cityops/case-kinds'), []);
  const tasks = useLoad(() => api('GET', `/cityops/cases${query({ mine: true, open: true, pageSize: 50 })}`), []);
  const mine = useLoad(() => api('GET', `/cityops/cases${query({ source: 'patrol', pageSize: 10 })}`), []);
  const [kindCode, setKindCode] = useState<string>();
  const [description, setDescription] = useState('');
  const [photo, setPhoto] = useState<File | null>(null);
  const [position, setPosition] = useState<Position | null>(null);
  const [reported, setReported] = useState<string | null>(null);
  async function report() {
    try {
      const c = await api('POST', '/cityops/cases/report', { kindCode: kindCode!, description, ...position!, photos: [{ data: await fileToBase64(photo!) }] });
      setReported(c.code);
      setDescription('');
      setPhoto(null);
      mine.reload();
    } catch (e) {
      message.error(problemText(e));
    }
  }
  return (
    <Flex vertical gap={12} style={{ maxWidth: 480 }}>
      <Card title={t('cityops.patrol.report')} size="small">
        <Flex vertical gap={8}>
          <Select aria-label={t('cityops.cases.kind')} showSearch optionFilterProp="label" placeholder={t('cityops.cases.kind')} value={kindCode} onChange={setKindCode}
            options={(kinds.data?.items ?? []).filter((k) => k.active).map((k) => ({ value: k.code, label: `${k.nameZh}（${k.classNameZh}）` }))} />
          <Input.TextArea aria-label={t('cityops.cases.description')} placeholder={t('cityops.cases.description')} rows={3} value={description}
            onChange={(e) => setDescription(e.target.value)} />
          <FieldInputs setPhoto={setPhoto} position={position} setPosition={setPosition} />
          <Button type="primary" block disabled={!kindCode || !description.trim() || !photo || !position} onClick={() => void report()}>{t('cityops.patrol.send')}</Button>
          {reported && <Alert type="success" showIcon message={t('cityops.patrol.reported', { code: reported })} />}
        </Flex>
      </Card>
      <Card title={t('cityops.patrol.tasks', { count: tasks.data?.items.length ?? 0 })} size="small">
        <Flex vertical gap={8}>
          {(tasks.data?.items ?? []).map((c) => <Task key={c.id} c={c} onDone={() => { tasks.reload(); mine.reload(); }} />)}
          {tasks.data?.items.length === 0 && <span>{t('cityops.patrol.noTasks')}</span>}
        </Flex>
      </Card>
      <Card title={t('cityops.patrol.mine')} size="small">
        <List size="small" dataSource={mine.data?.items ?? []} renderItem={(c) => (
          <List.Item><span>{c.code} · {c.kindNameZh}</span><Tag color={stateColours[c.state]}>{t(`cityops.cases.states.${c.state}`)}</Tag></List.Item>)} />
      </Card>
    </Flex>
  );
}
