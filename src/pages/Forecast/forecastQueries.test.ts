import { FieldType, LoadingState, createDataFrame, getDefaultTimeRange } from '@grafana/data';
import { SceneDataNode, SceneFlexItem, SceneFlexLayout, VizPanel } from '@grafana/scenes';
import { ENTERED_PRICE_SOURCE } from '../../datasource/appSettings';
import { listPriceCitation, listPrices } from '../../engine/capacity';
import { costMixData, PRICE_CITATION_FIELD } from './forecastQueries';

describe('the cost mix’s price sources', () => {
  it('cuts a shipped list price to its provider and instance, the whole citation in a column for the tooltip', () => {
    // The shipped A100-80GB list price as the cost mix writes it (frames/forecast/capacityFrames.ts): its source,
    // and the code of that source beside it.
    const a100 = listPrices().find((price) => price.gpuModel === 'NVIDIA A100-SXM4-80GB')!;
    const citation = listPriceCitation(a100.source)!;
    const costMix = createDataFrame({
      name: 'Cost mix',
      fields: [
        { name: 'GPU model', type: FieldType.string, values: ['NVIDIA A100-SXM4-80GB', 'NVIDIA L4', 'NVIDIA T4'] },
        { name: 'Price source', type: FieldType.string, values: [a100.source, ENTERED_PRICE_SOURCE, 'our contract'] },
      ],
      meta: {
        custom: {
          texts: {
            cells: { 'Price source': [{ code: 'list-price', citation }, { code: 'entered-price' }, null] },
          },
        },
      },
    });
    const source = new SceneDataNode({
      data: { series: [costMix], state: LoadingState.Done, timeRange: getDefaultTimeRange() },
    });
    const data = costMixData();
    new SceneFlexLayout({
      $data: source,
      children: [new SceneFlexItem({ body: new VizPanel({ pluginId: 'table', $data: data }) })],
    });
    data.activate();

    const [shown] = data.state.data!.series;
    const values = (name: string) => shown.fields.find((field) => field.name === name)?.values;
    // The tests run in English: the short label is the citation's provider and instance, written by hand here.
    expect(values('Price source')).toEqual([
      'List price: Google Cloud a2-ultragpu-1g',
      'Entered by an administrator',
      'our contract',
    ]);
    // The whole source, as the frame wrote it (the catalog's English of its code is that text).
    expect(values(PRICE_CITATION_FIELD)).toEqual([a100.source, ENTERED_PRICE_SOURCE, 'our contract']);
    expect(a100.source).toMatch(/^List price: Google Cloud a2-ultragpu-1g, us-central1, list of .+\(https:/);
  });
});
