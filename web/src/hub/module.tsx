import { lazy } from 'react';
import { AuditOutlined, DatabaseOutlined, FormOutlined, SafetyOutlined } from '@ant-design/icons';
import type { WebModule } from '../modules';

const staff = (user: { kind: string }) => user.kind === 'staff';
const dataOfficer = (user: { roles: string[] }) => user.roles.includes('data_officer') || user.roles.includes('platform_admin');

export const module: WebModule = {
  order: 20,
  pages: [
    { key: 'catalogue', icon: <DatabaseOutlined />, component: lazy(() => import('./CataloguePage')), visible: staff },
    { key: 'hub-register', icon: <FormOutlined />, component: lazy(() => import('./RegisterPage')), visible: dataOfficer },
    { key: 'hub-quality', icon: <SafetyOutlined />, component: lazy(() => import('./QualityPage')), visible: staff },
    { key: 'hub-review', icon: <AuditOutlined />, component: lazy(() => import('./ReviewPage')), visible: dataOfficer },
  ],
};
