import { useEffect, useState } from 'react';
import { App, Button, Card, Empty, Flex, Form, Input, List, Radio, Space, Spin, Tag, Typography, Upload } from 'antd';
import { ArrowLeftOutlined, SearchOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiProblem, type ApiItem } from '../api';
import { problemText } from '../problemFields';
import { navigate, usePath } from '../router';
import { useLoad } from '../useLoad';
import { ClockCard, HistoryCard, MaterialLink } from './ApplicationParts';
import { chinaTime, yuan } from '../format';
import { Deadline, ratingLevels, StateTag } from './common';
import { SchemaFields, showFormProblem } from './SchemaForm';
import type { Application } from './types';

/** 我的办事 (citizen): my applications with status and deadlines; applying for an item; one application with its form, materials and rating. */
export default function MyServicesPage() {
  const path = usePath();
  const apply = /^\/my-services\/apply\/(\d+)$/.exec(path);
  if (apply) return <StartApplication itemId={Number(apply[1])} />;
  const one = /^\/my-services\/(\d+)$/.exec(path);
  return one ? <ApplicationPage id={Number(one[1])} /> : <MyApplications />;
}

// A draft is opened once per visit of the apply address, even when the page mounts twice.
const opening = new Map<number, Promise<Application>>();

function StartApplication({ itemId }: { itemId: number }) {
  const { message } = App.useApp();
  useEffect(() => {
    if (!opening.has(itemId)) opening.set(itemId, api<Application>('POST', '/services/applications', { itemId }));
    opening.get(itemId)!.then(
      (app) => { opening.delete(itemId); navigate(`/my-services/${app.id}`); },
      (error: unknown) => { opening.delete(itemId); void message.error(problemText(error)); navigate('/my-services'); });
  }, [itemId, message]);
  return <Spin style={{ display: 'block', margin: 48 }} />;
}

type Offer = ApiItem<'/services/offers'>;

/** 不来即享: benefits the citizen qualifies for, found from data the government holds, with why; one click to accept. */
function Offers() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { data, reload } = useLoad(() => api('GET', '/services/offers'), []);
  if (!data?.items.length) return null;
  const accept = async (offer: Offer) => {
    try {
      const app = await api<Application>('POST', `/services/offers/${offer.id}/accept`);
      void message.success(t('services.offers.accepted', { receipt: app.receiptNumber }));
      reload();
    } catch (error) {
      void message.error(problemText(error));
    }
  };
  return (
    <Card title={t('services.offers.title')} className="services-offers">
      <List dataSource={data.items} renderItem={(offer) => (
        <List.Item actions={[offer.state === 'offered'
          ? <Button key="accept" type="primary" onClick={() => void accept(offer)}>{t('services.offers.accept')}</Button>
          : <Button key="open" type="link" onClick={() => navigate(`/my-services/${offer.applicationId}`)}>{t(`services.offers.states.${offer.state}`)}</Button>]}>
          <List.Item.Meta title={offer.policyName} description={
            <Space orientation="vertical" size={4}>
              <span>{offer.description}</span>
              {offer.amount !== null && offer.amountKind && (
                <Typography.Text strong data-testid="offer-amount">
                  {t('services.offers.amount', { label: t(`services.amount.${offer.amountKind}`), amount: yuan(offer.amount, i18n.language) })}
                </Typography.Text>
              )}
              <Flex wrap gap={4}>{t('services.offers.why')}{offer.reasons.map((r) => <Tag key={r.name} color="green">{r.name}</Tag>)}</Flex>
            </Space>} />
        </List.Item>
      )} />
    </Card>
  );
}

