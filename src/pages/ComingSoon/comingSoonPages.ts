import type { IconName } from '@grafana/data';
import { ROUTES } from '../../constants';

export interface ComingSoonPageText {
  route: ROUTES;
  title: string;
  icon: IconName;
  /** The question the finished page answers, shown as the headline of its empty state. */
  question: string;
  /** One sentence on what the finished page will show. */
  detail: string;
}

export const COMING_SOON_PAGES: ComingSoonPageText[] = [
  {
    route: ROUTES.Fragmentation,
    title: 'Fragmentation',
    icon: 'apps',
    question: "Why can't an 8-GPU job start when 40 GPUs are free?",
    detail:
      'This page will measure how scattered the free GPUs are for the jobs your teams actually submit, and show the largest job that still fits on one node.',
  },
  {
    route: ROUTES.Efficiency,
    title: 'Efficiency',
    icon: 'dollar-alt',
    question: 'Where is the money going?',
    detail:
      'This page will find allocated-but-idle GPUs, low-MFU jobs and over-provisioned pods, in GPU-hours and currency, by namespace, team and pod.',
  },
  {
    route: ROUTES.Alerts,
    title: 'Alerts',
    icon: 'bell',
    question: 'Which alerts should fire, given the daily and weekly rhythm of the fleet?',
    detail:
      'This page will learn alert thresholds that follow the hour of day and day of week from history, and write them back as ordinary Grafana alert rules.',
  },
];
