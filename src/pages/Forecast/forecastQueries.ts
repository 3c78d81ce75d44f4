import { SceneQueryRunner, type SceneDataProvider } from '@grafana/scenes';
import { HEADROOM_DATASOURCE_TYPE } from '../../constants';
import type { HeadroomQuery } from '../../datasource/types';
import { framesInUserLanguage } from '../shared/framesInUserLanguage';

/** Every Forecast query goes to the data source picked in the `ds` variable. */
export const FORECAST_DATASOURCE = { type: HEADROOM_DATASOURCE_TYPE, uid: '${ds}' };

/** The page's one query: a capacity plan of the chosen target, every setting read from a page variable. */
export function capacityQuery(): HeadroomQuery {
  return {
    refId: 'capacity',
    queryType: 'capacity',
    target: '$target',
    expr: '$promql',
    horizonHours: '$horizon',
    model: '$model',
    capacity: '$capacity',
    whatIf: '$whatif',
  };
}

export function capacityQueryRunner(): SceneQueryRunner {
  return new SceneQueryRunner({ datasource: FORECAST_DATASOURCE, queries: [capacityQuery()] });
}

/**
 * One named frame of the capacity answer (`Backtest`, `Scaling schedule`, ...), for a panel that shows one table, with
 * the cells, notices and errors the answer also carries as codes in the user's language.
 */
export function frameNamed(name: string): SceneDataProvider {
  return framesInUserLanguage((frames) => frames.filter((frame) => frame.name === name));
}