function MyApplications() {
  const { t, i18n } = useTranslation();
  const { data, loading } = useLoad(() => api('GET', '/services/applications?limit=50'), []);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
    <Offers />
    <Card title={t('services.app.mine')} extra={<Button icon={<SearchOutlined />} onClick={() => navigate('/services')}>{t('services.app.catalogue')}</Button>}>
      <List
        loading={loading}
        dataSource={data?.items ?? []}
        locale={{ emptyText: <Empty description={t('services.app.none')} /> }}
        renderItem={(row) => (
          <List.Item actions={[<Button key="open" type="link" onClick={() => navigate(`/my-services/${row.id}`)}>{t('services.app.open')}</Button>]}>
            <List.Item.Meta
              title={<Flex wrap gap={6} align="center"><span>{row.item.name}</span><StateTag state={row.state} /></Flex>}
              description={
                <Flex wrap gap={12}>
                  {row.receiptNumber && <span className="mono">{row.receiptNumber}</span>}
                  {row.submittedAt && <span>{t('services.app.submittedAt')} {chinaTime(row.submittedAt, i18n.language)}</span>}
                  {row.state !== 'draft' && !['finished', 'rejected'].includes(row.state) && (
                    <span>{t('services.app.committedDue')} <Deadline due={row.committedDue} paused={row.paused} overdue={row.overdue} /></span>
                  )}
                </Flex>
              }
            />
          </List.Item>
        )}
      />
    </Card>
    </Space>
  );
}

const readBase64 = (file: File) => new Promise<string>((resolve, reject) => {
  const reader = new FileReader();
  reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
  reader.onerror = () => reject(reader.error);
  reader.readAsDataURL(file);
});

