import { lazy } from 'react';
import { ApartmentOutlined, AuditOutlined, IdcardOutlined, LineChartOutlined, SolutionOutlined } from '@ant-design/icons';
import type { WebModule } from '../modules';
import { staffHolding as has } from '../session';

/** 基础库: sources and loads, clerical review, golden records, quality, and the citizen's own record. */
export const module: WebModule = {
  name: 'registry',
  pages: [
    { key: 'registry-sources', icon: <ApartmentOutlined />, component: lazy(() => import('./SourcesPage')), visible: has('registry.source.manage') },
    { key: 'registry-review', icon: <AuditOutlined />, component: lazy(() => import('./ReviewPage')), visible: has('registry.pair.review') },
    { key: 'registry-records', icon: <SolutionOutlined />, component: lazy(() => import('./RecordsPage')), visible: has('registry.record.read') },
    { key: 'registry-quality', icon: <LineChartOutlined />, component: lazy(() => import('./QualityPage')), visible: has('registry.quality.read') },
    { key: 'my-record', icon: <IdcardOutlined />, component: lazy(() => import('./MyRecordPage')), visible: (user) => user.kind === 'citizen' },
  ],
};
