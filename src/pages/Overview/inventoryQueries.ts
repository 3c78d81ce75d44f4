import { SceneQueryRunner, type SceneDataProvider } from '@grafana/scenes';
import { HEADROOM_DATASOURCE_TYPE } from '../../constants';
import type { HeadroomQuery, InventoryView } from '../../datasource/types';
import { framesInUserLanguage } from '../shared/framesInUserLanguage';

/** Every Overview query goes to the data source picked in the `ds` variable. */
export const OVERVIEW_DATASOURCE = { type: HEADROOM_DATASOURCE_TYPE, uid: '${ds}' };

/** An inventory query for one view, filtered by the Overview's node, namespace and GPU model variables. */
export function inventoryQuery(view: InventoryView): HeadroomQuery {
  return {
    refId: view,
    queryType: 'inventory',
    inventoryView: view,
    node: '$node',
    namespace: '$namespace',
    gpuModel: '$gpu_model',
  };
}

/** The answer to `inventoryQuery(view)`, its warnings and errors worded in the user's language. */
export function inventoryData(view: InventoryView): SceneDataProvider {
  return framesInUserLanguage(
    (frames) => frames,
    new SceneQueryRunner({ datasource: OVERVIEW_DATASOURCE, queries: [inventoryQuery(view)] })
  );
}
