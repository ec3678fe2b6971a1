import { useEffect, useMemo, useState } from 'react';
import {
  Alert, App, Button, Card, Checkbox, Col, Descriptions, Form, Input, List, Radio, Row, Select, Space, Tag, Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { api, ApiProblem, query, type ApiItem, type ApiResponse } from '../api';
import { problemText, useSaving } from '../problemFields';
import { navigate } from '../router';
import { useLoad } from '../useLoad';
import { departmentsInJurisdiction, type Department } from '../org';
import { AddressCheck, CityMap, type MapPoint } from '../map';
import { DispatchForm } from './DispatchForm';
import {
  categoryLabel, channels, loadCategories, ticketKinds, ticketPath, type Duplicate, type Suggestion, formatTime,
} from './model';
import { useSuggestion } from './parts';

interface IntakeForm {
  callerName?: string;
  callerPhone?: string;
  anonymous: boolean;
  channel: string;
  kind: string;
  description: string;
  categoryCode?: string;
  urgency: 'urgent' | 'normal';
  address?: string;
}

type Intake = ApiResponse<'/hotline/tickets', 'POST'>;
interface Point { lon: number; lat: number }
const confidentEnough = 0.3;
const intakeFields = ['callerName', 'callerPhone', 'channel', 'kind', 'description', 'categoryCode', 'urgency', 'address', 'lon', 'lat'];

type KnowledgeEntry = ApiItem<'/hotline/knowledge'>;

/** Knowledge-base answers for a consultation's text (知识库). */
function useKnowledge(text: string | undefined, consultation: boolean) {
  const [answers, setAnswers] = useState<KnowledgeEntry[]>([]);
  useEffect(() => {
    const trimmed = text?.trim() ?? '';
    if (!consultation || trimmed.length < 2) { setAnswers([]); return; }
    let current = true;
    const timer = setTimeout(() => {
      api('GET', `/hotline/knowledge${query({ q: trimmed })}`)
        // Knowledge answers are a help while typing: when they fail to load, none are shown.
        .then(({ items }) => { if (current) setAnswers(items.slice(0, 5)); }, () => { if (current) setAnswers([]); });
    }, 400);
    return () => { current = false; clearTimeout(timer); };
  }, [text, consultation]);
  return answers;
}

/** 受理台: the centre operator takes a call into a ticket, then dispatches it. */
export default function IntakePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<IntakeForm>();
  const description = Form.useWatch('description', form);
  const kind = Form.useWatch('kind', form);
  const categoryCode = Form.useWatch('categoryCode', form);
  const anonymous = Form.useWatch('anonymous', form);
  const address = Form.useWatch('address', form);
  const [categoryChosen, setCategoryChosen] = useState(false);
  const [point, setPoint] = useState<Point>();
  const [duplicates, setDuplicates] = useState<Duplicate[]>([]);
  const [intake, setIntake] = useState<Intake>();
  const { saving, whileSaving } = useSaving();
  // 知识库答复: a consultation answered from this entry is closed as it is filed.
  const [knowledgeId, setKnowledgeId] = useState<number>();
  const suggestion = useSuggestion<Suggestion>('/hotline/suggest', description);
  const knowledge = useKnowledge(description, kind === 'consultation');
  const categories = useLoad(loadCategories, []);
  const departments = useLoad(departmentsInJurisdiction, []);

  // A confident suggestion fills the category until the operator picks one themself; a weak one is only shown.
  useEffect(() => {
    if (!suggestion) return;
    if (!categoryChosen && suggestion.category && suggestion.confidence >= confidentEnough) form.setFieldValue('categoryCode', suggestion.category.code);
    form.setFieldValue('urgency', suggestion.urgency);
  }, [suggestion, categoryChosen, form]);

  useEffect(() => {
    if (!point || !categoryCode) { setDuplicates([]); return; }
    let current = true;
    api('GET', `/hotline/tickets/duplicates${query({ categoryCode, lon: point.lon, lat: point.lat })}`)
      .then(({ items }) => { if (current) setDuplicates(items); }, () => undefined); // a hint only: none shown when it fails
    return () => { current = false; };
  }, [point, categoryCode]);

  const alternatives = suggestion?.alternatives.filter((a) => a.code !== suggestion.category?.code) ?? [];
  // The grid (网格) under the point, so the operator sees where the ticket will be routed before filing.
  const grid = useLoad(() => (point
    ? api<{ grid: { properties: { name: string } } | null }>('GET', `/org/grids/at${query({ lon: point.lon, lat: point.lat })}`).then((r) => r.grid)
    : Promise.resolve(undefined)), [point]);

  const points = useMemo<MapPoint[]>(() => [
    ...duplicates.map((d) => ({ lon: d.lon, lat: d.lat, color: '#fa8c16', title: `${d.number} ${d.description}` })),
    ...(point ? [{ ...point, title: t('hotline.intake.point'), draggable: !intake }] : []),
  ], [duplicates, point, intake, t]);

  const submit = (values: IntakeForm) => whileSaving(async () => {
    const body = { ...values, ...(point ?? {}), anonymous: values.anonymous || undefined,
      callerName: values.anonymous ? undefined : values.callerName || undefined,
      callerPhone: values.anonymous ? undefined : values.callerPhone || undefined, address: values.address || undefined,
      categoryCode: values.categoryCode || undefined, emergency: suggestion?.emergency ? true : undefined,
      knowledgeId: values.kind === 'consultation' ? knowledgeId : undefined };
    const created = await api('POST', '/hotline/tickets', body);
    setIntake(created);
    setDuplicates(created.duplicates);
    void message.success(t('hotline.intake.created', { number: created.number }));
  }, {
    form, fields: intakeFields,
    // A point the city's grids do not hold is the address's problem to the operator, who typed or picked it there.
    onProblem: (error) => {
      if (!(error instanceof ApiProblem && (error.field === 'lon' || error.field === 'lat'))) return false;
      form.setFields([{ name: 'address', errors: [error.title] }]);
      return true;
    },
  });

  const restart = () => {
    form.resetFields();
    setIntake(undefined);
    setPoint(undefined);
    setDuplicates([]);
    setCategoryChosen(false);
    setKnowledgeId(undefined);
  };

  const mergeInto = async (duplicate: Duplicate) => {
    if (!intake) return;
    try {
      await api('POST', '/hotline/tickets/merge', { mainId: duplicate.id, duplicateIds: [intake.id] });
      void message.success(t('hotline.intake.merged', { number: intake.number, main: duplicate.number }));
      navigate(ticketPath(duplicate.id));
    } catch (error) {
      void message.error(problemText(error));
    }
  };

  const departmentName = (id: number | null | undefined) =>
    departments.data?.find((d: Department) => d.id === id)?.name ?? (id ? `#${id}` : t('hotline.intake.noRoute'));

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={13}>
        <Card title={t('hotline.intake.title')} extra={intake && <Button onClick={restart}>{t('hotline.intake.next')}</Button>}>
          {suggestion?.emergency && (
            <Alert type="error" showIcon data-testid="emergency" style={{ marginBottom: 16 }}
              title={t('hotline.intake.emergency', { number: suggestion.transferTo, kind: t(`hotline.emergency.${suggestion.emergency}`) })}
              description={t('hotline.intake.emergencyHint', { words: suggestion.matched.join('、') })} />
          )}
          <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} disabled={!!intake}
            initialValues={{ channel: 'phone', kind: 'complaint', urgency: 'normal', anonymous: false }}>
            <Row gutter={12}>
              <Col xs={24} sm={8}><Form.Item name="callerName" label={t('hotline.field.callerName')}><Input disabled={anonymous} /></Form.Item></Col>
              <Col xs={24} sm={8}><Form.Item name="callerPhone" label={t('hotline.field.callerPhone')}><Input disabled={anonymous} inputMode="tel" /></Form.Item></Col>
              <Col xs={24} sm={8}>
                <Form.Item name="anonymous" label=" " valuePropName="checked"><Checkbox>{t('hotline.field.anonymous')}</Checkbox></Form.Item>
              </Col>
            </Row>
            <Form.Item name="channel" label={t('hotline.field.channel')}>
              <Select options={channels.map((c) => ({ value: c, label: t(`hotline.channel.${c}`) }))} />
            </Form.Item>
            <Form.Item name="kind" label={t('hotline.field.kind')}>
              <Radio.Group optionType="button" options={ticketKinds.map((k) => ({ value: k, label: t(`hotline.kind.${k}`) }))} />
            </Form.Item>
            <Form.Item name="description" label={t('hotline.field.description')} rules={[{ required: true, message: t('hotline.required') }]}>
              <Input.TextArea rows={4} maxLength={4000} showCount />
            </Form.Item>
            {suggestion && (
              <div className="hotline-suggestion" data-testid="suggestion">
                <Typography.Text type="secondary">{t('hotline.intake.suggested')}</Typography.Text>{' '}
                {suggestion.category
                  ? <Tag color={suggestion.confidence >= confidentEnough && !suggestion.uncertain ? 'blue' : 'orange'}>{categoryLabel(suggestion.category.path)} · {Math.round(suggestion.confidence * 100)}%</Tag>
                  : <Tag>{t('hotline.intake.noSuggestion')}</Tag>}
                {suggestion.category && suggestion.uncertain && <Tag color="orange" data-testid="suggestion-uncertain">{t('hotline.intake.uncertain')}</Tag>}
                {/* When the leaf is uncertain, the first level (its confidence summed over its leaves) narrows the choice. */}
                {suggestion.uncertain && suggestion.firstLevel && (
                  <Tag data-testid="suggestion-first-level">{t('hotline.intake.firstLevel')}{suggestion.firstLevel.name} · {Math.round(suggestion.firstLevel.confidence * 100)}%</Tag>
                )}
                <Tag color={suggestion.urgency === 'urgent' ? 'red' : 'default'}>{t(`hotline.urgency.${suggestion.urgency}`)}</Tag>
                {alternatives.length > 0 && (
                  <div>
                    <Typography.Text type="secondary">{t('hotline.intake.alternatives')}</Typography.Text>{' '}
                    {alternatives.map((a) => (
                      <Tag key={a.code} className="hotline-clickable" onClick={() => { setCategoryChosen(true); form.setFieldValue('categoryCode', a.code); }}>
                        {categoryLabel(a.path)} · {Math.round(a.confidence * 100)}%
                      </Tag>
                    ))}
                  </div>
                )}
              </div>
            )}
            <Row gutter={12}>
              <Col xs={24} sm={16}>
                <Form.Item name="categoryCode" label={t('hotline.field.category')} extra={categoryChosen ? t('hotline.intake.chosen') : undefined}>
                  <Select showSearch={{ optionFilterProp: 'label' }} allowClear loading={categories.loading}
                    onChange={() => setCategoryChosen(true)}
                    options={categories.data?.map((c) => ({ value: c.code, label: categoryLabel(c.path) }))} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={8}>
                <Form.Item name="urgency" label={t('hotline.field.urgency')}>
                  <Radio.Group optionType="button" options={(['normal', 'urgent'] as const).map((u) => ({ value: u, label: t(`hotline.urgency.${u}`) }))} />
                </Form.Item>
              </Col>
            </Row>
            {knowledge.length > 0 && (
              <Card size="small" title={t('hotline.intake.knowledge')} style={{ marginBottom: 16 }} data-testid="knowledge">
                <List size="small" dataSource={knowledge} renderItem={(k) => (
                  <List.Item actions={[<Checkbox key="use" checked={knowledgeId === k.id} onChange={(e) => setKnowledgeId(e.target.checked ? k.id : undefined)}>
                    {t('hotline.intake.answerWith')}</Checkbox>]}>
                    <List.Item.Meta title={k.question} description={k.answer} />
                  </List.Item>)} />
              </Card>
            )}
            <Form.Item name="address" label={t('hotline.field.address')}
              extra={point ? (
                <span data-testid="picked-point">
                  {t('hotline.intake.pointAt', { lon: point.lon.toFixed(5), lat: point.lat.toFixed(5) })}
                  {grid.data === null && <Typography.Text type="danger"> · {t('hotline.intake.outsideGrids')}</Typography.Text>}
                  {grid.data && ` · ${grid.data.properties.name}`}
                </span>
              ) : t('hotline.intake.clickMap')}>
              <Input maxLength={200} />
            </Form.Item>
            {!intake && <AddressCheck address={address} point={point} onMove={(lon, lat) => setPoint({ lon, lat })} />}
            {!intake && <Button type="primary" htmlType="submit" loading={saving}>{t('hotline.intake.submit')}</Button>}
          </Form>
        </Card>
      </Col>
      <Col xs={24} xl={11}>
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Card title={t('hotline.intake.map')} styles={{ body: { padding: 0 } }}>
            <CityMap points={points} onPick={intake ? undefined : (lon, lat) => {
              setPoint({ lon, lat });
              form.setFields([{ name: 'address', errors: [] }]);
            }} testId="intake-map" />
          </Card>
          {duplicates.length > 0 && (
            <Card title={t('hotline.intake.duplicates', { count: duplicates.length })} size="small" data-testid="duplicates">
              <List size="small" dataSource={duplicates} renderItem={(d) => (
                <List.Item actions={intake ? [<Button key="merge" size="small" onClick={() => void mergeInto(d)}>{t('hotline.intake.mergeInto')}</Button>] : []}>
                  <List.Item.Meta title={<a onClick={() => navigate(ticketPath(d.id))}>{d.number}</a>}
                    description={`${Math.round(d.distanceMetres)} m · ${d.description}`} />
                </List.Item>)} />
            </Card>
          )}
          {intake && (
            <Card title={t('hotline.intake.result')} data-testid="intake-result">
              <Descriptions column={1} size="small" items={[
                { key: 'number', label: t('hotline.field.number'), children: <Typography.Text strong copyable>{intake.number}</Typography.Text> },
                { key: 'category', label: t('hotline.field.category'), children: categoryLabel(intake.category.path) },
                { key: 'routed', label: t('hotline.intake.routed'), children: departmentName(intake.routedDepartmentId) },
                { key: 'acceptDue', label: t('hotline.deadline.accept'), children: t('hotline.intake.acceptAfterDispatch') },
                { key: 'replyDue', label: t('hotline.deadline.reply'), children: formatTime(intake.deadlines.replyDue) },
                { key: 'resolveDue', label: t('hotline.deadline.resolve'), children: formatTime(intake.deadlines.resolveDue) },
              ]} />
              {intake.state === 'closed' ? <Alert type="success" showIcon title={t('hotline.intake.answered')} /> : <DispatchForm ticket={intake} departments={departments.data} defaultDepartmentId={intake.routedDepartmentId ?? undefined}
                onDone={(ticket) => navigate(ticketPath(ticket.id))} />}
            </Card>
          )}
        </Space>
      </Col>
    </Row>
  );
}

