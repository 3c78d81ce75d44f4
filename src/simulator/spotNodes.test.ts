/**
 * Spot node pools: their nodes carry Karpenter's `karpenter.sh/capacity-type=spot` node label, which kube-state-metrics
 * exports as `label_karpenter_sh_capacity_type` (Karpenter's well-known labels; kube-state-metrics' label sanitising),
 * one of the labels Headroom's spot queries read; without `spot` no node does. Counts from defaultFleetSpec's 16-GPU
 * fleet (docs/simulator.md: one H100, one L4 and one MIG node).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { defaultFleetSpec } from './defaultFleet';
import { FleetSpecError, validateFleetSpec, type FleetSpec } from './fleetSpec';
import { planOpenMetricsHistory } from './history';

const WINDOW = { endSeconds: 1_748_736_000, days: 1, stepSeconds: 3600, families: ['kube_node_labels'] };

/** The label sets of the history's kube_node_labels series, one per node. */
async function nodeLabelLines(spec: FleetSpec): Promise<string[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'headroom-spot-'));
  try {
    const file = path.join(dir, 'history.om');
    await planOpenMetricsHistory(spec, WINDOW).write(file);
    const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l.startsWith('kube_node_labels{'));
    return [...new Set(lines.map((l) => l.slice(0, l.indexOf('}') + 1)))];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const isSpot = (line: string) => line.includes('capacity_type=') || line.includes('spot');

describe('spot node pools in the simulator', () => {
  const fleet = defaultFleetSpec({ gpuCount: 16, seed: 1 });

  it('labels no node spot by default', async () => {
    const lines = await nodeLabelLines(fleet);
    expect(lines).toHaveLength(3);
    expect(lines.filter(isSpot)).toEqual([]);
  });

  it("labels every node of a spot pool with Karpenter's capacity type, and only those", async () => {
    const [first, ...rest] = fleet.nodePools;
    const lines = await nodeLabelLines({ ...fleet, nodePools: [{ ...first, spot: true }, ...rest] });
    const spot = lines.filter(isSpot);
    expect(spot).toHaveLength(first.nodeCount);
    for (const line of spot) {
      expect(line).toContain(`node="${first.namePrefix}-`);
      expect(line).toContain('label_karpenter_sh_capacity_type="spot"');
    }
  });

  it('refuses a spot flag that is not true or false', () => {
    const [first, ...rest] = fleet.nodePools;
    const bad = { ...fleet, nodePools: [{ ...first, spot: 'yes' as unknown as boolean }, ...rest] };
    expect(() => validateFleetSpec(bad)).toThrow(FleetSpecError);
    expect(() => validateFleetSpec(bad)).toThrow('spot must be true or false (got "yes")');
  });
});
