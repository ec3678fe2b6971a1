import { lazy } from 'react';
import { AuditOutlined } from '@ant-design/icons';
import type { WebModule } from '../modules';
import { staffHolding as holds } from '../session';

/** 行政处罚: cases from 立案 to 决定, and the items' discretion standards. */
export const module: WebModule = {
  name: 'penalties',
  pages: [{ key: 'penalties', icon: <AuditOutlined />, component: lazy(() => import('./PenaltiesPage')), visible: holds('penalties.case.read') }],
};
