// uPlot draws on a canvas, which jsdom lacks; Grafana's own panel tests use the same mock.
import 'jest-canvas-mock';
import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { BandChart } from './BandChart';

const STEP = 300;
/** A day at 5-minute steps: the first 60 rows warm-up, a band 0.3–0.6 after, two alert starts. */
const times = Array.from({ length: 288 }, (_, i) => Date.UTC(2025, 5, 2) / 1000 + i * STEP);
const values = times.map((_, i) => 0.45 + 0.1 * Math.sin(i / 20));
const thresholds = {
  upper: times.map((_, i) => (i < 60 ? NaN : 0.6)),
  lower: times.map((_, i) => (i < 60 ? NaN : 0.3)),
};
const starts = [times[100], times[200]];

beforeAll(() => {
  global.ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
});

/** The chart once uPlot is ready (it places the markers then, outside React's render). */
async function renderChart() {
  const rendered = render(
    <BandChart
      timestampsSeconds={times}
      values={values}
      thresholds={thresholds}
      warmupRows={60}
      alertStartsSeconds={starts}
      unit="percentunit"
      heightPx={320}
    />
  );
  await screen.findByTestId('headroom-band-warmup');
  return rendered;
}

describe('BandChart', () => {
  it('draws with uPlot, a marker per alert start and the warm-up region, with Grafana’s legend', async () => {
    const { container } = await renderChart();
    expect(container.querySelector('.uplot canvas')).not.toBeNull();
    expect(screen.getAllByTestId('headroom-alert-start').map((m) => m.getAttribute('title'))).toEqual([
      'Alert start 2025-06-02 08:20 UTC',
      'Alert start 2025-06-02 16:40 UTC',
    ]);
    expect(screen.getByTestId('headroom-band-warmup')).toHaveAttribute('title', expect.stringMatching(/^Warm-up/));
    expect(screen.getByTestId('headroom-band-legend')).toHaveTextContent(
      /Watched series\s*Learnt band \(as deployed, recalibrated daily\)\s*Alert start \(2\)/
    );
  });

  it('hides the alert-start markers on a Ctrl-click of their legend item, and shows them on the next', async () => {
    await renderChart();
    fireEvent.click(screen.getByRole('button', { name: 'Alert start (2)' }), { ctrlKey: true });
    await screen.findByTestId('headroom-band-warmup');
    expect(screen.queryAllByTestId('headroom-alert-start')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Alert start (2)' }), { ctrlKey: true });
    await screen.findByTestId('headroom-band-warmup');
    expect(screen.getAllByTestId('headroom-alert-start')).toHaveLength(2);
  });
});
