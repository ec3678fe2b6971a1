import { useEffect, useState } from 'react';
import {
  App, Button, Card, Col, Descriptions, Dropdown, Empty, Flex, Form, Grid, Input, Modal, Row, Space, Spin, Table, Tag, Tree, Typography, Upload,
} from 'antd';
import type { TreeDataNode } from 'antd';
import { DownloadOutlined, PlusOutlined, UploadOutlined, UserAddOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiProblem, apiCsv, query } from '../api';
import { StaffForm } from '../components/StaffForms';
import { StaffTable } from '../components/StaffTable';
import { departmentsInJurisdiction, type Department, type Division } from '../org';
import { problemText, showProblemOnField } from '../problemFields';
import { useSession } from '../session';
import { useLoad } from '../useLoad';

/** Replaces the children of the node `code` anywhere in the tree. */
function withChildren(nodes: Division[], code: string, children: Division[]): Division[] {
  return nodes.map((node) => node.code === code
    ? { ...node, children, childCount: children.length }
    : node.children ? { ...node, children: withChildren(node.children, code, children) } : node);
}

function findDivision(nodes: Division[] | undefined, code: string): Division | undefined {
  for (const node of nodes ?? []) {
    if (node.code === code) return node;
    const found = findDivision(node.children, code);
    if (found) return found;
  }
  return undefined;
}

/** Codes from the top down to the first division inside the jurisdiction, which opens expanded. */
function initialExpansion(nodes: Division[]): { expanded: string[]; first?: Division } {
  const expanded: string[] = [];
  let level = nodes;
  while (level.length > 0) {
    const inside = level.find((n) => n.withinJurisdiction);
    if (inside) return { expanded: [...expanded, inside.code], first: inside };
    expanded.push(...level.map((n) => n.code));
    level = level.flatMap((n) => n.children ?? []);
  }
  return { expanded };
}

