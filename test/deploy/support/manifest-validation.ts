// Validates rendered objects with the generated Kubernetes JSON schemas of the kubernetes-models
// packages (upstream OpenAPI for the built-in kinds, the projects' CRDs for KEDA and the
// Prometheus Operator). Only the kinds deploy/k8s renders are registered: a new kind must be added
// here with its model, so it cannot slip through unvalidated.
import { ScaledObject, TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import {
  PrometheusRule,
  ServiceMonitor,
} from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Service, ServiceAccount } from 'kubernetes-models/v1';
import { type K8sObject } from './repo';

/** The static side of a kubernetes-models class: its type meta and a validating instance. */
interface ModelClass {
  readonly apiVersion: string;
  readonly kind: string;
  readonly prototype: { validate(): void };
}

/** ajv's error shape, as carried by the ValidationError that `validate()` throws. */
interface SchemaError {
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
}

const MODELS: readonly ModelClass[] = [
  ConfigMap,
  Service,
  ServiceAccount,
  Deployment,
  HorizontalPodAutoscaler,
  Ingress,
  NetworkPolicy,
  PodDisruptionBudget,
  ScaledObject,
  TriggerAuthentication,
  ServiceMonitor,
  PrometheusRule,
];

const typeKey = (apiVersion: string, kind: string): string => `${apiVersion}/${kind}`;
const REGISTRY: ReadonlyMap<string, ModelClass> = new Map(
  MODELS.map((model) => [typeKey(model.apiVersion, model.kind), model]),
);

/** The apiVersion/kind pairs that can be validated. */
export const VALIDATED_KINDS: readonly string[] = [...REGISTRY.keys()];

/**
 * Problems found in one object, one line each; empty when it is valid. An object whose
 * apiVersion/kind has no registered model is a problem, not a pass.
 */
export function validateManifest(object: K8sObject): string[] {
  const label = `${object.kind} ${object.metadata.name}`;
  const model = REGISTRY.get(typeKey(object.apiVersion, object.kind));
  if (!model) return [`${label}: no model for ${typeKey(object.apiVersion, object.kind)}`];
  // The classes are typed per kind; the rendered object is what is being checked, so it goes in as is.
  const Model = model as unknown as new (data: K8sObject) => { validate(): void };
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    const errors = (error as { errors?: SchemaError[] }).errors;
    if (!errors?.length) return [`${label}: ${(error as Error).message}`];
    return errors.map((schemaError) => `${label}${schemaError.instancePath}: ${explain(schemaError)}`);
  }
}

function explain(error: SchemaError): string {
  const missing = error.params?.['missingProperty'];
  return typeof missing === 'string'
    ? `must have required property '${missing}'`
    : (error.message ?? 'is invalid');
}
