import { modelLabel } from './modelLabel';

describe('modelLabel', () => {
  it('keeps a single model as the engine names it', () => {
    expect(modelLabel('seasonal_naive_day')).toEqual({ short: 'seasonal_naive_day', members: ['seasonal_naive_day'] });
    expect(modelLabel('regression@shift').short).toBe('regression@shift');
  });

  it('names a combination by its rule, how many joined and the first three', () => {
    expect(modelLabel('wmedian(naive,drift,mstl,regression@shift,seasonal_naive_day)')).toEqual({
      short: 'weighted median of 5: naive, drift, mstl +2',
      members: ['naive', 'drift', 'mstl', 'regression@shift', 'seasonal_naive_day'],
      combination: { rule: 'wmedian', shown: ['naive', 'drift', 'mstl'], more: 2 },
    });
    expect(modelLabel('median(naive,drift)').short).toBe('median of 2: naive, drift');
    expect(modelLabel('blend(ets,naive,drift)').short).toBe('weighted blend of 3: ets, naive, drift');
  });

  it('keeps the method that chose and shortens the combination it chose', () => {
    expect(modelLabel('auto → wmedian(drift,naive,seasonal_naive_day,mstl,ets,regression@shift)')).toEqual({
      short: 'auto → weighted median of 6: drift, naive, seasonal_naive_day +3',
      members: ['drift', 'naive', 'seasonal_naive_day', 'mstl', 'ets', 'regression@shift'],
      combination: { rule: 'wmedian', shown: ['drift', 'naive', 'seasonal_naive_day'], more: 3 },
      chosenBy: 'auto',
    });
    expect(modelLabel('auto → mstl').short).toBe('auto → mstl');
  });

  it('leaves a name it does not know as a combination unchanged', () => {
    expect(modelLabel('lstm(wasm)').short).toBe('lstm(wasm)');
  });
});