/** 组织机构: the division tree of the user's jurisdiction, a division's departments, and a department's staff. */
export default function OrgPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const [tree, setTree] = useState<Division[]>();
  const [expanded, setExpanded] = useState<string[]>([]);
  const [selectedCode, setSelectedCode] = useState<string>();
  const [department, setDepartment] = useState<Department>();
  const [adding, setAdding] = useState<'division' | 'department' | null>(null);
  const [addingStaff, setAddingStaff] = useState(false);
  // An import may change the whole tree; adding a department or a staff member changes only the lists.
  const [treeGeneration, setTreeGeneration] = useState(0);
  const [listGeneration, setListGeneration] = useState(0);

  const top = useLoad(() => api('GET', `/org/divisions/tree${query({ depth: 1 })}`), [treeGeneration]);
  useEffect(() => {
    if (!top.data) return;
    setTree(top.data.items);
    const { expanded: open, first } = initialExpansion(top.data.items);
    setExpanded(open);
    setSelectedCode((code) => (code && findDivision(top.data!.items, code) ? code : first?.code));
  }, [top.data]);

  const selected = selectedCode ? findDivision(tree, selectedCode) : undefined;
  // Beside the title on wide screens; on phones the buttons get their own line.
  const buttonsBesideTitle = Grid.useBreakpoint().md !== false;
  const departments = useLoad(async () => selectedCode
    ? (await api('GET', `/org/departments${query({ divisionCode: selectedCode, limit: 1000 })}`)).items
    : [], [selectedCode, treeGeneration, listGeneration]);
  const allDepartments = useLoad(departmentsInJurisdiction, [treeGeneration, listGeneration]);

  async function loadChildren(code: string) {
    const { items } = await api('GET', `/org/divisions${query({ parent: code })}`);
    setTree((nodes) => nodes && withChildren(nodes, code, items));
  }

  const toTreeData = (nodes: Division[]): TreeDataNode[] => nodes.map((node) => ({
    key: node.code,
    selectable: node.withinJurisdiction,
    isLeaf: node.childCount === 0,
    title: (
      <span className={node.withinJurisdiction ? undefined : 'org-tree-outside'} title={node.withinJurisdiction ? undefined : t('org.outsideJurisdiction')}>
        {node.name}
        {node.withinJurisdiction && node.totalStaff > 0 && <Typography.Text type="secondary"> · {node.totalStaff}</Typography.Text>}
      </span>
    ),
    // Children that came with the tree; the rest load when the node opens.
    children: node.children && node.children.length === node.childCount ? toTreeData(node.children) : undefined,
  }));

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={8} xxl={6}>
        <Card title={t('org.tree')} extra={<TransferMenu onImported={() => setTreeGeneration((g) => g + 1)} />}
          styles={{ body: { padding: 12, maxHeight: 'calc(100vh - 180px)', overflow: 'auto' } }}>
          {tree ? (
            <Tree
              blockNode
              treeData={toTreeData(tree)}
              expandedKeys={expanded}
              onExpand={(keys) => setExpanded(keys.map(String))}
              selectedKeys={selectedCode ? [selectedCode] : []}
              onSelect={(keys) => {
                if (keys.length === 0) return;
                setSelectedCode(String(keys[0]));
                setDepartment(undefined);
              }}
              loadData={(node) => loadChildren(String(node.key))}
            />
          ) : <Spin />}
        </Card>
      </Col>
      <Col xs={24} lg={16} xxl={18}>
        {!selected ? <Card><Empty description={t('org.pickDivision')} /></Card> : (
          <Flex vertical gap={16}>
            <Card
              title={<Space wrap>{selected.name}<Tag>{t(`org.levels.${selected.level}`)}</Tag>{selected.generated && <Tag color="gold">{t('org.generated')}</Tag>}</Space>}
              extra={buttonsBesideTitle && <DivisionButtons division={selected} onAdd={setAdding} />}
            >
              {!buttonsBesideTitle && <div style={{ marginBottom: 12 }}><DivisionButtons division={selected} onAdd={setAdding} /></div>}
              <Descriptions size="small" column={{ xs: 1, sm: 2, xl: 4 }}>
                <Descriptions.Item label={t('org.code')}><span className="mono">{selected.code}</span></Descriptions.Item>
                <Descriptions.Item label={t('org.childCount')}>{selected.childCount}</Descriptions.Item>
                <Descriptions.Item label={t('org.departmentCount')}>{selected.departmentCount}</Descriptions.Item>
                <Descriptions.Item label={t('org.totals')}>
                  {t('org.totalsValue', { departments: selected.totalDepartments, staff: selected.totalStaff })}
                </Descriptions.Item>
              </Descriptions>
              <Typography.Title level={5}>{t('org.departments', { name: selected.name })}</Typography.Title>
              <Table<Department>
                rowKey="id"
                size="small"
                loading={departments.loading}
                dataSource={departments.data}
                locale={{ emptyText: t('org.noDepartments') }}
                pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
                scroll={{ x: 520 }}
                rowClassName={(d) => (d.id === department?.id ? 'ant-table-row-selected' : '')}
                onRow={(d) => ({ onClick: () => setDepartment(d), style: { cursor: 'pointer' } })}
                columns={[
                  { title: t('org.departmentName'), dataIndex: 'name', render: (name: string) => <a>{name}</a> },
                  { title: t('org.shortName'), dataIndex: 'shortName', width: 150, render: (v: string | null, d) => (v && v !== d.name ? v : '—') },
                  { title: t('org.departmentCode'), dataIndex: 'code', width: 130, render: (v: string) => <span className="mono">{v}</span> },
                  { title: t('org.staffCount'), dataIndex: 'staffCount', width: 70, align: 'right' },
                ]}
              />
            </Card>
            {department && (
              <Card title={t('org.staffOf', { name: department.name })}
                extra={can('auth.user.manage') && <Button icon={<UserAddOutlined />} onClick={() => setAddingStaff(true)}>{t('staff.create')}</Button>}>
                <StaffTable departmentId={department.id} departments={allDepartments.data} generation={listGeneration} />
              </Card>
            )}
          </Flex>
        )}
      </Col>
      {adding === 'division' && selected && (
        <DivisionForm parent={selected} onClose={() => setAdding(null)}
          onSaved={() => { setAdding(null); void loadChildren(selected.code); setExpanded((keys) => [...new Set([...keys, selected.code])]); }} />
      )}
      {adding === 'department' && selected && (
        <DepartmentForm division={selected} onClose={() => setAdding(null)}
          onSaved={() => { setAdding(null); setListGeneration((g) => g + 1); }} />
      )}
      {addingStaff && department && (
        <StaffForm departments={allDepartments.data} defaultDepartmentId={department.id} onClose={() => setAddingStaff(false)}
          onSaved={() => { setAddingStaff(false); setListGeneration((g) => g + 1); }} />
      )}
    </Row>
  );
}

function DivisionButtons({ division, onAdd }: { division: Division; onAdd: (what: 'division' | 'department') => void }) {
  const { t } = useTranslation();
  return (
    <Space wrap>
      {division.abilities.addChild && <Button icon={<PlusOutlined />} onClick={() => onAdd('division')}>{t('org.addDivision')}</Button>}
      {division.abilities.addDepartment && <Button icon={<PlusOutlined />} onClick={() => onAdd('department')}>{t('org.addDepartment')}</Button>}
    </Space>
  );
}

/** Runs a create request from a modal form; field errors go under the field, others to a message. */
function useCreate<V>(fields: string[], send: (values: V) => Promise<{ name: string }>, onSaved: () => void) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<V>();
  const [busy, setBusy] = useState(false);
  async function submit(values: V) {
    setBusy(true);
    try {
      const created = await send(values);
      void message.success(t('org.created', { name: created.name }));
      onSaved();
    } catch (error) {
      if (!showProblemOnField(form, error, fields)) void message.error(problemText(error));
    } finally {
      setBusy(false);
    }
  }
  return { form, busy, submit };
}

