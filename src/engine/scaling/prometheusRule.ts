import { objectMeta } from './objectMeta';

/** A Prometheus rule file's groups, as alerting/prometheusRules.ts writes them (parsed). */
export interface RuleFile {
  groups: unknown[];
}

/**
 * The rule file as a prometheus-operator PrometheusRule (monitoring.coreos.com/v1), the form kube-prometheus
 * deploys: the groups unchanged under `spec`. `labels` are added for the Prometheus' ruleSelector (often
 * `release: <helm release>`).
 */
export function prometheusRule(
  ruleFile: RuleFile,
  name: string,
  namespace: string,
  description: string,
  labels: Record<string, string> = {}
) {
  const metadata = objectMeta(name, namespace, description);
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { ...metadata, labels: { ...metadata.labels, ...labels } },
    spec: { groups: ruleFile.groups },
  };
}
