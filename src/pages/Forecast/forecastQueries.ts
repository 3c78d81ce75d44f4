import type { DataFrame } from '@grafana/data';
import { SceneQueryRunner, type SceneDataProvider } from '@grafana/scenes';
import { HEADROOM_DATASOURCE_TYPE } from '../../constants';
import { CAPACITY_FRAMES } from '../../datasource/forecast/capacityFrames';
import { frameTextsOf } from '../../datasource/frameTexts';
import type { HeadroomQuery } from '../../datasource/types';
import { shortListPriceSource } from '../../datasource/wording/frameTexts';
import { framesInUserLanguage } from '../shared/framesInUserLanguage';

/** The Cost mix frame's column of where each price comes from (frames/forecast/capacityFrames.ts). */
const PRICE_SOURCE_FIELD = 'Price source';

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

/** The cost mix's column of whole price sources, hidden: the tooltip of the Price source cell. */
export const PRICE_CITATION_FIELD = 'Price citation';

/**
 * The Cost mix frame with a shipped list price's source cut to its provider and instance (`List price: Google Cloud
 * a2-ultragpu-1g`), and the whole citation (about 250 characters, ten lines in the source's column) in a column of
 * its own that the table shows as the cell's tooltip. Both in the user's language; other sources as they are.
 */
export function costMixData(): SceneDataProvider {
  return framesInUserLanguage((frames) =>
    frames.filter((frame) => frame.name === CAPACITY_FRAMES.costMix).map(withShortPriceSources)
  );
}

function withShortPriceSources(frame: DataFrame): DataFrame {
  const source = frame.fields.find((field) => field.name === PRICE_SOURCE_FIELD);
  const texts = frameTextsOf(frame);
  const codes = texts?.cells?.[PRICE_SOURCE_FIELD];
  if (!source || !texts || !codes) {
    return frame;
  }
  const short = source.values.map((value, i) => {
    const code = codes[i];
    return code?.code === 'list-price' ? shortListPriceSource(code.citation) : value;
  });
  // The short cells are worded already; the citation column is worded from the source's codes.
  const cells = {
    ...texts.cells,
    [PRICE_SOURCE_FIELD]: codes.map((code) => (code?.code === 'list-price' ? null : code)),
    [PRICE_CITATION_FIELD]: codes,
  };
  return {
    ...frame,
    fields: [
      ...frame.fields.map((field) => (field === source ? { ...field, values: short } : field)),
      { ...source, name: PRICE_CITATION_FIELD, state: undefined },
    ],
    meta: { ...frame.meta, custom: { ...frame.meta?.custom, texts: { ...texts, cells } } },
  };
}