function DivisionForm({ parent, onClose, onSaved }: { parent: Division; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { form, busy, submit } = useCreate<{ code: string; name: string }>(['code', 'name', 'parentCode'],
    (values) => api('POST', '/org/divisions', { ...values, parentCode: parent.code }), onSaved);
  return (
    <Modal open title={`${t('org.addDivision')} · ${parent.name}`} onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy}
      okText={t('common.save')} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(values) => void submit(values)}>
        <Form.Item name="code" label={t('org.code')} extra={t('org.divisionCodeRule', { parent: `${parent.name} ${parent.code}` })}
          rules={[{ required: true, message: t('org.divisionCodeRequired') }]}>
          <Input className="mono" maxLength={12} inputMode="numeric" />
        </Form.Item>
        <Form.Item name="name" label={t('org.divisionName')} rules={[{ required: true, whitespace: true, message: t('org.nameRequired') }]}>
          <Input maxLength={60} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function DepartmentForm({ division, onClose, onSaved }: { division: Division; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { form, busy, submit } = useCreate<{ code: string; name: string; shortName?: string; kind?: string }>(
    ['code', 'name', 'shortName', 'kind', 'divisionCode'],
    (values) => api('POST', '/org/departments', {
      code: values.code, name: values.name, divisionCode: division.code,
      ...(values.shortName ? { shortName: values.shortName } : {}), ...(values.kind ? { kind: values.kind } : {}),
    }), onSaved);
  return (
    <Modal open title={`${t('org.addDepartment')} · ${division.name}`} onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy}
      okText={t('common.save')} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(values) => void submit(values)}>
        <Form.Item name="name" label={t('org.departmentName')} rules={[{ required: true, whitespace: true, message: t('org.nameRequired') }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="shortName" label={t('org.shortName')}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="code" label={t('org.departmentCode')} extra={t('org.departmentCodeRule')}
          rules={[{ required: true, message: t('org.departmentCodeRequired') }]}>
          <Input className="mono" maxLength={40} />
        </Form.Item>
        <Form.Item name="kind" label={t('org.kind')} extra={t('org.kindRule')}>
          <Input className="mono" maxLength={40} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface ImportReport {
  total: number;
  created: number;
  failed: number;
  errors: { row: number; field: string; code: string; message: string }[];
}

/** CSV export for anyone who reads the organisation; import for those who manage divisions or departments. */
function TransferMenu({ onImported }: { onImported: () => void }) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const { can } = useSession();

  async function importFile(kind: 'divisions' | 'departments', file: File) {
    try {
      const report = await apiCsv<ImportReport>(`/org/${kind}/import`, await file.text());
      modal.info({
        title: t('org.importReport', { total: report.total, created: report.created, failed: report.failed }),
        width: 640,
        content: report.errors.length > 0 && (
          <Table size="small" rowKey={(e) => `${e.row}-${e.field}`} dataSource={report.errors} pagination={{ pageSize: 8, hideOnSinglePage: true }}
            columns={[
              { title: '#', dataIndex: 'row', width: 70, render: (row: number) => t('org.importRow', { row }) },
              { title: t('org.importField'), dataIndex: 'field', width: 110, render: (v: string) => <span className="mono">{v}</span> },
              { title: t('org.importReason'), dataIndex: 'message' },
            ]} />
        ),
      });
      if (report.created > 0) onImported();
    } catch (error) {
      void message.error(error instanceof ApiProblem ? `${error.title}${error.detail ? `: ${error.detail}` : ''}` : String(error));
    }
  }

  const importItem = (kind: 'divisions' | 'departments', label: string) => ({
    key: `import-${kind}`,
    icon: <UploadOutlined />,
    label: (
      <Upload accept=".csv,text/csv" showUploadList={false} beforeUpload={(file) => { void importFile(kind, file); return false; }}>
        {label}
      </Upload>
    ),
  });

  return (
    <Dropdown trigger={['click']} menu={{
      items: [
        { key: 'export-divisions', icon: <DownloadOutlined />, label: <a href="/api/v1/org/divisions/export?format=csv" download>{t('org.exportDivisions')}</a> },
        { key: 'export-departments', icon: <DownloadOutlined />, label: <a href="/api/v1/org/departments/export?format=csv" download>{t('org.exportDepartments')}</a> },
        ...(can('org.division.manage') ? [importItem('divisions', t('org.importDivisions'))] : []),
        ...(can('org.department.manage') ? [importItem('departments', t('org.importDepartments'))] : []),
      ],
    }}>
      <Button size="small">{t('org.importExport')}</Button>
    </Dropdown>
  );
}
