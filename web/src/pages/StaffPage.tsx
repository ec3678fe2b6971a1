import { useState } from 'react';
import { Button, Card, Flex, Input } from 'antd';
import { UserAddOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { DepartmentSelect } from '../components/DepartmentSelect';
import { StaffForm } from '../components/StaffForms';
import { StaffTable } from '../components/StaffTable';
import { departmentsInJurisdiction } from '../org';
import { useSession } from '../session';
import { useLoad } from '../useLoad';

/** 人员管理: staff of the user's jurisdiction; admins add, edit and reset passwords. */
export default function StaffPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const departments = useLoad(departmentsInJurisdiction, []);
  const [departmentId, setDepartmentId] = useState<number>();
  const [q, setQ] = useState('');
  const [creating, setCreating] = useState(false);
  const [generation, setGeneration] = useState(0);

  return (
    <Card
      title={t('staff.title')}
      extra={can('auth.user.manage') && <Button type="primary" icon={<UserAddOutlined />} onClick={() => setCreating(true)}>{t('staff.create')}</Button>}
    >
      <Flex wrap gap={8} style={{ marginBottom: 16 }}>
        <Input.Search allowClear placeholder={t('staff.searchPlaceholder')} onSearch={setQ} style={{ width: 260, maxWidth: '100%' }} />
        <DepartmentSelect departments={departments.data} value={departmentId} onChange={setDepartmentId} allowClear
          placeholder={t('staff.allDepartments')} style={{ width: 320, maxWidth: '100%' }} />
      </Flex>
      <StaffTable departmentId={departmentId} q={q} departments={departments.data} generation={generation} />
      {creating && (
        <StaffForm departments={departments.data} defaultDepartmentId={departmentId} onClose={() => setCreating(false)}
          onSaved={() => { setCreating(false); setGeneration((g) => g + 1); }} />
      )}
    </Card>
  );
}
