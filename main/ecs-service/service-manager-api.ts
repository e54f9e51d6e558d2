/**
 * The services surface (issue 13): what the CLI (`taskdeck service up`), IPC, web mode and tests
 * call. Implemented by the service manager (service-manager.ts) on top of the task engine
 * (`TaskEngineApi`) and the local load balancer (`LoadBalancerApi`). No Electron, no HTTP.
 */
import type { ServiceActionEvent, ServiceView } from '../../contract/service-dto.js';
import type { ServiceSpec } from './service-spec.js';
import type { TargetGroupSpec } from './target-group-spec.js';
import type { TaskDefinition } from '../task-definition/model.js';

export interface CreateServiceInput {
  readonly service: ServiceSpec;
  readonly targetGroups: readonly TargetGroupSpec[];
  /** Listener address per target group name (CLI `--listen NAME=PORT`); default 127.0.0.1:<Port>. */
  readonly listen?: Readonly<Record<string, { readonly host?: string; readonly port: number }>>;
}

export interface UpdateServiceInput {
  readonly desiredCount?: number;
  /** A new revision: starts a rolling deployment. */
  readonly taskDefinition?: { readonly ref: string; readonly definition: TaskDefinition };
  readonly forceNewDeployment?: boolean;
}

export interface ServiceManagerEvents {
  /** The service changed (counts, deployments, events, targets); carries the service after it. */
  changed: (service: ServiceView) => void;
  /** A new service event message (also in `service.events`). */
  serviceEvent: (serviceName: string, message: string, at: string) => void;
  /** EventBridge-shaped service action / deployment state change. */
  action: (event: ServiceActionEvent) => void;
}

export interface ServiceManagerApi {
  /** CreateService: validates against running services, starts listeners, launches tasks. */
  createService(input: CreateServiceInput): Promise<ServiceView>;
  updateService(serviceName: string, input: UpdateServiceInput): Promise<ServiceView>;
  /** DeleteService with force: drains every target, scales to 0, removes listeners; resolves when nothing is left. */
  deleteService(serviceName: string): Promise<void>;
  describeService(serviceName: string): ServiceView | undefined;
  listServices(): readonly ServiceView[];
  on<K extends keyof ServiceManagerEvents>(name: K, listener: ServiceManagerEvents[K]): () => void;
  /** Stops timers and listeners; tasks keep running (re-adopted, with their service, next start). */
  close(): Promise<void>;
}
