import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Form, Input, Result, Select, Tag, Typography, Upload, type UploadFile } from 'antd';
import { CameraOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, query, type ApiResponse } from '../api';
import { problemText, useSaving } from '../problemFields';
import { navigate } from '../router';
import { useSession } from '../session';
import { useLoad } from '../useLoad';
import { AddressCheck, CityMap, type MapPoint } from '../map';
import { categoryLabel, loadCategories, type PublicDuplicate, type PublicSuggestion } from './model';
import { useSuggestion } from './parts';
import { uploadPhoto } from './photos';

interface ReportValues { description: string; categoryCode?: string; address?: string; contactName?: string; contactPhone?: string; anonymous: boolean; public: boolean }
type Filed = ApiResponse<'/hotline/reports', 'POST'>;

export const statusLink = (number: string, token: string) => `/status${query({ number, token })}`;

/** 我要反映: a citizen's report from a phone, no login needed; answers with the number and a status link. */
export default function ReportPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ReportValues>();
  const categoryCode = Form.useWatch('categoryCode', form);
  const description = Form.useWatch('description', form);
  // 智能分类 as the citizen types: offered, never filled in, so the citizen accepts it or picks another.
  const suggestion = useSuggestion<PublicSuggestion>('/hotline/reports/suggest', description);
  const suggested = suggestion?.category;
  const anonymous = Form.useWatch('anonymous', form);
  const [point, setPoint] = useState<{ lon: number; lat: number }>();
  const [photos, setPhotos] = useState<UploadFile<{ id: string; url: string }>[]>([]);
  const [nearby, setNearby] = useState<PublicDuplicate[]>([]);
  const [filed, setFiled] = useState<Filed>();
  const { saving, whileSaving } = useSaving();
  const categories = useLoad(loadCategories, []);
  const { user } = useSession();
  // A logged-in citizen's name and phone come from the account, still editable (a report about someone else's flat).
  useEffect(() => {
    if (user?.kind !== 'citizen') return;
    let current = true;
    api('GET', '/auth/me/contact').then((contact) => {
      if (!current) return;
      if (!form.getFieldValue('contactName')) form.setFieldValue('contactName', contact.name);
      if (!form.getFieldValue('contactPhone') && contact.phone) form.setFieldValue('contactPhone', contact.phone);
    }, () => undefined); // the form stays empty to fill by hand
    return () => { current = false; };
  }, [user, form]);
  const address = Form.useWatch('address', form);
  const points = useMemo<MapPoint[]>(() => (point ? [{ ...point, draggable: true }] : []), [point]);
  const topLevel = categories.data?.filter((c) => c.path.length <= 2);
  const options = topLevel?.map((c) => ({ value: c.code, label: categoryLabel(c.path) }));
  if (options && suggested && !options.some((o) => o.value === suggested.code)) options.push({ value: suggested.code, label: categoryLabel(suggested.path) });

  // 重复提示: the same problem already reported nearby, before the citizen sends it again.
  useEffect(() => {
    if (!point || !categoryCode) { setNearby([]); return; }
    let current = true;
    api('GET', `/hotline/reports/duplicates${query({ categoryCode, lon: point.lon, lat: point.lat })}`)
      // A hint only: no nearby reports are shown when they fail to load.
      .then(({ items }) => { if (current) setNearby(items); }, () => { if (current) setNearby([]); });
    return () => { current = false; };
  }, [point, categoryCode]);

  const submit = (values: ReportValues) => whileSaving(async () => {
    const body = { description: values.description, categoryCode: values.categoryCode || undefined, address: values.address || undefined,
      ...(point ?? {}), photoIds: photos.flatMap((p) => (p.response ? [p.response.id] : [])), anonymous: values.anonymous, public: values.public,
      contactName: values.anonymous ? undefined : values.contactName || undefined,
      contactPhone: values.anonymous ? undefined : values.contactPhone || undefined, channel: 'web' };
    setFiled(await api('POST', '/hotline/reports', body));
  }, { form, fields: ['description', 'categoryCode', 'address', 'contactName', 'contactPhone', 'photoIds', 'lon', 'lat'] });

  if (filed) {
    const link = statusLink(filed.number, filed.statusToken);
    return (
      <Card className="hotline-narrow">
        <Result status="success" title={t('hotline.report.filed')} data-testid="report-filed"
          subTitle={<>{t('hotline.report.number')} <Typography.Text strong copyable data-testid="report-number">{filed.number}</Typography.Text></>}
          extra={[
            <Button type="primary" key="status" onClick={() => navigate(link)}>{t('hotline.report.viewStatus')}</Button>,
            <Typography.Paragraph key="link" copyable={{ text: `${window.location.origin}${link}` }} type="secondary">{t('hotline.report.keepLink')}</Typography.Paragraph>,
          ]} />
      </Card>
    );
  }

  return (
    <Card title={t('hotline.report.title')} className="hotline-narrow">
      <Typography.Paragraph type="secondary">{t('hotline.report.intro')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ anonymous: false, public: false }}>
        <Form.Item name="description" label={t('hotline.report.text')} rules={[{ required: true, message: t('hotline.required') }]}>
          <Input.TextArea rows={4} maxLength={4000} showCount placeholder={t('hotline.report.textHint')} />
        </Form.Item>
        {suggestion && (
          <div className="hotline-suggestion" data-testid="report-suggestion">
            {suggested && (
              <>
                <Typography.Text type="secondary">{t('hotline.report.suggested')}</Typography.Text>
                <Tag color={suggestion.uncertain ? 'orange' : 'blue'}>{categoryLabel(suggested.path)}</Tag>
                {suggestion.uncertain && <Tag color="orange">{t('hotline.report.uncertain')}</Tag>}
                {categoryCode === suggested.code
                  ? <Tag color="success">{t('hotline.report.accepted')}</Tag>
                  : <Button size="small" onClick={() => form.setFieldValue('categoryCode', suggested.code)}>{t('hotline.report.accept')}</Button>}
              </>
            )}
            {suggestion.urgency === 'urgent' && !suggestion.transferTo && <div><Tag color="red">{t('hotline.report.urgent')}</Tag></div>}
            {suggestion.transferTo && (
              <Alert type="error" showIcon style={{ marginTop: 8 }} title={t('hotline.report.emergency', { number: suggestion.transferTo })} />
            )}
          </div>
        )}
        <Form.Item name="categoryCode" label={t('hotline.field.category')} extra={t('hotline.report.categoryHint')}>
          <Select allowClear showSearch={{ optionFilterProp: 'label' }} loading={categories.loading} options={options} />
        </Form.Item>
        <Form.Item label={t('hotline.report.where')} extra={point ? t('hotline.intake.pointAt', { lon: point.lon.toFixed(5), lat: point.lat.toFixed(5) }) : t('hotline.report.tapMap')}>
          <div className="hotline-map-frame">
            <CityMap points={points} onPick={(lon, lat) => setPoint({ lon, lat })} height={260} testId="report-map" />
          </div>
        </Form.Item>
        <Form.Item name="address" label={t('hotline.field.address')}><Input maxLength={200} placeholder={t('hotline.report.addressHint')} /></Form.Item>
        <AddressCheck address={address} point={point} onMove={(lon, lat) => setPoint({ lon, lat })} />
        {nearby.length > 0 && (
          <Alert type="info" showIcon style={{ marginBottom: 16 }} data-testid="nearby"
            title={t('hotline.report.nearby', { count: nearby.length })}
            description={nearby.slice(0, 3).map((d) => t('hotline.report.nearbyItem', { number: d.number, metres: d.distanceMetres, date: d.receivedDate })).join(t('hotline.report.listSeparator'))} />
        )}
        <Form.Item label={t('hotline.report.photos')} name="photoIds">
          <Upload<{ id: string; url: string }> listType="picture-card" accept="image/*" maxCount={4} fileList={photos}
            onChange={({ fileList }) => setPhotos(fileList)}
            customRequest={({ file, onSuccess, onError }) => {
              uploadPhoto(file as File).then((r) => onSuccess?.(r), (e: unknown) => {
                void message.error(problemText(e));
                onError?.(e as Error);
              });
            }}>
            {photos.length < 4 && <div><CameraOutlined /><div>{t('hotline.report.addPhoto')}</div></div>}
          </Upload>
        </Form.Item>
        <Form.Item name="anonymous" valuePropName="checked"><Checkbox>{t('hotline.report.anonymous')}</Checkbox></Form.Item>
        <Form.Item name="public" valuePropName="checked" extra={t('hotline.report.publicHelp')}>
          <Checkbox data-testid="report-public">{t('hotline.report.public')}</Checkbox>
        </Form.Item>
        {!anonymous && (
          <>
            <Form.Item name="contactName" label={t('hotline.report.name')}><Input maxLength={40} autoComplete="name" /></Form.Item>
            <Form.Item name="contactPhone" label={t('hotline.report.phone')}><Input maxLength={20} inputMode="tel" autoComplete="tel" /></Form.Item>
          </>
        )}
        <Button type="primary" htmlType="submit" block size="large" loading={saving}>{t('hotline.report.submit')}</Button>
      </Form>
    </Card>
  );
}
