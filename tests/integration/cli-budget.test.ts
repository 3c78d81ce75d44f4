/**
 * `headroom budget actions` end to end: the YAML parses back to exactly the actions' bodies (the engine's tests
 * validate those against the Kubernetes, KEDA and Karpenter schemas), each document says how to apply it, and bad
 * input is exit code 2 with the reason.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

import { parseAllDocuments } from 'yaml';

import type { BudgetAction } from '../../src/engine/budget';
import { headroomCommand } from '../kit/cli';

const ROOT = join(__dirname, '..', '..');

function headroom(args: string[]) {
  return new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      ...headroomCommand(['budget', 'actions', ...args]),
      { cwd: ROOT, encoding: 'utf8' },
      (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr })
    );
  });
}

const TARGETS = [
  '--deployment',
  'research/notebook-gpu',
  '--deployment',
  'research/eval-runner',
  '--spot-nodepool',
  'gpu-spot',
  '--scaled-object',
  'research/batch-embed',
];

describe('headroom budget actions', () => {
  it.each(['control', 'circuit-break'])(
    '%s: the YAML documents are the JSON bodies, with how to apply each',
    async (level) => {
      const [yaml, json] = await Promise.all([
        headroom(['--level', level, ...TARGETS]),
        headroom(['--level', level, ...TARGETS, '--json']),
      ]);
      expect([yaml.status, yaml.stderr, json.status]).toEqual([0, '', 0]);
      const actions = JSON.parse(json.stdout) as BudgetAction[];
      const documents = parseAllDocuments(yaml.stdout);
      expect(documents.map((d) => d.toJS())).toEqual(actions.map((a) => a.body));
      const texts = yaml.stdout.split(/^---$/m).slice(1);
      texts.forEach((text, i) => {
        expect(text).toContain(`# ${level}: ${actions[i].what}`);
        expect(text).toContain(
          actions[i].operation === 'create' ? 'kubectl apply -f -' : `--type ${actions[i].patchType} --patch-file`
        );
      });
      // control: NodePool, ScaledObject, PriorityClass, two Deployments; circuit-break: ScaledObject, two Deployments.
      expect(actions.map((a) => a.target.kind)).toEqual(
        level === 'control'
          ? ['NodePool', 'ScaledObject', 'PriorityClass', 'Deployment', 'Deployment']
          : ['ScaledObject', 'Deployment', 'Deployment']
      );
    }
  );

  it('refuses a missing or notify level, a malformed or invalid name and nothing to act on, exit 2', async () => {
    const cases: Array<[string[], string]> = [
      [[...TARGETS], '--level is control or circuit-break, got nothing'],
      [['--level', 'notify', ...TARGETS], 'notify changes nothing on the cluster'],
      [['--level', 'control', '--deployment', 'notebook'], '--deployment takes NAMESPACE/NAME'],
      [['--level', 'control', '--deployment', 'ml/Notebook_GPU'], 'is not a Kubernetes object name'],
      [['--level', 'control', '--priority-value', '1.5', ...TARGETS], '--priority-value takes a whole number'],
      [['--level', 'circuit-break', '--spot-nodepool', 'gpu-spot'], 'Nothing to act on at circuit-break'],
    ];
    for (const [args, message] of cases) {
      const run = await headroom(args);
      expect([run.status, run.stdout, run.stderr]).toEqual([2, '', expect.stringContaining(message)]);
    }
  });

  it('takes a negative priority value after its flag', async () => {
    const run = await headroom(['--level', 'control', ...TARGETS, '--priority-value', '-50', '--json']);
    expect(run.status).toBe(0);
    const priority = (JSON.parse(run.stdout) as BudgetAction[]).find((a) => a.target.kind === 'PriorityClass');
    expect(priority?.body.value).toBe(-50);
  });
});
