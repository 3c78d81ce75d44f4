import { ROUTES } from '../../constants';

export interface PageLink {
  route: ROUTES;
  title: string;
  /** The question the page answers, shown as the link's tooltip. */
  question: string;
}

/** The pages the Overview links to, in the order of the app's navigation. */
export const PAGE_LINKS: PageLink[] = [
  { route: ROUTES.Forecast, title: 'Forecast', question: 'When do we run out of GPUs, and how many do we need?' },
  {
    route: ROUTES.Fragmentation,
    title: 'Fragmentation',
    question: "Why can't an 8-GPU job start when 40 GPUs are free?",
  },
  { route: ROUTES.Efficiency, title: 'Efficiency', question: 'Where is the money going?' },
  {
    route: ROUTES.Alerts,
    title: 'Alerts',
    question: 'Which alerts should fire, given the daily and weekly rhythm of the fleet?',
  },
  { route: ROUTES.Plan, title: 'Plan', question: 'How many GPUs to train a model, or to serve one?' },
];
