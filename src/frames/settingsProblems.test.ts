import { settingsProblems } from './settingsProblems';

describe('settingsProblems', () => {
  it('refuses a zero or negative price per GPU-hour, tier by tier, and accepts positive ones and no spot price', () => {
    expect(
      settingsProblems(
        [
          { gpuModel: 'NVIDIA L4', source: 'app', onDemandPerGpuHour: 0, reservedPerGpuHour: 0.5 },
          {
            gpuModel: 'NVIDIA H100',
            source: 'app',
            onDemandPerGpuHour: 4,
            reservedPerGpuHour: 2.5,
            spotPerGpuHour: -1,
          },
          { gpuModel: 'NVIDIA A100', source: 'app', onDemandPerGpuHour: 2, reservedPerGpuHour: 1.2 },
        ],
        undefined
      )
    ).toEqual([
      'The on-demand price of NVIDIA L4 must be a number of dollars above 0 per GPU-hour.',
      'The spot price of NVIDIA H100 must be a number of dollars above 0 per GPU-hour.',
    ]);
  });
});
