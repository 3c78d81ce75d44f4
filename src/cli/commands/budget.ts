/**
 * `headroom budget actions`: what the control and circuit-break budget guard rails would do, printed as the
 * Kubernetes objects and patches to apply (YAML, or JSON with --json). Headroom applies nothing: a person reads them
 * and applies them with the kubectl command written above each one.
 */
import { stringify } from 'yaml';

import {
  budgetActions,
  type BudgetAction,
  DEFAULT_LOW_PRIORITY_CLASS,
  DEFAULT_LOW_PRIORITY_VALUE,
  type NamespacedName,
} from '../../engine/budget';
import { parseFlags, UsageError } from '../args';
import type { CliCommand } from '../command';
import { reportCommandError } from '../reportError';

const USAGE = `usage: headroom budget actions --level control|circuit-break [--deployment NS/NAME ...] [options]

Prints the patches and objects a budget guard rail's level would apply (docs/budget-guard-rails.md); applies nothing.
  --level L              control: stop spot scale-out, lower the priority of non-critical workloads;
                         circuit-break: scale non-critical Deployments to zero
  --deployment NS/NAME   a non-critical Deployment (repeatable), e.g. the output of
                         kubectl get deploy -A -l headroom.dev/criticality=non-critical -o name
  --spot-nodepool NAME   a Karpenter NodePool of spot GPU nodes (repeatable; control)
  --scaled-object NS/NAME
                         a KEDA ScaledObject of a non-critical or spot-backed workload (repeatable): paused at its
                         replicas (control) or held at 0 (circuit-break)
  --priority-class NAME  the low PriorityClass (default ${DEFAULT_LOW_PRIORITY_CLASS})
  --priority-value N     its value (default ${DEFAULT_LOW_PRIORITY_VALUE}; below 0, the priority of pods without a class)
  --gpu-resource NAME    the GPU resource in NodePool limits (default nvidia.com/gpu)
  --json                 the actions as JSON: [{"level", "what", "target", "operation", "patchType", "body", "command"}]
`;

function namespaced(flag: string, values: readonly string[]): NamespacedName[] {
  return values.map((text) => {
    const parts = text.split('/');
    if (parts.length !== 2 || !parts[0] || !parts[1]) {
      throw new UsageError(`${flag} takes NAMESPACE/NAME, got "${text}".`);
    }
    return { namespace: parts[0], name: parts[1] };
  });
}

/** One YAML document per action, the kubectl command and what it does as comments above the body. */
export function actionsYaml(actions: readonly BudgetAction[]): string {
  return actions
    .map((action) => {
      const header = [
        `# ${action.level}: ${action.what}`,
        action.operation === 'create'
          ? `# ${action.command}`
          : `# ${action.command.replace(/ -p '.*'$/, ' --patch-file <this document>')}`,
      ];
      return `---\n${header.join('\n')}\n${stringify(action.body, { lineWidth: 0 })}`;
    })
    .join('');
}

async function actions(args: string[]): Promise<number> {
  const values = parseFlags(args, {
    level: { type: 'string' },
    deployment: { type: 'string', multiple: true, default: [] },
    'spot-nodepool': { type: 'string', multiple: true, default: [] },
    'scaled-object': { type: 'string', multiple: true, default: [] },
    'priority-class': { type: 'string' },
    'priority-value': { type: 'string' },
    'gpu-resource': { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const level = values.level;
  if (level !== 'control' && level !== 'circuit-break') {
    throw new UsageError(
      level === 'notify'
        ? 'notify changes nothing on the cluster; give --level control or circuit-break.'
        : `--level is control or circuit-break, got ${level === undefined ? 'nothing' : `"${level}"`}.`
    );
  }
  const priorityText = values['priority-value'];
  const priority = priorityText === undefined ? undefined : Number(priorityText);
  if (priority !== undefined && (priorityText?.trim() === '' || !Number.isInteger(priority))) {
    throw new UsageError(`--priority-value takes a whole number, got "${priorityText}".`);
  }
  const result = budgetActions(level, {
    nonCriticalDeployments: namespaced('--deployment', values.deployment),
    spotNodePools: values['spot-nodepool'],
    scaledObjects: namespaced('--scaled-object', values['scaled-object']),
    lowPriorityClassName: values['priority-class'],
    lowPriorityValue: priority,
    gpuResource: values['gpu-resource'],
  });
  process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : actionsYaml(result));
  return 0;
}

export const budgetCommand: CliCommand = {
  summary: 'budget guard rails: the patches the control and circuit-break levels would apply (never applied)',
  async run(args) {
    const [sub, ...rest] = args;
    if (sub !== 'actions') {
      const help = sub === '--help' || sub === '-h';
      (help ? process.stdout : process.stderr).write(USAGE);
      return help ? 0 : 2;
    }
    try {
      return await actions(rest);
    } catch (error) {
      return reportCommandError('budget actions', error);
    }
  },
};
