import { lazy } from 'react';
import { AuditOutlined, BarChartOutlined, FormOutlined, PhoneOutlined, ProfileOutlined, UnorderedListOutlined } from '@ant-design/icons';
import type { WebModule } from '../modules';
import { staffHolding as holds } from '../session';

/** The 12345 hotline: the centre's intake, review and callback desks, the departments' queue, metrics for the centre and overseers, and citizens' reports. */
export const module: WebModule = {
  name: 'hotline',
  pages: [
    { key: 'hotline-intake', icon: <PhoneOutlined />, component: lazy(() => import('./IntakePage')), visible: holds('hotline.ticket.intake') },
    { key: 'hotline-queue', icon: <UnorderedListOutlined />, component: lazy(() => import('./QueuePage')), visible: holds('hotline.ticket.read') },
    { key: 'hotline-review', icon: <AuditOutlined />, component: lazy(() => import('./ReviewPage')), visible: holds('hotline.ticket.dispatch') },
    { key: 'hotline-callback', icon: <ProfileOutlined />, component: lazy(() => import('./CallbackPage')), visible: holds('hotline.ticket.callback') },
    { key: 'hotline-metrics', icon: <BarChartOutlined />, component: lazy(() => import('./MetricsPage')), visible: holds('hotline.metrics.read') },
    { key: 'hotline-mine', icon: <FormOutlined />, component: lazy(() => import('./MyReportsPage')), visible: (user) => user.kind === 'citizen' },
  ],
  publicPages: [
    { path: '/report', component: lazy(() => import('./ReportPage')) },
    { path: '/status', component: lazy(() => import('./StatusPage')) },
  ],
};
