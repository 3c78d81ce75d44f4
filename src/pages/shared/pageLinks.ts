import { t } from '@grafana/i18n';
import { ROUTES } from '../../constants';

export interface PageLink {
  route: ROUTES;
  title: string;
  /** The question the page answers, shown as the link's tooltip. */
  question: string;
}

/** The pages the Overview links to, in the order of the app's navigation (a function: `t` runs at render). */
export function pageLinks(): PageLink[] {
  return [
    {
      route: ROUTES.Forecast,
      title: t('pages.forecast.title', 'Forecast'),
      question: t('pages.forecast.question', 'When do we run out of GPUs, and how many do we need?'),
    },
    {
      route: ROUTES.Fragmentation,
      title: t('pages.fragmentation.title', 'Fragmentation'),
      question: t('pages.fragmentation.question', "Why can't an 8-GPU job start when 40 GPUs are free?"),
    },
    {
      route: ROUTES.Efficiency,
      title: t('pages.efficiency.title', 'Efficiency'),
      question: t('pages.efficiency.question', 'Where is the money going?'),
    },
    {
      route: ROUTES.Alerts,
      title: t('pages.alerts.title', 'Alerts'),
      question: t('pages.alerts.question', 'Which alerts should fire, given the daily and weekly rhythm of the fleet?'),
    },
    {
      route: ROUTES.Plan,
      title: t('pages.plan.title', 'Plan'),
      question: t('pages.plan.question', 'How many GPUs to train a model, or to serve one?'),
    },
  ];
}
