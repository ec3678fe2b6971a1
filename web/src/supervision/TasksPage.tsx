import { useState } from 'react';
import { App, Button, Card, Col, Flex, Form, Input, InputNumber, Modal, Progress, Row, Space, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, query, type ApiItem } from '../api';
import { useSaving } from '../problemFields';
import { DepartmentSelect } from '../components/DepartmentSelect';
import { departmentsInJurisdiction } from '../org';
import { navigate, usePath } from '../router';
import { useSession } from '../session';
import { useLoad } from '../useLoad';
import TaskPage from './TaskPage';
import { Due, StateTag } from './shared';
import './supervision.css';

type Task = ApiItem<'/supervision/tasks'>;

/** 督办事项: the tasks the caller may see, open first by deadline; the 督查室 assigns new ones here. */
export default function TasksPage() {
  const path = usePath();
  const id = Number(path.split('/')[2]);
  return Number.isInteger(id) && id > 0 ? <TaskPage id={id} /> : <TaskList />;
}

function TaskList() {
  const { t } = useTranslation();
  const { can } = useSession();
  const [assigning, setAssigning] = useState(false);
  const tasks = useLoad(() => api('GET', `/supervision/tasks${query({ limit: 200 })}`), []);
  return (
    <Card size="small" title={t('supervision.tasks.title')} extra={can('supervision.task.assign') &&
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setAssigning(true)}>{t('supervision.tasks.assign')}</Button>}>
      <Table<Task> rowKey="id" size="small" loading={tasks.loading} dataSource={tasks.data?.items ?? []} pagination={{ pageSize: 20 }} scroll={{ x: 960 }}
        rowClassName={(x) => (x.overdue ? 'supervision-overdue-row' : '')}
        onRow={(x) => ({ onClick: () => navigate(`/supervision-tasks/${x.id}`), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('supervision.problem.number'), dataIndex: 'number', render: (v: string) => <span className="mono" style={{ whiteSpace: 'nowrap' }}>{v}</span> },
          { title: t('supervision.tasks.name'), dataIndex: 'title', render: (v: string, x) => <Flex gap={4} wrap>{v}{x.escalatedAt && <Tag color="error">{t('supervision.tasks.escalated')}</Tag>}</Flex> },
          { title: t('supervision.problem.department'), render: (_, x) => x.department.name },
          { title: t('supervision.problem.state'), dataIndex: 'state', render: (v: string) => <StateTag state={v} of="task" /> },
          { title: t('supervision.tasks.progress'), dataIndex: 'progress', render: (v: number) => <Progress percent={v} size="small" style={{ minWidth: 100 }} /> },
          { title: t('supervision.tasks.due'), render: (_, x) => <Due due={x.due} overdue={x.overdue} /> },
        ]} />
      {assigning && <AssignForm onClose={() => setAssigning(false)} onDone={(x) => { setAssigning(false); navigate(`/supervision-tasks/${x.id}`); }} />}
    </Card>
  );
}

interface AssignValues { title: string; detail: string; departmentId: number; dueDays: number; milestones: { title: string; dueDays: number }[] }

function AssignForm({ onClose, onDone }: { onClose: () => void; onDone: (task: Task) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<AssignValues>();
  const departments = useLoad(departmentsInJurisdiction, []);
  const { saving, whileSaving } = useSaving();
  const save = (values: AssignValues) => whileSaving(async () => {
    onDone(await api('POST', '/supervision/tasks', { ...values, milestones: values.milestones ?? [] }));
    void message.success(t('supervision.done'));
  });
  return (
    <Modal open title={t('supervision.tasks.assign')} onCancel={onClose} onOk={() => form.submit()} okText={t('supervision.tasks.assignOk')} confirmLoading={saving} width={640}>
      <Form form={form} layout="vertical" initialValues={{ dueDays: 15, milestones: [] }} onFinish={(v) => void save(v)}>
        <Form.Item name="title" label={t('supervision.tasks.name')} rules={[{ required: true }]}><Input maxLength={200} /></Form.Item>
        <Form.Item name="detail" label={t('supervision.tasks.detail')} rules={[{ required: true }]}><Input.TextArea rows={3} maxLength={4000} /></Form.Item>
        <Row gutter={12}>
          <Col xs={24} md={14}><Form.Item name="departmentId" label={t('supervision.problem.department')} rules={[{ required: true }]}><DepartmentSelect departments={departments.data} /></Form.Item></Col>
          <Col xs={24} md={10}><Form.Item name="dueDays" label={t('supervision.tasks.dueDays')} rules={[{ required: true }]}><InputNumber min={1} max={250} style={{ width: '100%' }} /></Form.Item></Col>
        </Row>
        <Form.List name="milestones">{(fields, { add, remove }) => (
          <Space orientation="vertical" style={{ width: '100%' }}>
            {fields.map((field, i) => (
              <Flex key={field.key} gap={8} align="start">
                <Form.Item name={[field.name, 'title']} rules={[{ required: true }]} style={{ flex: 1, marginBottom: 0 }}><Input aria-label={t('supervision.tasks.milestone', { n: i + 1 })} placeholder={t('supervision.tasks.milestone', { n: i + 1 })} /></Form.Item>
                <Form.Item name={[field.name, 'dueDays']} rules={[{ required: true }]} style={{ marginBottom: 0 }}><InputNumber min={1} max={250} aria-label={t('supervision.tasks.milestoneDays')} placeholder={t('supervision.tasks.milestoneDays')} /></Form.Item>
                <Button onClick={() => remove(field.name)}>{t('supervision.remove')}</Button>
              </Flex>
            ))}
            {fields.length < 10 && <Button onClick={() => add({ title: '', dueDays: 5 })}>{t('supervision.tasks.addMilestone')}</Button>}
          </Space>
        )}</Form.List>
      </Form>
    </Modal>
  );
}
