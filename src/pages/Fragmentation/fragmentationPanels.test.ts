import type { VizPanel } from '@grafana/scenes';
import { defragFrames, jobsFitFrame, overTimeFrame } from '../../datasource/fragmentation/fragmentationFrames';
import { buildDefragMoves, buildDefragSummary, buildJobsFitTable, buildOverTimePanel } from './fragmentationPanels';

describe('the "Jobs that fit now" table', () => {
  it('describes every column it shows, the reason none fits included', () => {
    const description = buildJobsFitTable().state.description ?? '';
    for (const column of [
      'share of each GPU',
      'GPU model',
      'CPU',
      'share of recent pods',
      'fit now',
      'none fits',
      'free GPU it cannot use',
    ]) {
      expect(description).toContain(column);
    }
  });
});

/** The field names a panel's display-name overrides match. */
function renamedFields(panel: VizPanel): string[] {
  return panel.state.fieldConfig.overrides
    .filter((o) => o.properties.some((p) => p.id === 'displayName'))
    .map((o) => String(o.matcher.options));
}

describe('the tables and chart Grafana draws, in the user’s language', () => {
  const [plan, summary] = defragFrames({ requestLabel: '', source: '', requestGpus: 0 }, 'A');

  // Field overrides match the frames' field names: a renamed field would show in English again.
  it.each([
    ['Jobs that fit now', buildJobsFitTable, jobsFitFrame([], 'A')],
    ['Fragmentation over time', buildOverTimePanel, overTimeFrame([], 'A')],
    ['Defragmentation', buildDefragSummary, summary],
    ['Defragmentation plan', buildDefragMoves, plan],
  ] as const)('%s: names every column of its frame', (_, build, frame) => {
    const columns = frame.fields.map((f) => f.name).filter((name) => name !== 'Time');
    expect(renamedFields(build()).sort()).toEqual([...columns].sort());
  });
});

describe('the "Jobs that fit now" table’s layout', () => {
  /** Each overridden field's value of one custom option. */
  const custom = (panel: VizPanel, id: string) =>
    Object.fromEntries(
      panel.state.fieldConfig.overrides.flatMap((o) =>
        o.properties.filter((p) => p.id === `custom.${id}`).map((p) => [String(o.matcher.options), p.value])
      )
    );

  it('gives every column but "Why none fits" a width, and wraps that sentence in the room left', () => {
    const table = buildJobsFitTable();
    const columns = jobsFitFrame([], 'A').fields.map((f) => f.name);
    expect(Object.keys(custom(table, 'width')).sort()).toEqual(columns.filter((c) => c !== 'Why none fits').sort());
    expect(custom(table, 'wrapText')).toEqual({ 'Why none fits': true });
    // A full-width panel on a 1,440-pixel screen is about 1,390 pixels wide: at least Grafana's 150-pixel minimum
    // column width is left for the sentence.
    const widthsPx = Object.values(custom(table, 'width')) as number[];
    expect(1390 - widthsPx.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(150);
  });
});
