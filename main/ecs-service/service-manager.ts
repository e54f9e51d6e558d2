/**
 * The service manager (issue 13): ServiceManagerApi over the task engine and the local load
 * balancer. One actor per service (service-actor.ts) is the only writer of that service; this file
 * routes engine task events (by group `service:<name>`) and target health changes to it, persists
 * through ServiceStore and re-adopts services, tasks and targets on start.
 */
import { EventEmitter } from 'node:events';
import type { ServiceActionEvent, ServiceView } from '../../contract/service-dto.js';
import type { TaskEngineApi } from '../engine/engine-api.js';
import type { LoadBalancerApi } from './load-balancer-api.js';
import type {
  CreateServiceInput,
  ServiceManagerApi,
  ServiceManagerEvents,
  UpdateServiceInput,
} from './service-manager-api.js';
import { ServiceStore, type ServiceRecord } from './service-store.js';
import { ServiceActor, type ActorContext } from './service-actor.js';
import { serviceArns } from './service-messages.js';
import type { TaskDefinition } from '../task-definition/model.js';

/** createServiceManager's inputs. */
export interface ServiceManagerOptions {
  readonly engine: TaskEngineApi;
  readonly loadBalancer: LoadBalancerApi;
  readonly dataDir: string;
  readonly region: string;
  readonly account: string;
  readonly clusterName?: string;
  readonly now?: () => Date;
  /** Test-only: base delay of the task-start throttle (default 10 000 ms). */
  readonly throttleBaseMs?: number;
}

const GROUP_PREFIX = 'service:';

/** Builds the manager, re-adopting the services saved in `<dataDir>/services`. */
export async function createServiceManager(options: ServiceManagerOptions): Promise<ServiceManagerApi> {
  const manager = new ServiceManager(options);
  await manager.load();
  return manager;
}

class ServiceManager implements ServiceManagerApi {
  private readonly actors = new Map<string, ServiceActor>();
  private readonly emitter = new EventEmitter();
  private readonly store: ServiceStore;
  private readonly offs: (() => void)[] = [];
  private readonly now: () => Date;

  constructor(private readonly o: ServiceManagerOptions) {
    this.store = new ServiceStore(o.dataDir);
    this.now = o.now ?? (() => new Date());
    this.emitter.setMaxListeners(0);
    this.offs.push(
      o.engine.on('event', (_ev, task) => {
        if (!task.group.startsWith(GROUP_PREFIX)) return;
        this.actors.get(task.group.slice(GROUP_PREFIX.length))?.onTask(task);
      }),
      o.loadBalancer.on('targetHealth', (change) => {
        for (const a of this.actors.values()) a.onTargetHealth(change);
      }),
      o.loadBalancer.on('targetCheck', (done) => {
        for (const a of this.actors.values()) a.onTargetCheck(done.targetGroupArn);
      }),
    );
  }

  async load(): Promise<void> {
    for (const record of await this.store.loadAll()) {
      const actor = this.actorFor(record);
      await this.addGroups(record.input);
      this.adoptUnknownTasks(actor);
      actor.readopt();
    }
  }

  async createService(input: CreateServiceInput): Promise<ServiceView> {
    const name = input.service.serviceName;
    if (this.actors.has(name))
      throw new Error(`Creation of service was not idempotent: service ${name} already exists`);
    for (const lb of input.service.loadBalancers) {
      if (!input.targetGroups.some((g) => g.targetGroupArn === lb.targetGroupArn)) {
        throw new Error(`target group ${lb.targetGroupArn} of service ${name} was not given`);
      }
    }
    await this.addGroups(input);
    const record: ServiceRecord = {
      input,
      createdAt: this.now().toISOString(),
      desiredCount: input.service.desiredCount,
      deployments: [],
      tasks: [],
      milestones: {},
      events: [],
      throttle: { consecutiveFailures: 0, nextStartAt: 0, impairedReported: false },
      steady: false,
      deleting: false,
      version: 0,
    };
    const actor = this.actorFor(record);
    actor.newDeployment(
      input.service.taskDefinitionRef,
      input.service.taskDefinition,
      'ECS deployment {id} in progress.',
    );
    actor.poke();
    return actor.view();
  }

  async updateService(serviceName: string, input: UpdateServiceInput): Promise<ServiceView> {
    const actor = this.get(serviceName);
    if (
      input.desiredCount !== undefined &&
      (!Number.isInteger(input.desiredCount) || input.desiredCount < 0)
    ) {
      throw new Error(`desiredCount must be an integer ≥ 0 (got ${input.desiredCount})`);
    }
    if (input.taskDefinition) {
      const problem = loadBalancerProblem(
        actor.record.input.service.loadBalancers,
        input.taskDefinition.definition,
      );
      if (problem) throw new Error(`${input.taskDefinition.ref}: ${problem}`);
    }
    const primary = actor.record.deployments[0];
    const deployment = input.taskDefinition
      ? { ref: input.taskDefinition.ref, definition: input.taskDefinition.definition }
      : input.forceNewDeployment && primary
        ? { ref: primary.taskDefinitionRef, definition: primary.taskDefinition }
        : undefined;
    actor.update({
      ...(input.desiredCount !== undefined ? { desiredCount: input.desiredCount } : {}),
      ...(deployment ? { deployment } : {}),
    });
    return actor.view();
  }

