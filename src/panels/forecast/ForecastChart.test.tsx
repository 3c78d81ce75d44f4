// uPlot draws on a canvas, which jsdom lacks; Grafana's own panel tests use the same mock.
import 'jest-canvas-mock';
import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { ForecastChart } from './ForecastChart';
import type { ChartData } from './forecastData';

const HOUR_MS = 3_600_000;
const T0 = Date.UTC(2025, 5, 1);
const at = (hours: number) => T0 + hours * HOUR_MS;

/** Four hours of history, three forecast hours whose mean crosses a capacity of 16 at hour 5. */
const CHART: ChartData = {
  targetName: 'Allocated GPUs',
  unit: 'suffix: GPUs',
  history: { timesMs: [at(0), at(1), at(2), at(3)], values: [10, 11, 12, 14] },
  forecast: {
    timesMs: [at(4), at(5), at(6)],
    mean: [15, 16.5, 17],
    bands: [
      { level: '95', lower: [9, 11, 12], upper: [20, 21, 22] },
      { level: '80', lower: [13, 14, 15], upper: [17, 18, 19] },
    ],
  },
  model: 'mstl',
  capacity: 16,
  exhaustionMs: at(5),
  notices: [],
};

beforeAll(() => {
  // TooltipPlugin2 measures its tooltip; jsdom has no ResizeObserver.
  global.ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
});

const legendItem = (label: string) => screen.getByTestId(`data-testid VizLegend series ${label}`);
const disabled = (label: string) => legendItem(label).className.includes('LegendLabelDisabled');

/** The chart once uPlot is ready (it places the markers then, outside React's render). */
async function renderChart(onChangeTimeRange = jest.fn()) {
  const rendered = render(
    <ForecastChart
      data={CHART}
      width={600}
      height={300}
      timeZone="utc"
      fromMs={at(0)}
      toMs={at(4)}
      onChangeTimeRange={onChangeTimeRange}
    />
  );
  await screen.findByTestId('headroom-forecast-exhaustion-marker');
  return rendered;
}

describe('ForecastChart', () => {
  it('draws with uPlot and lists every series in Grafana’s legend, history first', async () => {
    const { container } = await renderChart();
    expect(container.querySelector('.uplot canvas')).not.toBeNull();
    const labels = [...container.querySelectorAll('[data-testid^="data-testid VizLegend series"] button')].map((b) =>
      b.textContent?.replace(/\s+/g, ' ')
    );
    expect(labels).toEqual(['Allocated GPUs', 'Forecast mean', '80 % interval', '95 % interval', 'Capacity 16 GPUs']);
    expect(screen.getByRole('img', { name: 'Forecast of Allocated GPUs' })).toBeInTheDocument();
  });

  it('shows only the series clicked in the legend, and all again on a second click, as Grafana’s legend does', async () => {
    await renderChart();
    fireEvent.click(screen.getByRole('button', { name: '80 % interval' }));
    // The new series choice is a new plot: wait for it as for the first.
    await screen.findByTestId('headroom-forecast-exhaustion-marker');
    expect(disabled('80 % interval')).toBe(false);
    expect(disabled('95 % interval')).toBe(true);
    expect(disabled('Allocated GPUs')).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: '80 % interval' }));
    await screen.findByTestId('headroom-forecast-exhaustion-marker');
    expect(['Allocated GPUs', '80 % interval', '95 % interval'].some(disabled)).toBe(false);
  });

  it('marks when the mean exceeds capacity under the plot, saying when on hover', async () => {
    await renderChart();
    const marker = screen.getByTestId('headroom-forecast-exhaustion-marker');
    expect(marker).toHaveAttribute('title', 'Mean forecast exceeds capacity at 2025-06-01 05:00');
  });
});
