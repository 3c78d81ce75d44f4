import type { DataFrame } from '@grafana/data';

import {
  checkWhatIfForm,
  EMPTY_WHAT_IF_FORM,
  formOfText,
  forecastHorizon,
  scenarioFrames,
  whatIfSentence,
} from './forecastWhatIf';

// Forecast hours 2025-06-02 13:00 … 2025-06-03 12:00 UTC (a day past a range ending at 12:00).
const HORIZON = { startSeconds: Date.UTC(2025, 5, 2, 13) / 1000, endSeconds: Date.UTC(2025, 5, 3, 12) / 1000 };
const form = (start: string, end: string, multiplier: string) => ({ start, end, multiplier });

describe('checkWhatIfForm', () => {
  it('writes a good launch as the command line’s text, UTC', () => {
    expect(checkWhatIfForm(form('2025-06-02 18:00', '2025-06-03T00:00Z', '2'), HORIZON)).toEqual({
      text: 'start=2025-06-02T18:00:00Z,end=2025-06-03T00:00:00Z,multiplier=2,name=launch',
    });
  });

  it.each([
    [
      'an end before the start',
      form('2025-06-02 18:00', '2025-06-02 16:00', '2'),
      { end: /after the start \(2025-06-02 18:00\)/ },
    ],
    ['an end equal to the start', form('2025-06-02 18:00', '2025-06-02 18:00', '2'), { end: /after the start/ }],
    ['a multiplier of 0', form('2025-06-02 18:00', '2025-06-02 20:00', '0'), { multiplier: /above 0/ }],
    ['a negative multiplier', form('2025-06-02 18:00', '2025-06-02 20:00', '-1'), { multiplier: /above 0/ }],
    ['a multiplier that is no number', form('2025-06-02 18:00', '2025-06-02 20:00', 'lots'), { multiplier: /above 0/ }],
    ['an empty multiplier', form('2025-06-02 18:00', '2025-06-02 20:00', ''), { multiplier: /above 0/ }],
    ['a start that is no time', form('next week', '2025-06-02 20:00', '2'), { start: /UTC time, e\.g\./ }],
    [
      'a launch after the forecast',
      form('2025-06-04 00:00', '2025-06-05 00:00', '2'),
      { start: /after the forecast ends \(2025-06-02 13:00 – 2025-06-03 12:00 UTC\)/ },
    ],
    [
      'a launch before the forecast',
      form('2025-06-01 00:00', '2025-06-02 13:00', '2'),
      { end: /before the forecast starts/ },
    ],
  ])('puts %s under its field', (_, input, expected) => {
    const checked = checkWhatIfForm(input, HORIZON);
    expect('errors' in checked && Object.keys(checked.errors)).toEqual(Object.keys(expected));
    for (const [key, message] of Object.entries(expected)) {
      expect((checked as { errors: Record<string, string> }).errors[key]).toMatch(message);
    }
  });

  it('takes a launch reaching past the horizon (the engine plans its part inside and notes it)', () => {
    expect(checkWhatIfForm(form('2025-06-03 10:00', '2025-06-04 10:00', '1.5'), HORIZON)).toHaveProperty('text');
  });
});

describe('formOfText', () => {
  it('fills the form from the URL text, and leaves it empty for text it cannot read', () => {
    expect(formOfText('start=2025-06-02T18:00:00Z,end=2025-06-03T00:00:00Z,multiplier=2,name=launch')).toEqual(
      form('2025-06-02 18:00', '2025-06-03 00:00', '2')
    );
    expect(formOfText('start=soon')).toEqual(EMPTY_WHAT_IF_FORM);
    expect(formOfText('')).toEqual(EMPTY_WHAT_IF_FORM);
  });
});

const frame = (name: string, times: number[] = []): DataFrame => ({
  name,
  length: times.length,
  fields: [{ name: 'Time', type: 'time' as DataFrame['fields'][number]['type'], values: times, config: {} }],
});

describe('scenarioFrames and forecastHorizon', () => {
  it('puts each What-if frame in place of the baseline one of the same name, keeping the rest', () => {
    const frames = [
      frame('History'),
      frame('Forecast', [1000, 2000]),
      frame('What-if Forecast', [1000, 2000]),
      frame('Backtest'),
    ];
    const scenario = scenarioFrames(frames);
    expect(scenario.map((f) => f.name)).toEqual(['History', 'Forecast', 'Backtest']);
    expect(scenario[1]).toEqual({ ...frames[2], name: 'Forecast' });
    expect(forecastHorizon(frames)).toEqual({ startSeconds: 1, endSeconds: 2 });
    expect(forecastHorizon([frame('History')])).toBeUndefined();
  });
});

describe('whatIfSentence', () => {
  const summary = {
    headroom: 'what-if' as const,
    events: [],
    baseline: { peakGpus: 15, gpuHours: 180, cost: 360, exhaustionSeconds: undefined },
    scenario: { peakGpus: 63, gpuHours: 16308, cost: 32976.5, exhaustionSeconds: HORIZON.startSeconds },
    difference: { peakGpus: 48, gpuHours: 16128, cost: 32616.5, exhaustionEarlierSeconds: undefined },
    hoursMore: 336,
    hoursFewer: 0,
    horizon: HORIZON,
    notes: [],
    noteCodes: [],
  };

  it('says the peak, how long, the GPU-hours and the cost in one line', () => {
    // 336 hours = 14 days; $32,616.50 shown in whole dollars from $100.
    expect(whatIfSentence(summary)).toBe(
      '+48 GPUs at peak (15 → 63), more for 14 days, +16128 GPU-hours, +$32,617 over the horizon, capacity exceeded ' +
        'from 2025-06-02 13:00 UTC (not without the launch).'
    );
  });

  it('says fewer, earlier exhaustion, and when no hour changes', () => {
    expect(
      whatIfSentence({
        ...summary,
        difference: { peakGpus: -2, gpuHours: -6, cost: -12.5, exhaustionEarlierSeconds: -7200 },
        hoursMore: 0,
        hoursFewer: 3,
      })
    ).toBe(
      '−2 GPUs at peak (15 → 63), fewer for 3 hours, −6 GPU-hours, −$12.50 over the horizon, capacity exceeded 2 hours later.'
    );
    expect(
      whatIfSentence({
        ...summary,
        scenario: { ...summary.baseline },
        difference: { peakGpus: 0, gpuHours: 0 },
        hoursMore: 0,
        hoursFewer: 0,
      })
    ).toBe('No hour needs a different number of GPUs, ±0 GPUs at peak (15 → 15), ±0 GPU-hours.');
  });
});
