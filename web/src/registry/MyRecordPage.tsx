import { useState } from 'react';
import { Alert, App, Button, Card, Empty, Form, Input, Modal, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, type ApiResponse } from '../api';
import { chinaTime } from '../exchange/format';
import { useLoad } from '../useLoad';
import { Certificates } from './Certificates';
import { fieldLabel } from './common';
import { problemText } from '../problemFields';

type MyField = ApiResponse<'/registry/my/record'>['fields'][number];

/** 我的档案: my own record in the base library, each field with the department it came from, and 纠错. */
export default function MyRecordPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const record = useLoad(() => api('GET', '/registry/my/record'), []);
  const [correcting, setCorrecting] = useState<MyField>();
  const [form] = Form.useForm<{ description: string }>();

  async function submit() {
    const { description } = await form.validateFields();
    try {
      await api('POST', '/registry/my/corrections', { field: correcting!.field, description });
      void message.success(t('registry.correctionSent', { department: correcting!.providerName }));
      setCorrecting(undefined);
      form.resetFields();
      record.reload();
    } catch (error) {
      void message.error(problemText(error));
    }
  }

  const fields = record.data?.fields ?? [];
  return (
    <Card title={t('registry.myTitle')}>
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('registry.myExplain')} />
      {fields.length === 0 && !record.loading ? <Empty description={t('registry.myEmpty')} /> : (
        <Table size="small" pagination={false} rowKey="field" loading={record.loading} dataSource={fields} scroll={{ x: 640 }} data-testid="my-record" columns={[
          { title: t('registry.field'), key: 'f', width: 120, render: (_: unknown, f: MyField) => fieldLabel(t, 'people', f.field) },
          { title: t('registry.value'), key: 'v', dataIndex: 'value' },
          { title: t('registry.fromDepartment'), key: 's', render: (_: unknown, f: MyField) => (
            <span>{f.providerName}<br /><Typography.Text type="secondary">{f.sourceName} · {chinaTime(f.at, i18n.language)}</Typography.Text></span>) },
          { title: '', key: 'a', width: 200, render: (_: unknown, f: MyField) => f.correction
            ? <Tag color="processing">{t('registry.correctionPending', { due: chinaTime(f.correction.dueAt, i18n.language) })}</Tag>
            : <Button size="small" onClick={() => setCorrecting(f)}>{t('registry.correct')}</Button> },
        ]} />)}
      {record.data?.entityId && (
        <>
          <Typography.Title level={5} style={{ marginTop: 24 }}>{t('registry.certificates')}</Typography.Title>
          <Certificates certificates={record.data.certificates} />
        </>
      )}
      <Modal open={correcting !== undefined} title={correcting && t('registry.correctTitle', { field: fieldLabel(t, 'people', correcting.field) })}
        onCancel={() => setCorrecting(undefined)} onOk={() => void submit()} okText={t('registry.send')}>
        {correcting && <Typography.Paragraph>{t('registry.correctExplain', { department: correcting.providerName, value: correcting.value })}</Typography.Paragraph>}
        <Form form={form} layout="vertical">
          <Form.Item name="description" label={t('registry.whatIsWrong')} rules={[{ required: true, min: 2, message: t('registry.describe') }]}>
            <Input.TextArea rows={3} maxLength={1000} data-testid="correction-text" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
