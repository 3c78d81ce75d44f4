/** @jest-environment node */
import { FragmentationInputError } from './errors';
import { learnWorkload } from './workload';

describe('learnWorkload', () => {
  it('groups requests by GPUs, share, CPU bucket and model, with popularity = share of pods', () => {
    const workload = learnWorkload([
      { cpuMilli: 1500, gpuCount: 1, gpuMilli: 500, gpuSpec: '' },
      { cpuMilli: 1900, gpuCount: 1, gpuMilli: 500, gpuSpec: '' },
      { cpuMilli: 2100, gpuCount: 1, gpuMilli: 500, gpuSpec: '' },
      { cpuMilli: 4000, gpuCount: 8, gpuMilli: 1000, gpuSpec: 'A100' },
    ]);
    // 1500 and 1900 share the 1-core bucket [1000, 2000): one type of 2 pods (2/4) asking the larger CPU, 1900;
    // 2100 is bucket 2 (1/4); the 8-GPU pod (1/4) ranks after it by GPU count.
    expect(workload).toEqual([
      { id: 'm01', cpuMilli: 1900, gpuCount: 1, gpuMilli: 500, gpuSpec: '', popularity: 0.5 },
      { id: 'm02', cpuMilli: 2100, gpuCount: 1, gpuMilli: 500, gpuSpec: '', popularity: 0.25 },
      { id: 'm03', cpuMilli: 4000, gpuCount: 8, gpuMilli: 1000, gpuSpec: 'A100', popularity: 0.25 },
    ]);
    // Coverage 0.5: the first type already covers 2 of 4 pods; it alone is kept, renormalised to 1.
    expect(
      learnWorkload(
        [...Array(2)]
          .map(() => ({ cpuMilli: 1, gpuCount: 1, gpuMilli: 1000, gpuSpec: '' }))
          .concat({ cpuMilli: 1, gpuCount: 2, gpuMilli: 1000, gpuSpec: '' }),
        { coverageShare: 0.5 }
      )
    ).toEqual([{ id: 'm01', cpuMilli: 1, gpuCount: 1, gpuMilli: 1000, gpuSpec: '', popularity: 1 }]);
  });

  it('says the workload must be learnt from history when there is none', () => {
    expect(() => learnWorkload([])).toThrow(FragmentationInputError);
    expect(() => learnWorkload([])).toThrow('take the pods created over the last days');
  });
});
