/**
 * A history of only some metric families (the 10,000-GPU benchmark writes only what Headroom's queries read).
 * Expected counts from the fleet's description in docs/simulator.md: 16 GPUs are one H100, one L4 and one MIG node.
 */
import { defaultFleetSpec } from './defaultFleet';
import { HistoryOptionsError, planOpenMetricsHistory } from './history';

const WINDOW = { endSeconds: 1_748_736_000, days: 1, stepSeconds: 3600 };

describe('a history of chosen metric families', () => {
  it('holds only those families: kube_node_labels alone is one series per node, a sample an hour for a day', () => {
    const plan = planOpenMetricsHistory(defaultFleetSpec({ gpuCount: 16, seed: 1 }), {
      ...WINDOW,
      families: ['kube_node_labels'],
    });
    expect(plan.estimate.seriesCount).toBe(3);
    expect(plan.estimate.sampleCount).toBe(3 * 24);
  });

  it('refuses an unknown family, naming it, rather than writing an empty history', () => {
    const plan = () =>
      planOpenMetricsHistory(defaultFleetSpec({ gpuCount: 16, seed: 1 }), { ...WINDOW, families: ['DCGM_FI_NOPE'] });
    expect(plan).toThrow(HistoryOptionsError);
    expect(plan).toThrow('unknown metric families: DCGM_FI_NOPE');
  });
});
