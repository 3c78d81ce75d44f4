import { SceneQueryRunner } from '@grafana/scenes';
import type { EfficiencyView, HeadroomQuery } from '../../datasource/types';
import { OVERVIEW_DATASOURCE } from '../Overview/inventoryQueries';

/** An efficiency query for one view, filtered by the page's node, namespace and GPU model variables. */
export function efficiencyQuery(view: EfficiencyView): HeadroomQuery {
  return {
    refId: view,
    queryType: 'efficiency',
    efficiencyView: view,
    node: '$node',
    namespace: '$namespace',
    gpuModel: '$gpu_model',
    wasteGroupBy: view === 'waste' ? ('$rows' as HeadroomQuery['wasteGroupBy']) : undefined,
    pricingTier: '$pricing' as HeadroomQuery['pricingTier'],
  };
}

export function efficiencyQueryRunner(view: EfficiencyView): SceneQueryRunner {
  return new SceneQueryRunner({ datasource: OVERVIEW_DATASOURCE, queries: [efficiencyQuery(view)] });
}
