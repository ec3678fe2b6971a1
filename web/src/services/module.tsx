import { lazy } from 'react';
import { AuditOutlined, FileSearchOutlined, GiftOutlined, LikeOutlined, SolutionOutlined } from '@ant-design/icons';
import type { WebModule } from '../modules';
import { holding as holds } from '../session';

export const module: WebModule = {
  name: 'services',
  pages: [
    { key: 'my-services', icon: <SolutionOutlined />, component: lazy(() => import('./MyServicesPage')), visible: holds('services.application.apply') },
    { key: 'service-queue', icon: <AuditOutlined />, component: lazy(() => import('./QueuePage')), visible: holds('services.application.read') },
    { key: 'service-items', icon: <FileSearchOutlined />, component: lazy(() => import('./ItemsAdminPage')), visible: holds('services.item.manage') },
    { key: 'service-policies', icon: <GiftOutlined />, component: lazy(() => import('./PoliciesPage')), visible: holds('services.policy.manage') },
    { key: 'service-ratings', icon: <LikeOutlined />, component: lazy(() => import('./RatingsPage')), visible: holds('services.rating.read') },
  ],
  publicPages: [{ path: '/services', component: lazy(() => import('./PortalPage')) }],
};
