/** @jest-environment node */
import { FragmentationInputError } from './errors';
import { analyseMig } from './mig';

describe('analyseMig', () => {
  it('counts free, stranded and placeable slices by the A100 placement table', () => {
    // GPU 0: 3g.20gb on slices 0–3 and 1g.5gb on 4 → free 5, 6, 7. 1g.5gb fits at 5 and 6 (2); 1g.10gb at 6
    // (slices 6–7, 1); 2g needs 4–5 (taken); 3g/4g/7g need slice 0. Every free slice is usable → 0 stranded.
    // GPU 1: 1g.5gb at 0…6 → only slice 7 free, reachable only from 1g.10gb at 6, 3g at 4 or 7g: stranded.
    // GPU 2: 2g.10gb at 4 (4–5) and 1g.5gb at 6 → free 0–3 and 7. 1g.5gb at 0,1,2,3 (4); 1g.10gb at 0,2 (2);
    // 2g at 0,2 (2); 3g at 0 (1); 4g at 0 (1); slice 7 stranded.
    const report = analyseMig([
      {
        gpuModel: 'A100-40GB',
        instances: [
          { profile: '3g.20gb', start: 0 },
          { profile: '1g.5gb', start: 4 },
        ],
      },
      { gpuModel: 'A100-40GB', instances: [0, 1, 2, 3, 4, 5, 6].map((start) => ({ profile: '1g.5gb', start })) },
      {
        gpuModel: 'A100-40GB',
        instances: [
          { profile: '2g.10gb', start: 4 },
          { profile: '1g.5gb', start: 6 },
        ],
      },
    ]);
    expect(report).toEqual({
      freeSlices: 3 + 1 + 5,
      strandedSlices: 0 + 1 + 1,
      placeableByProfile: { '1g.5gb': 6, '1g.10gb': 3, '2g.10gb': 2, '3g.20gb': 1, '4g.20gb': 1, '7g.40gb': 0 },
    });
  });

  it('uses the same geometry for H100 with its profile names', () => {
    // An empty H100: 7 × 1g.10gb, 4 × 1g.20gb, 3 × 2g, 2 × 3g, 1 × 4g, 1 × 7g; 8 slices free, none stranded.
    expect(analyseMig([{ gpuModel: 'H100-80GB', instances: [] }])).toEqual({
      freeSlices: 8,
      strandedSlices: 0,
      placeableByProfile: { '1g.10gb': 7, '1g.20gb': 4, '2g.20gb': 3, '3g.40gb': 2, '4g.40gb': 1, '7g.80gb': 1 },
    });
  });

  it.each([
    [{ gpuModel: 'V100', instances: [] }, 'no MIG placement table'],
    [{ gpuModel: 'A100-40GB', instances: [{ profile: '3g.20gb', start: 2 }] }, 'valid starts are 0, 4'],
    [
      {
        gpuModel: 'A100-40GB',
        instances: [
          { profile: '1g.5gb', start: 0 },
          { profile: '2g.10gb', start: 0 },
        ],
      },
      'overlaps',
    ],
    [{ gpuModel: 'A100-40GB', instances: [{ profile: '1g.10gb.x', start: 0 }] }, 'no MIG profile'],
  ])('rejects %j', (gpu, message) => {
    expect(() => analyseMig([gpu])).toThrow(FragmentationInputError);
    expect(() => analyseMig([gpu])).toThrow(message);
  });
});
