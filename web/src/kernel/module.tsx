import { lazy } from 'react';
import { ApartmentOutlined, CalendarOutlined, SafetyCertificateOutlined, TeamOutlined } from '@ant-design/icons';
import type { WebModule } from '../modules';
import { holds } from '../session';

const staff = (user: { kind: string }) => user.kind === 'staff';

export const module: WebModule = {
  name: 'kernel',
  pages: [
    { key: 'org', icon: <ApartmentOutlined />, component: lazy(() => import('../pages/OrgPage')), visible: staff },
    // Only for those who manage accounts: an officer has nothing to do there.
    { key: 'staff', icon: <TeamOutlined />, component: lazy(() => import('../pages/StaffPage')), visible: (user) => holds(user, 'auth.user.manage') },
    { key: 'calendar', icon: <CalendarOutlined />, component: lazy(() => import('../pages/CalendarPage')), visible: staff },
    { key: 'ledger', icon: <SafetyCertificateOutlined />, component: lazy(() => import('../pages/LedgerPage')) },
  ],
  publicPages: [{ path: '/signup', component: lazy(() => import('../pages/SignupPage')) }],
};
