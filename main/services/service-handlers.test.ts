import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServiceView } from '../../contract/service-dto.js';
import type { ApiHandlers } from '../../contract/operations.js';
import type {
  CreateServiceInput,
  ServiceManagerApi,
  UpdateServiceInput,
} from '../ecs-service/service-manager-api.js';
import type { ServiceSpec } from '../ecs-service/service-spec.js';
import type { TargetGroupSpec } from '../ecs-service/target-group-spec.js';
import { parseTaskDefinition } from '../task-definition/parse-task-definition.js';
import { createDefinitionsLibrary, type DefinitionsLibrary } from './definitions-library.js';
import { dispatchOperation } from './dispatch.js';
import { resolveLibraryRef, stripTaskDefinitionArn } from './library-definition-ref.js';
import type { AppServices } from './app-services.js';
import { createServiceHandlers } from './service-handlers.js';
import {
  createServiceRequestParser,
  prefixPath,
  type ServiceDocumentParsers,
} from './service-request-parser.js';

const def = (family: string, revision?: number) =>
  JSON.stringify({
    family,
    ...(revision !== undefined ? { revision } : {}),
    containerDefinitions: [
      { name: 'web', image: 'busybox', memory: 64, portMappings: [{ containerPort: 8080 }] },
    ],
  });

function view(name: string, taskDefinition: string, desiredCount: number): ServiceView {
  return {
    serviceArn: `arn:aws:ecs:us-east-1:000000000000:service/default/${name}`,
    serviceName: name,
    clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/default',
    status: 'ACTIVE',
    desiredCount,
    runningCount: 0,
    pendingCount: 0,
    launchType: 'EC2',
    taskDefinition,
    healthCheckGracePeriodSeconds: 0,
    deploymentConfiguration: {
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      deploymentCircuitBreaker: { enable: false, rollback: false },
    },
    loadBalancers: [],
    deployments: [],
    events: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    version: 1,
    targetGroups: [],
    tasks: [],
    failedTaskDefinitions: [],
  };
}

/** Manager double: keeps what it was asked. */
function fakeManager() {
  const services = new Map<string, ServiceView>();
  const updates: UpdateServiceInput[] = [];
  const creates: CreateServiceInput[] = [];
  const manager: ServiceManagerApi = {
    async createService(input) {
      creates.push(input);
      const v = view(input.service.serviceName, input.service.taskDefinitionRef, input.service.desiredCount);
      services.set(v.serviceName, v);
      return v;
    },
    async updateService(name, input) {
      updates.push(input);
      const before = services.get(name);
      if (!before) throw new Error(`service ${name} not found`);
      const after = {
        ...before,
        desiredCount: input.desiredCount ?? before.desiredCount,
        taskDefinition: input.taskDefinition?.ref ?? before.taskDefinition,
      };
      services.set(name, after);
      return after;
    },
    async deleteService(name) {
      services.delete(name);
    },
    describeService: (name) => services.get(name),
    listServices: () => [...services.values()],
    on: () => () => undefined,
    close: async () => undefined,
  };
  return { manager, updates, creates };
}

