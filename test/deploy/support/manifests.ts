// The fields of rendered manifests that the specs read (the kubernetes-models schemas validate the rest).
import { type K8sObject } from './repo';

export interface EnvFromSource {
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
}
export interface Container {
  env?: { name: string; value?: string }[];
  envFrom?: EnvFromSource[];
  securityContext?: Record<string, unknown>;
  livenessProbe?: { httpGet?: { path: string } };
  readinessProbe?: { httpGet?: { path: string } };
  resources?: { requests?: { memory?: string }; limits?: { memory?: string } };
}
export interface Volume {
  name: string;
  emptyDir?: Record<string, unknown>;
  configMap?: { name: string };
  projected?: { sources: { configMap?: { name: string } }[] };
}
export interface Deployment extends K8sObject {
  spec: {
    replicas: number;
    template: {
      metadata: { labels: Record<string, string> };
      spec: {
        securityContext?: Record<string, unknown>;
        automountServiceAccountToken?: boolean;
        containers: Container[];
        volumes?: Volume[];
      };
    };
  };
}
export interface ConfigMap extends K8sObject {
  data?: Record<string, string>;
}
export interface Service extends K8sObject {
  spec: { selector: Record<string, string> };
}
export interface PodDisruptionBudget extends K8sObject {
  spec: { selector: { matchLabels: Record<string, string> } };
}
export interface NetworkPolicy extends K8sObject {
  spec: {
    podSelector: { matchLabels?: Record<string, string> };
    policyTypes?: string[];
    ingress?: { from?: unknown[] }[];
    egress?: { to?: unknown[] }[];
  };
}
export interface ScaledObject extends K8sObject {
  spec: { maxReplicaCount: number; triggers: { type: string; metadata: Record<string, string> }[] };
}
export interface HorizontalPodAutoscaler extends K8sObject {
  spec: { maxReplicas: number };
}
export interface ServiceMonitor extends K8sObject {
  spec: { endpoints: { port: string; path: string }[] };
}
export interface PrometheusRule extends K8sObject {
  spec: { groups: unknown[] };
}

export interface KindMap {
  Deployment: Deployment;
  ConfigMap: ConfigMap;
  Service: Service;
  PodDisruptionBudget: PodDisruptionBudget;
  NetworkPolicy: NetworkPolicy;
  ScaledObject: ScaledObject;
  HorizontalPodAutoscaler: HorizontalPodAutoscaler;
  ServiceMonitor: ServiceMonitor;
  PrometheusRule: PrometheusRule;
  Secret: K8sObject;
}
