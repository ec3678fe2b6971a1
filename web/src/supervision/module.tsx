import { lazy } from 'react';
import { FlagOutlined, OrderedListOutlined, TrophyOutlined } from '@ant-design/icons';
import type { WebModule } from '../modules';
import { staffHolding as holds } from '../session';

/** 七张问题清单 and 督考: the problem board and page, supervision tasks, and the monthly ranking of departments. */
export const module: WebModule = {
  name: 'supervision',
  pages: [
    { key: 'problems', icon: <FlagOutlined />, component: lazy(() => import('./ProblemsPage')), visible: holds('supervision.problem.read') },
    { key: 'supervision-tasks', icon: <OrderedListOutlined />, component: lazy(() => import('./TasksPage')), visible: holds('supervision.task.read') },
    { key: 'supervision-scores', icon: <TrophyOutlined />, component: lazy(() => import('./ScoresPage')), visible: holds('supervision.score.read') },
  ],
};