/** Document parser doubles: JSON with the fields the test needs, errors at a path. */
const parsers = (library: DefinitionsLibrary): ServiceDocumentParsers => ({
  targetGroup(text, delay) {
    const doc = JSON.parse(text) as { Name?: string; Port?: number };
    if (!doc.Name) return { ok: false, errors: [{ path: '$.Name', message: 'is required' }] };
    const spec: TargetGroupSpec = {
      targetGroupArn: `arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/${doc.Name}/0123456789abcdef`,
      name: doc.Name,
      protocol: 'HTTP',
      port: doc.Port ?? 80,
      targetType: 'instance',
      healthCheckPath: '/',
      healthCheckIntervalSeconds: 5,
      healthCheckTimeoutSeconds: 2,
      healthyThresholdCount: 2,
      unhealthyThresholdCount: 2,
      matcher: '200',
      deregistrationDelaySeconds: delay ?? 300,
    };
    return { ok: true, value: spec };
  },
  async service(text, groups) {
    const doc = JSON.parse(text) as { serviceName?: string; taskDefinition?: string; group?: string };
    if (doc.group !== undefined && !groups.some((g) => g.name === doc.group))
      return {
        ok: false,
        errors: [
          {
            path: '$.loadBalancers[0].targetGroupArn',
            message: `no target group "${doc.group}" (known: none given (--target-group FILE))`,
          },
        ],
      };
    const resolved = resolveLibraryRef(library, doc.taskDefinition ?? '');
    if (!resolved.ok) return { ok: false, errors: [{ path: 'taskDefinition', message: resolved.message }] };
    const spec: ServiceSpec = {
      serviceName: doc.serviceName ?? 'svc',
      taskDefinitionRef: resolved.value.ref,
      taskDefinition: resolved.value.definition,
      desiredCount: 1,
      loadBalancers: [],
      healthCheckGracePeriodSeconds: 0,
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      circuitBreaker: { enable: false, rollback: false },
      enableExecuteCommand: false,
    };
    return { ok: true, value: spec };
  },
});

let dir: string;
let library: DefinitionsLibrary;
let handlers: ApiHandlers;
let fake: ReturnType<typeof fakeManager>;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'taskdeck-svc-handlers-'));
  library = await createDefinitionsLibrary(dir, parseTaskDefinition);
  fake = fakeManager();
  const services = {
    library,
    services: { manager: () => fake.manager, parseCreate: createServiceRequestParser(parsers(library)) },
  } as unknown as AppServices;
  handlers = createServiceHandlers(services) as unknown as ApiHandlers;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('library references', () => {
  it('resolves family:revision, family (latest) and ARNs; says what revisions exist', async () => {
    await library.import(def('web', 1));
    const two = await library.import(def('web', 2));
    await library.import(def('other'));
    expect(stripTaskDefinitionArn('arn:aws:ecs:eu-west-1:123456789012:task-definition/web:2')).toBe('web:2');
    const latest = resolveLibraryRef(library, 'web');
    expect(latest.ok && latest.value.ref).toBe('web:2');
    expect(latest.ok && latest.value.definitionId).toBe(two.id);
    const one = resolveLibraryRef(library, 'arn:aws:ecs:us-east-1:000000000000:task-definition/web:1');
    expect(one.ok && one.value.ref).toBe('web:1');
    const missing = resolveLibraryRef(library, 'web:7');
    expect(!missing.ok && missing.message).toMatch(/no revision 7 of "web" \(revisions: 1, 2\)/);
    const none = resolveLibraryRef(library, 'nope');
    expect(!none.ok && none.message).toMatch(/no valid definition of family "nope"/);
  });

  it('prefixes paths with the document they are in', () => {
    expect(prefixPath('service', 'loadBalancers[0].containerPort')).toBe(
      'service.loadBalancers[0].containerPort',
    );
    expect(prefixPath('targetGroups[1]', '')).toBe('targetGroups[1]');
    expect(prefixPath('service', '[0]')).toBe('service[0]');
    expect(prefixPath('service', '$.loadBalancers[0]')).toBe('service.loadBalancers[0]');
    expect(prefixPath('targetGroups[0]', '$')).toBe('targetGroups[0]');
  });
});

