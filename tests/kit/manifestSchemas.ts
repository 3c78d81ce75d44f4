/**
 * The published schemas of every kind of object `headroom plan export` emits, from the kubernetes-models packages
 * (Kubernetes' OpenAPI for the core kinds, the CRDs' Go types for KEDA, Karpenter and prometheus-operator).
 * `validateManifest` builds the model class for an object's apiVersion and kind and calls its `validate()`, which
 * throws naming the offending field.
 */
import { NodePool } from '@kubernetes-models/karpenter/karpenter.sh/v1/NodePool';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';

type Model = { validate(): void };
type ModelClass = new (data: never) => Model;

const MODELS: Record<string, ModelClass> = {
  'keda.sh/v1alpha1 ScaledObject': ScaledObject,
  'autoscaling/v2 HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1 CronJob': CronJob,
  'v1 ServiceAccount': ServiceAccount,
  'v1 ConfigMap': ConfigMap,
  'rbac.authorization.k8s.io/v1 Role': Role,
  'rbac.authorization.k8s.io/v1 RoleBinding': RoleBinding,
  'karpenter.sh/v1 NodePool': NodePool,
  'monitoring.coreos.com/v1 PrometheusRule': PrometheusRule,
};

/** Throws when the object does not match its kind's schema, or is of a kind without one here. */
export function validateManifest(object: unknown): void {
  const { apiVersion, kind } = object as { apiVersion?: string; kind?: string };
  const Model = MODELS[`${apiVersion} ${kind}`];
  if (!Model) {
    throw new Error(`no schema for apiVersion ${apiVersion}, kind ${kind}`);
  }
  new Model(object as never).validate();
}
