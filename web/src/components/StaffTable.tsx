import { useState } from 'react';
import { App, Button, Space, Table, Tag } from 'antd';
import { EditOutlined, KeyOutlined, UnlockOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { problemText } from '../problemFields';
import { departmentLabel, listStaff, type Department, type StaffMember } from '../org';
import { roleColor } from '../roles';
import { useLoad } from '../useLoad';
import { PasswordForm, StaffForm } from './StaffForms';

const pageSize = 20;

/** Staff within the user's jurisdiction, filtered by department and search text, with edit, password and unlock buttons where allowed. */
export function StaffTable({ departmentId, q, departments, generation = 0 }: {
  departmentId?: number;
  q?: string;
  departments: Department[] | undefined;
  /** Bumped by the parent after it adds someone, to reload. */
  generation?: number;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const [filterKey, setFilterKey] = useState(`${departmentId}|${q}`);
  // A new filter starts again at page 1.
  if (filterKey !== `${departmentId}|${q}`) {
    setFilterKey(`${departmentId}|${q}`);
    setPage(1);
  }
  const staff = useLoad(() => listStaff({ departmentId, q: q || undefined, limit: pageSize, offset: (page - 1) * pageSize }),
    [departmentId, q, page, generation]);
  const [editing, setEditing] = useState<StaffMember | null>(null);
  const [resetting, setResetting] = useState<StaffMember | null>(null);
  const departmentName = new Map(departments?.map((d) => [d.id, departmentLabel(d)]));

  async function unlock(member: StaffMember) {
    try {
      await api('POST', `/users/${member.id}/unlock`);
      void message.success(t('staff.unlocked', { name: member.displayName }));
      staff.reload();
    } catch (error) {
      void message.error(problemText(error));
    }
  }

  return (
    <>
      <Table<StaffMember>
        rowKey="id"
        size="small"
        loading={staff.loading}
        dataSource={staff.data?.items}
        scroll={{ x: 1100 }}
        pagination={{ current: page, pageSize, total: staff.data?.total ?? 0, onChange: setPage, showSizeChanger: false,
          showTotal: (total) => t('common.total', { total }) }}
        columns={[
          { title: t('staff.displayName'), dataIndex: 'displayName', width: 110, fixed: 'left' },
          { title: t('staff.username'), dataIndex: 'username', width: 150, render: (v: string) => <span className="mono">{v}</span> },
          { title: t('staff.department'), dataIndex: 'departmentId', width: 240, render: (id: number) => departmentName.get(id) ?? id },
          { title: t('staff.roles'), dataIndex: 'roles', width: 190,
            render: (roles: StaffMember['roles']) => roles.map((role) => <Tag key={role} color={roleColor[role]}>{t(`roles.${role}`)}</Tag>) },
          { title: t('staff.status'), key: 'status', width: 90,
            render: (_, m) => m.disabled ? <Tag>{t('staff.statusDisabled')}</Tag>
              : m.locked ? <Tag color="warning">{t('staff.statusLocked')}</Tag>
              : <Tag color="success">{t('staff.statusActive')}</Tag> },
          { title: t('common.actions'), key: 'actions', width: 320,
            render: (_, m) => (
              <Space size={4}>
                {m.abilities.edit && <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(m)}>{t('common.edit')}</Button>}
                {m.abilities.resetPassword && <Button size="small" icon={<KeyOutlined />} onClick={() => setResetting(m)}>{t('staff.resetPassword')}</Button>}
                {m.locked && m.abilities.unlock && <Button size="small" icon={<UnlockOutlined />} onClick={() => void unlock(m)}>{t('staff.unlock')}</Button>}
              </Space>
            ) },
        ]}
      />
      {editing && <StaffForm member={editing} departments={departments} onClose={() => setEditing(null)}
        onSaved={() => { setEditing(null); staff.reload(); }} />}
      {resetting && <PasswordForm member={resetting} onClose={() => setResetting(null)} />}
    </>
  );
}