describe('services operations', () => {
  it('creates a service from JSON texts; the override reaches every target group', async () => {
    await library.import(def('web', 1));
    const result = await dispatchOperation(handlers, 'services:create', {
      serviceText: JSON.stringify({ serviceName: 'api', taskDefinition: 'web:1' }),
      targetGroupTexts: [JSON.stringify({ Name: 'api-tg', Port: 18080 })],
      listen: { 'api-tg': 18081 },
      deregistrationDelaySeconds: 1,
    });
    expect(result.ok).toBe(true);
    const input = fake.creates[0];
    expect(input?.service.taskDefinitionRef).toBe('web:1');
    expect(input?.targetGroups[0]?.deregistrationDelaySeconds).toBe(1);
    expect(input?.listen).toEqual({ 'api-tg': { port: 18081 } });
  });

  it('reports every problem with its document-prefixed JSON path', async () => {
    const result = await dispatchOperation(handlers, 'services:create', {
      serviceText: JSON.stringify({ serviceName: 'api', taskDefinition: 'web:3' }),
      targetGroupTexts: [JSON.stringify({ Port: 1 })],
      listen: { ghost: 9000 },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INVALID_DEFINITION');
    expect(result.error.issues?.map((i) => i.path)).toEqual([
      'targetGroups[0].Name',
      'service.taskDefinition',
      'listen.ghost',
    ]);
    expect(result.error.message).toMatch(
      /^The service does not validate: targetGroups\[0\]\.Name: is required \(and 2 more\)/,
    );
  });

  it("words the service's target-group errors for the app, and blames a group that did not validate", async () => {
    const noGroup = await dispatchOperation(handlers, 'services:create', {
      serviceText: JSON.stringify({ serviceName: 'api', group: 'tg' }),
    });
    expect(!noGroup.ok && noGroup.error.issues?.[0]?.message).toBe(
      'no target group "tg" (known: none given (add its create-target-group JSON))',
    );
    const badGroup = await dispatchOperation(handlers, 'services:create', {
      serviceText: JSON.stringify({ serviceName: 'api', group: 'tg' }),
      targetGroupTexts: ['{}'],
    });
    expect(!badGroup.ok && badGroup.error.issues).toEqual([
      { path: 'targetGroups[0].Name', message: 'is required' },
      {
        path: 'service.loadBalancers[0].targetGroupArn',
        message: 'names a target group that is missing or did not validate (see targetGroups)',
      },
    ]);
  });

  it('refuses bad requests at their path before any handler runs', async () => {
    const bad = await dispatchOperation(handlers, 'services:update', {
      serviceName: 'a b',
      desiredCount: -1,
    });
    expect(!bad.ok && bad.error.issues?.map((i) => i.path)).toEqual(['serviceName', 'desiredCount']);
    const nothing = await dispatchOperation(handlers, 'services:update', { serviceName: 'api' });
    expect(!nothing.ok && nothing.error.message).toMatch(/nothing to update/);
    const both = await dispatchOperation(handlers, 'services:update', {
      serviceName: 'api',
      definitionId: 'def-1',
      taskDefinition: 'web:1',
    });
    expect(!both.ok && both.error.path).toBe('taskDefinition');
  });

  it('scales, deploys a library revision by id or reference, and deletes', async () => {
    await library.import(def('web', 1));
    const two = await library.import(def('web', 2));
    await dispatchOperation(handlers, 'services:create', {
      serviceText: JSON.stringify({ serviceName: 'api', taskDefinition: 'web:1' }),
    });
    const scaled = await dispatchOperation(handlers, 'services:update', {
      serviceName: 'api',
      desiredCount: 2,
    });
    expect(scaled.ok && (scaled.value as ServiceView).desiredCount).toBe(2);
    await dispatchOperation(handlers, 'services:update', { serviceName: 'api', definitionId: two.id });
    expect(fake.updates[1]?.taskDefinition?.ref).toBe('web:2');
    const missing = await dispatchOperation(handlers, 'services:update', {
      serviceName: 'api',
      taskDefinition: 'web:9',
    });
    expect(!missing.ok && missing.error).toMatchObject({ code: 'BAD_REQUEST', path: 'taskDefinition' });
    const unknown = await dispatchOperation(handlers, 'services:get', { serviceName: 'nope' });
    expect(!unknown.ok && unknown.error.code).toBe('NOT_FOUND');
    expect((await dispatchOperation(handlers, 'services:delete', { serviceName: 'api' })).ok).toBe(true);
  });

  it('says Docker is not connected when there is no manager', async () => {
    const h = createServiceHandlers({
      library,
      services: { manager: () => undefined },
    } as unknown as AppServices);
    expect(await h['services:list']({})).toEqual([]);
    await expect(h['services:get']({ serviceName: 'api' })).rejects.toMatchObject({
      code: 'DOCKER_UNAVAILABLE',
    });
  });
});