function ApplicationPage({ id }: { id: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const { data: app, reload } = useLoad(() => api<Application>('GET', `/services/applications/${id}`), [id]);
  const [busy, setBusy] = useState(false);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- only another application or a new state refills the form: a reload after saving keeps what is typed
  useEffect(() => { if (app) form.setFieldsValue(app.form); }, [app?.id, app?.state]);
  if (!app) return <Spin style={{ display: 'block', margin: 48 }} />;
  const editable = app.abilities.includes('save');

  const run = async (action: () => Promise<Application>, done: (a: Application) => string) => {
    setBusy(true);
    try {
      const result = await action();
      void message.success(done(result));
      reload();
    } catch (error) {
      if (error instanceof ApiProblem && showFormProblem(form, error.field, error.detail ?? error.title)) return;
      void message.error(error instanceof ApiProblem ? `${error.title}${error.field ? ` (${error.field})` : ''}` : String(error));
    } finally {
      setBusy(false);
    }
  };
  const values = () => form.getFieldsValue(true) as Record<string, unknown>;
  const submit = () => form.validateFields().then(() => run(
    () => api<Application>('POST', `/services/applications/${id}/submit`, { form: values() }),
    (a) => t('services.app.submitted', { receipt: a.receiptNumber })), () => undefined); // invalid fields say so themselves
  const answer = () => form.validateFields().then(() => run(
    () => api<Application>('POST', `/services/applications/${id}/answer`, { form: values() }), () => t('services.app.answered')), () => undefined); // invalid fields say so themselves
  const save = () => run(() => api<Application>('PUT', `/services/applications/${id}/form`, { form: values() }), () => t('services.app.saved'));
  const upload = async (material: string, file: File) => {
    try {
      await api('POST', `/services/applications/${id}/materials`, { material, fileName: file.name, contentType: file.type, content: await readBase64(file) });
      void message.success(t('services.app.uploaded', { name: file.name }));
      reload();
    } catch (error) {
      void message.error(problemText(error));
    }
  };
  const uploads = app.item.materials.filter((m) => !m.replacedBy);

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Button type="link" icon={<ArrowLeftOutlined />} onClick={() => navigate('/my-services')} style={{ paddingInline: 0 }}>{t('services.app.mine')}</Button>
      <ClockCard app={app} />
      {app.item.formSchema && (
        <Card size="small" title={t('services.app.form')}>
          <Form form={form} layout="vertical" disabled={!editable}>
            <SchemaFields schema={app.item.formSchema} prefilled={app.prefilled} sources={app.prefillSources} />
          </Form>
          {uploads.length > 0 && (
            <>
              <Typography.Title level={5}>{t('services.app.materials')}</Typography.Title>
              <List size="small" dataSource={uploads} renderItem={(m) => {
                const done = app.materials.find((x) => x.material === m.name);
                return (
                  <List.Item actions={editable ? [
                    <Upload key="up" showUploadList={false} accept={(m.accept ?? ['application/pdf', 'image/jpeg', 'image/png']).join(',')}
                      beforeUpload={(file) => { void upload(m.name, file); return false; }}>
                      <Button size="small" icon={<UploadOutlined />}>{t('services.app.upload')}</Button>
                    </Upload>] : []}>
                    <Flex wrap gap={6}>
                      <span>{m.name}</span><Tag>{m.required ? t('services.item.required') : t('services.item.optional')}</Tag>
                      {done && <MaterialLink app={app} file={done} />}
                    </Flex>
                  </List.Item>
                );
              }} />
            </>
          )}
          <Flex wrap gap={8} style={{ marginTop: 12 }}>
            {editable && <Button onClick={() => void save()} loading={busy}>{t('services.app.save')}</Button>}
            {app.abilities.includes('submit') && <Button type="primary" onClick={() => void submit()} loading={busy}>{t('services.app.submit')}</Button>}
            {app.abilities.includes('answer-correction') && <Button type="primary" onClick={() => void answer()} loading={busy}>{t('services.app.answer')}</Button>}
          </Flex>
        </Card>
      )}
      {app.abilities.includes('rate') && <RatingCard title={t('services.rating.rateCase')} onRate={(level, comment) =>
        run(async () => { await api('POST', `/services/applications/${id}/ratings`, { level, comment }); return app; }, () => t('services.rating.thanks'))} />}
      {app.ratings.filter((r) => r.stepId === null).map((r) => (
        <Card key={r.id} size="small" title={t('services.rating.title')}>
          <Flex wrap gap={6}><Tag color={r.rectificationId ? 'red' : 'green'}>{t(`services.rating.levels.${r.level}`)}</Tag>
            {r.defaulted && <Tag>{t('services.rating.defaulted')}</Tag>}{r.comment}
            {r.rectificationId && <Tag color="orange">{t('services.rating.rectifying')}</Tag>}</Flex>
        </Card>
      ))}
      {app.history.length > 0 && <HistoryCard app={app} extra={(step) => step.rateable && (
        <RatingCard compact title={t('services.rating.rateStep')} onRate={(level, comment) =>
          run(async () => { await api('POST', `/services/applications/${id}/ratings`, { level, comment, stepId: step.id }); return app; }, () => t('services.rating.thanks'))} />
      )} />}
    </Space>
  );
}

/** 好差评: the five national levels and a comment. */
function RatingCard({ title, onRate, compact }: { title: string; onRate: (level: string, comment: string) => Promise<void>; compact?: boolean }) {
  const { t } = useTranslation();
  const [level, setLevel] = useState<string>();
  const [comment, setComment] = useState('');
  const [open, setOpen] = useState(!compact);
  if (!open) return <Button size="small" type="link" style={{ paddingInline: 0 }} onClick={() => setOpen(true)}>{title}</Button>;
  const body = (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Radio.Group value={level} onChange={(e) => setLevel(e.target.value as string)} aria-label={title}
        options={ratingLevels.map((l) => ({ value: l, label: t(`services.rating.levels.${l}`) }))} />
      <Input.TextArea rows={2} placeholder={t('services.rating.comment')} aria-label={t('services.rating.comment')} value={comment} onChange={(e) => setComment(e.target.value)} maxLength={1000} />
      <Button type="primary" disabled={!level} onClick={() => void onRate(level!, comment)}>{t('services.rating.send')}</Button>
    </Space>
  );
  return compact ? body : <Card size="small" title={title}>{body}</Card>;
}
