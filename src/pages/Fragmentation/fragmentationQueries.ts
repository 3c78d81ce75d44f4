import { SceneQueryRunner, type SceneDataProvider } from '@grafana/scenes';
import type { FragmentationView, HeadroomQuery } from '../../datasource/types';
import { framesInUserLanguage } from '../shared/framesInUserLanguage';
import { OVERVIEW_DATASOURCE } from '../Overview/inventoryQueries';

/** A fragmentation query of one view, filtered by the page's node, namespace and GPU model variables. */
export function fragmentationQuery(view: FragmentationView): HeadroomQuery {
  return {
    refId: view,
    queryType: 'fragmentation',
    fragmentationView: view,
    node: '$node',
    namespace: '$namespace',
    gpuModel: '$gpu_model',
  };
}

/** One runner for the views of the newest state: the data source reads that state once for all of them. */
export function snapshotQueryRunner(): SceneQueryRunner {
  return new SceneQueryRunner({
    datasource: OVERVIEW_DATASOURCE,
    queries: (['summary', 'grid', 'jobsFit', 'defragPlan'] as const).map(fragmentationQuery),
  });
}

/** FGD over the time range: its own runner, so the newest state shows without waiting for the range queries. */
export function overTimeQueryRunner(): SceneQueryRunner {
  return new SceneQueryRunner({ datasource: OVERVIEW_DATASOURCE, queries: [fragmentationQuery('overTime')] });
}

/**
 * The frames of the parent runner with these names, for a panel that shows part of the answer, with the cells and
 * notices the frames also carry as codes (learnt job types, why none fits) in the user's language.
 */
export function framesNamed(...names: string[]): SceneDataProvider {
  return framesInUserLanguage((frames) => frames.filter((f) => names.includes(f.name ?? '')));
}