  async deleteService(serviceName: string): Promise<void> {
    const actor = this.get(serviceName);
    await actor.delete();
    actor.close();
    this.actors.delete(serviceName);
    await this.store.remove(serviceName);
    await Promise.all(
      actor.record.input.targetGroups.map((g) => this.o.loadBalancer.removeTargetGroup(g.targetGroupArn)),
    );
    this.emitter.emit('changed', { ...actor.view(), status: 'INACTIVE' });
  }

  describeService(serviceName: string): ServiceView | undefined {
    return this.actors.get(serviceName)?.view();
  }

  listServices(): readonly ServiceView[] {
    return [...this.actors.values()].map((a) => a.view());
  }

  on<K extends keyof ServiceManagerEvents>(name: K, listener: ServiceManagerEvents[K]): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }

  async close(): Promise<void> {
    for (const off of this.offs.splice(0)) off();
    for (const a of this.actors.values()) a.close();
    await this.store.flush();
  }

  private get(serviceName: string): ServiceActor {
    const actor = this.actors.get(serviceName);
    if (!actor || actor.record.deleting)
      throw new Error(`ServiceNotFoundException: service ${serviceName} not found`);
    return actor;
  }

  private actorFor(record: ServiceRecord): ServiceActor {
    const name = record.input.service.serviceName;
    const ctx: ActorContext = {
      engine: this.o.engine,
      loadBalancer: this.o.loadBalancer,
      store: this.store,
      region: this.o.region,
      account: this.o.account,
      arns: serviceArns(this.o.region, this.o.account, this.o.clusterName ?? 'default', name),
      now: this.now,
      throttleBaseMs: this.o.throttleBaseMs ?? 10_000,
      emitChanged: (v: ServiceView) => this.emitter.emit('changed', v),
      emitEvent: (svc: string, message: string, at: string) =>
        this.emitter.emit('serviceEvent', svc, message, at),
      emitAction: (e: ServiceActionEvent) => this.emitter.emit('action', e),
    };
    const actor = new ServiceActor(record, ctx);
    this.actors.set(name, actor);
    return actor;
  }

  private async addGroups(input: CreateServiceInput): Promise<void> {
    for (const g of input.targetGroups) {
      if (this.o.loadBalancer.describeTargetGroup(g.targetGroupArn)) continue;
      await this.o.loadBalancer.addTargetGroup(g, input.listen?.[g.name]);
    }
  }

  /** Engine tasks of the service's group the record does not know (launched just before a crash). */
  private adoptUnknownTasks(actor: ServiceActor): void {
    const r = actor.record;
    for (const task of this.o.engine.listTasks()) {
      if (task.group !== `${GROUP_PREFIX}${actor.name}` || task.lastStatus === 'STOPPED') continue;
      if (r.tasks.some((t) => t.taskId === task.taskId)) continue;
      // ECS's own link first (startedBy is the deployment id); older tasks by what they run.
      const dep =
        r.deployments.find((d) => task.startedBy !== undefined && d.id === task.startedBy) ??
        r.deployments.find(
          (d) => d.taskDefinition.family === task.family && d.taskDefinition.revision === task.revision,
        ) ??
        r.deployments[0];
      if (!dep) continue;
      const healthChecked = dep.taskDefinition.containerDefinitions.some(
        (c) => c.essential && c.healthCheck !== undefined,
      );
      r.tasks.push({
        taskId: task.taskId,
        deploymentId: dep.id,
        lastStatus: task.lastStatus,
        healthStatus: task.healthStatus,
        healthChecked,
        targets: {},
        targetDetail: {},
      });
    }
  }
}

/** Why a new revision cannot serve the service's load balancers (its container/port are gone), if so. */
export function loadBalancerProblem(
  lbs: CreateServiceInput['service']['loadBalancers'],
  def: TaskDefinition,
): string | undefined {
  for (const lb of lbs) {
    const c = def.containerDefinitions.find((x) => x.name === lb.containerName);
    if (!c) return `no container "${lb.containerName}" for the service's load balancer`;
    if (!c.portMappings.some((p) => p.containerPort === lb.containerPort && p.protocol === 'tcp')) {
      return `container "${lb.containerName}" has no tcp portMapping for ${lb.containerPort} (the service's load balancer)`;
    }
  }
  return undefined;
}
