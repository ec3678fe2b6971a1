import { lazy } from 'react';
import { ApartmentOutlined, CalendarOutlined, SafetyCertificateOutlined, TeamOutlined } from '@ant-design/icons';
import type { WebModule } from '../modules';

const staff = (user: { kind: string }) => user.kind === 'staff';

export const module: WebModule = {
  name: 'kernel',
  pages: [
    { key: 'org', icon: <ApartmentOutlined />, component: lazy(() => import('../pages/OrgPage')), visible: staff },
    { key: 'staff', icon: <TeamOutlined />, component: lazy(() => import('../pages/StaffPage')), visible: staff },
    { key: 'calendar', icon: <CalendarOutlined />, component: lazy(() => import('../pages/CalendarPage')), visible: staff },
    { key: 'ledger', icon: <SafetyCertificateOutlined />, component: lazy(() => import('../pages/LedgerPage')) },
  ],
  publicPages: [{ path: '/signup', component: lazy(() => import('../pages/SignupPage')) }],
};
