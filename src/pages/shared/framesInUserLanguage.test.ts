import { FieldType, LoadingState, createDataFrame, getDefaultTimeRange } from '@grafana/data';
import { SceneDataNode, SceneFlexItem, SceneFlexLayout, VizPanel } from '@grafana/scenes';
import { framesInUserLanguage } from './framesInUserLanguage';

// The message the answer writes (frames/forecast/forecastQuery.ts) and, beside it, a code with other figures: the
// tests run in English, so only a code worded from its own figures can tell the rewording from the message itself.
const MESSAGE =
  'insufficient history: Allocated GPUs has 12 hours of data in the 28 days before the end of the range; a ' +
  'forecast needs at least 24. Move the range to where the metric exists, or wait for more history (have 12 ' +
  'steps, need at least 24)';
const REWORDED =
  'insufficient history: Allocated GPUs has 3 hours of data in the 28 days before the end of the range; a ' +
  'forecast needs at least 24. Move the range to where the metric exists, or wait for more history (have 3 ' +
  'steps, need at least 24)';

describe('framesInUserLanguage', () => {
  it('words the errors whose code the answer carries in a frame it does not pass on, and the others as they came', () => {
    const carrier = createDataFrame({
      name: 'Error text',
      refId: 'capacity',
      fields: [],
      meta: {
        custom: {
          texts: {
            errors: {
              [MESSAGE]: {
                code: 'short-history-error',
                target: 'Allocated GPUs',
                hours: 3,
                neededHours: 24,
                historyDays: 28,
              },
            },
          },
        },
      },
    });
    const table = createDataFrame({
      name: 'Scaling schedule',
      fields: [{ name: 'GPUs', type: FieldType.number, values: [] }],
    });
    const prometheus = { refId: 'other', message: 'bad_data: parse error', status: 400 };
    const source = new SceneDataNode({
      data: {
        series: [carrier, table],
        state: LoadingState.Error,
        timeRange: getDefaultTimeRange(),
        errors: [{ refId: 'capacity', message: MESSAGE, status: 400 }, prometheus],
      },
    });
    const data = framesInUserLanguage((frames) => frames.filter((frame) => frame.name === 'Scaling schedule'));
    new SceneFlexLayout({
      $data: source,
      children: [new SceneFlexItem({ body: new VizPanel({ pluginId: 'table', $data: data }) })],
    });
    data.activate();
    const shown = data.state.data!;
    expect(shown.series.map((frame) => frame.name)).toEqual(['Scaling schedule']);
    expect(shown.errors).toEqual([{ refId: 'capacity', message: REWORDED, status: 400 }, prometheus]);
  });
});
