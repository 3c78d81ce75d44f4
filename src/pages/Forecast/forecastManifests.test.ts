import { toDataFrame } from '@grafana/data';
import { parseAllDocuments } from 'yaml';
import { CAPACITY_FRAMES, type GpuPlanFrameMeta } from '../../datasource/forecast/capacityFrames';
import { SERVING_FRAMES } from '../../datasource/servingFrames';
import { deployedValues, diffRows, foundServices, servingQueries } from './deployedDiffRows';
import { DEFAULT_SERVER_ADDRESS, forecastManifests, type ManifestSettings } from './forecastManifests';

const HOUR_S = 3600;
const START_S = Date.UTC(2026, 0, 1) / 1000;
// One day: 2 GPUs at night, 6 from 08:00 to 18:00 UTC.
const GPUS_NEEDED = Array.from({ length: 24 }, (_, h) => (h >= 8 && h < 18 ? 6 : 2));
const META: GpuPlanFrameMeta = {
  headroom: 'gpu-plan',
  label: 'vLLM tokens/s',
  level: '95',
  expr: 'sum(rate(vllm:generation_tokens_total[5m]))',
  throughputPerGpu: 1000,
  targetUtilisation: 0.8,
  coldStartLeadSeconds: 15 * 60,
};

function gpusNeededFrame(meta?: GpuPlanFrameMeta) {
  return toDataFrame({
    name: CAPACITY_FRAMES.gpusNeeded,
    meta: meta ? { custom: { ...meta } } : {},
    fields: [
      { name: 'Time', type: 'time', values: GPUS_NEEDED.map((_, h) => (START_S + h * HOUR_S) * 1000) },
      { name: 'GPUs needed', type: 'number', values: GPUS_NEEDED },
    ],
  });
}

const SETTINGS: ManifestSettings = {
  format: 'keda',
  namespace: 'inference',
  deployment: 'vllm',
  gpusPerReplica: 2,
  serverAddress: DEFAULT_SERVER_ADDRESS,
  nodeGroup: 'gpu-a100',
  gpusPerNode: 8,
};

describe('forecastManifests', () => {
  it('turns the GPUs needed frame into a KEDA ScaledObject with a cron trigger a cold-start lead early', () => {
    const result = forecastManifests([gpusNeededFrame(META)], SETTINGS);
    if (!('yaml' in result)) {
      throw new Error(result.error);
    }
    const [object] = parseAllDocuments(result.yaml).map((d) => d.toJS());
    expect(object.kind).toBe('ScaledObject');
    expect(object.metadata.namespace).toBe('inference');
    expect(object.spec.scaleTargetRef.name).toBe('vllm');
    // 6 GPUs ÷ 2 per replica = 3 replicas from 08:00, 15 min early: 07:45 UTC until the fall at 18:00.
    const cron = object.spec.triggers.filter((t: { type: string }) => t.type === 'cron');
    expect(cron).toEqual([
      expect.objectContaining({
        type: 'cron',
        metadata: { timezone: 'Etc/UTC', start: '45 7 * * *', end: '0 18 * * *', desiredReplicas: '3' },
      }),
    ]);
    // The live signal: 1000 tokens/s per GPU × 0.8 × 2 GPUs = 1600 per replica.
    const prometheus = object.spec.triggers.find((t: { type: string }) => t.type === 'prometheus');
    expect(prometheus.metadata).toMatchObject({ query: META.expr, threshold: '1600' });
    expect(result.replicas?.schedule.peak).toBe(3);
  });

  it('sizes a cluster-autoscaler node group without a deployment', () => {
    const result = forecastManifests([gpusNeededFrame(META)], {
      ...SETTINGS,
      format: 'cluster-autoscaler',
      deployment: '',
    });
    // Peak 6 GPUs × 1.2 = 7.2 → one node of 8 GPUs at most; lowest 2 × 1.2 = 2.4 → one node at least.
    expect('yaml' in result && result.yaml).toContain('--nodes=1:1:gpu-a100');
  });

  it('says what is missing instead of emitting objects', () => {
    expect(forecastManifests([gpusNeededFrame()], SETTINGS)).toEqual({
      error: expect.stringMatching(/No GPUs are planned/),
    });
    expect(forecastManifests([gpusNeededFrame(META)], { ...SETTINGS, deployment: ' ' })).toEqual({
      error: expect.stringMatching(/give its namespace and deployment name/),
    });
    expect(forecastManifests([gpusNeededFrame(META)], { ...SETTINGS, gpusPerReplica: 0 })).toEqual({
      error: expect.stringMatching(/GPUs per replica/i),
    });
  });
});

describe('against what is deployed', () => {
  const VLLM = { namespace: 'inference', deployment: 'vllm' };
  const deployedFrame = (values: object, target: object = VLLM) =>
    toDataFrame({
      name: SERVING_FRAMES.deployed,
      meta: { custom: { headroom: 'deployed', target, values } },
      fields: [],
    });

  it('asks for the Deployment named, and for the services always', () => {
    expect(servingQueries(SETTINGS)).toEqual([
      { refId: 'services', queryType: 'serving', servingView: 'services' },
      { refId: 'deployed', queryType: 'serving', servingView: 'deployed', deployment: 'inference/vllm' },
    ]);
    expect(servingQueries({ ...SETTINGS, deployment: '' })).toHaveLength(1);
    // Nodes only: the NodePool the export names, no Deployment.
    expect(servingQueries({ ...SETTINGS, format: 'karpenter', deployment: '' })[1]).toMatchObject({
      deployment: undefined,
      nodePool: 'gpu',
    });
  });

  it('reads the services found and the values now from their frames', () => {
    const services = toDataFrame({
      name: SERVING_FRAMES.services,
      fields: [
        { name: 'Namespace', type: 'string', values: ['inference'] },
        { name: 'Deployment', type: 'string', values: ['vllm'] },
        { name: 'Models', type: 'string', values: ['llama-70b'] },
      ],
    });
    expect(foundServices([services])).toEqual([{ namespace: 'inference', deployment: 'vllm', models: 'llama-70b' }]);
    expect(foundServices([])).toBeUndefined();
    expect(deployedValues([deployedFrame({ replicas: 2 })], SETTINGS)).toEqual({ replicas: 2 });
  });

  it("reads no values from another target's frame, as while a new Deployment's query loads", () => {
    const previous = deployedFrame({ replicas: 2 }, { namespace: 'inference', deployment: 'old' });
    expect(deployedValues([previous], SETTINGS)).toBeUndefined();
    expect(deployedValues([previous], { ...SETTINGS, deployment: 'old' })).toEqual({ replicas: 2 });
    // The same Deployment, now exported as NodePool limits: the frame without a NodePool is not its answer.
    expect(deployedValues([deployedFrame({ replicas: 2 })], { ...SETTINGS, format: 'karpenter' })).toBeUndefined();
    expect(
      deployedValues([deployedFrame({ nodePoolGpuLimit: 24 }, { nodePool: 'gpu' })], {
        ...SETTINGS,
        format: 'karpenter',
      })
    ).toEqual({ nodePoolGpuLimit: 24 });
    const group = { ...SETTINGS, format: 'cluster-autoscaler' as const };
    expect(deployedValues([deployedFrame({}, { nodeGroup: 'gpu-h100' })], group)).toBeUndefined();
    expect(deployedValues([deployedFrame({}, { nodeGroup: 'gpu-a100' })], group)).toEqual({});
  });

  it('shows each value the manifests set beside the value now, "not visible" where none is', () => {
    const result = forecastManifests([gpusNeededFrame(META)], SETTINGS);
    // 6 GPUs ÷ 2 = 3 replicas at the peak, 2 ÷ 2 = 1 at the floor, max ceil(3 × 1.2) = 4.
    const rows = diffRows(
      result,
      SETTINGS,
      deployedValues([deployedFrame({ replicas: 1, hpaMaxReplicas: 4 })], SETTINGS)
    );
    expect(rows.map((r) => [r.field, r.current, r.proposed])).toEqual([
      ['spec.replicas (at the planned peak)', 1, 3],
      ['spec.minReplicas', undefined, 1],
      ['spec.maxReplicas', 4, 4],
    ]);
    expect(diffRows(result, SETTINGS, undefined)).toEqual([]);
  });
});
