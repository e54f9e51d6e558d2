/**
 * The operation contract: one entry per operation, `name → { request: zod schema, response type }`.
 * Every transport (Electron IPC, HTTP) validates requests with these schemas before a handler runs,
 * and `ApiHandlers` makes a missing handler a compile error.
 */
import { z } from 'zod';
import type {
  AppInfo,
  ContainerEndpointsView,
  DefinitionDetail,
  DefinitionSummary,
  DefinitionValidation,
  DockerConnectionStatus,
  HealthProbe,
  LaunchRecord,
  LogLine,
  ExecSessionInfo,
  OrphanCleanupResult,
  RecoveryStatus,
  Settings,
  TaskDefinitionView,
  TaskDetail,
  TaskResources,
  TaskStateChangeEvent,
} from './dto.js';
import { PULL_BEHAVIORS } from './dto.js';
import { LAUNCH_TYPE_CHOICES } from './dto.js';
import type { CallerContext } from './caller.js';
import type { ServiceView } from './service-dto.js';
import { servicesCreateRequest, servicesGetRequest, servicesUpdateRequest } from './service-operations.js';
import type { ApiResult } from './errors.js';
import type { OperationName } from './operation-names.js';

declare const responseBrand: unique symbol;
/** Phantom carrier of an operation's response type (no runtime value). */
export interface ResponseOf<R> {
  readonly [responseBrand]?: R;
}

/** One operation: its request schema and (phantom) response type. */
export interface OperationDef<S extends z.ZodType, R> {
  readonly request: S;
  readonly response: ResponseOf<R>;
}

function op<R>(): <S extends z.ZodType>(request: S) => OperationDef<S, R> {
  return (request) => ({ request, response: {} });
}

const empty = z.object({}).strict();
const id = z
  .string()
  .min(1, 'must not be empty')
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/, 'must contain only letters, digits, "-" and "_"');
const taskId = z
  .string()
  .min(1, 'must not be empty')
  .max(2048)
  .regex(/^[A-Za-z0-9:/_-]+$/, 'must be a task id or task ARN');
const containerName = z
  .string()
  .min(1, 'must not be empty')
  .max(255)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be a container name (letters, digits, "-" and "_")');
const definitionText = z.string().max(1_000_000, 'is too large (over 1 MB)');
const fileName = z.string().min(1).max(255);
const pullBehavior = z.enum(PULL_BEHAVIORS as readonly ['default', 'always', 'once', 'prefer-cached']);
const envName = z
  .string()
  .min(1, 'must not be empty')
  .max(1024)
  .regex(/^[^=\0]+$/, 'must not contain "=" or NUL');

/** Most characters in one `exec:input` (a paste is sent in several). */
export const EXEC_INPUT_MAX = 8192;
const sessionId = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'must be an exec session id');
const terminalSize = z.number().int('must be a whole number').min(1).max(1000);

/** RunTask containerOverrides as the launch dialog sends them. */
export const containerOverrideSchema = z
  .object({
    name: z.string().min(1, 'must name a container'),
    command: z.array(z.string().max(100_000)).max(1000).readonly().optional(),
    environment: z
      .array(z.object({ name: envName, value: z.string().max(100_000) }).strict())
      .max(1000)
      .readonly()
      .optional(),
    cpu: z.number().int('must be a whole number of CPU units').min(0).max(262_144).optional(),
    memory: z.number().int('must be a whole number of MiB').min(6, 'must be at least 6 MiB').optional(),
  })
  .strict();

/** RunTask overrides. */
export const launchOverridesSchema = z
  .object({ containerOverrides: z.array(containerOverrideSchema).max(100).readonly().optional() })
  .strict();

const settingsPatch = z
  .object({
    dockerEndpoint: z
      .string()
      .max(2048)
      .refine((v) => v === '' || /^(unix|tcp|npipe|ssh|http|https):\/\//.test(v), {
        message:
          'must be empty (automatic) or start with unix://, tcp://, npipe://, ssh://, http:// or https://',
      })
      .optional(),
    dockerContext: z.string().max(255).optional(),
    awsProfile: z.string().max(255).optional(),
    defaultPullBehavior: pullBehavior.optional(),
    dataDir: z
      .string()
      .min(1, 'must not be empty')
      .max(4096)
      .refine((v) => v.startsWith('/') || v.startsWith('~') || /^[A-Za-z]:[\\/]/.test(v), {
        message: 'must be an absolute path',
      })
      .optional(),
    theme: z.enum(['light', 'dark', 'system']).optional(),
    passOwnCredentials: z.boolean().optional(),
    exposePorts: z.boolean().optional(),
    allowEnvFilesOutsideFolder: z.boolean().optional(),
    logCapMB: z.number().min(0.1, 'must be at least 0.1 MB').max(100_000).optional(),
    secretsFile: z
      .string()
      .max(4096)
      .refine((v) => v === '' || v.startsWith('/') || v.startsWith('~') || /^[A-Za-z]:[\\/]/.test(v), {
        message: 'must be empty (no secrets file) or an absolute path',
      })
      .optional(),
    awsSecrets: z.boolean().optional(),
    region: z
      .string()
      .max(64)
      .refine((v) => v === '' || /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(v), {
        message: 'must be empty (your AWS config) or a region name such as eu-west-1',
      })
      .optional(),
    account: z
      .string()
      .refine((v) => v === '' || /^\d{12}$/.test(v), {
        message: 'must be empty (your caller identity) or a 12-digit account id',
      })
      .optional(),
  })
  .strict();

/** Every operation. Keys must equal OPERATION_NAMES (checked below). */
export const operations = {
  'app:info': op<AppInfo>()(empty),

  'definitions:list': op<readonly DefinitionSummary[]>()(empty),
  'definitions:get': op<DefinitionDetail>()(z.object({ id }).strict()),
  'definitions:validate': op<DefinitionValidation>()(
    z.object({ text: definitionText, fileName: fileName.optional() }).strict(),
  ),
  'definitions:import': op<DefinitionDetail>()(
    z.object({ text: definitionText.min(1, 'must not be empty'), fileName: fileName.optional() }).strict(),
  ),
  'definitions:update': op<DefinitionDetail>()(z.object({ id, text: definitionText }).strict()),
  'definitions:delete': op<{ readonly deleted: true }>()(z.object({ id }).strict()),
  'definitions:example': op<DefinitionDetail>()(empty),

  'tasks:list': op<readonly TaskDetail[]>()(empty),
  'tasks:get': op<TaskDetail>()(z.object({ taskId }).strict()),
  'tasks:run': op<readonly TaskDetail[]>()(
    z
      .object({
        definitionId: id,
        count: z
          .number()
          .int('must be a whole number')
          .min(1, 'must be at least 1')
          .max(10, 'must be at most 10')
          .default(1),
        pullBehavior: pullBehavior.optional(),
        overrides: launchOverridesSchema.optional(),
        /** Omitted → the setting (default: assume the task role). */
        passOwnCredentials: z.boolean().optional(),
        /** The user confirmed the definition's host-access settings (required when it has any). */
        allowHostAccess: z.boolean().optional(),
        /** RunTask `enableExecuteCommand`: allow ECS Exec into the task's containers. */
        enableExecuteCommand: z.boolean().optional(),
        /** RunTask `launchType`; omitted → FARGATE for Fargate-compatible awsvpc definitions, else EC2. */
        launchType: z.enum(LAUNCH_TYPE_CHOICES).optional(),
      })
      .strict(),
  ),
  'tasks:rerun': op<readonly TaskDetail[]>()(
    z
      .object({
        taskId,
        count: z.number().int().min(1).max(10).default(1),
        pullBehavior: pullBehavior.optional(),
        /** Omitted → the original launch's overrides. */
        overrides: launchOverridesSchema.optional(),
        /** Omitted → the original launch's choice. */
        passOwnCredentials: z.boolean().optional(),
        /** The user confirmed the definition's host-access settings (required when it has any). */
        allowHostAccess: z.boolean().optional(),
        /** Omitted → the original launch's setting. */
        enableExecuteCommand: z.boolean().optional(),
        /** Omitted → the original launch's launch type. */
        launchType: z.enum(LAUNCH_TYPE_CHOICES).optional(),
      })
      .strict(),
  ),
  'tasks:launchRecord': op<LaunchRecord | null>()(z.object({ taskId }).strict()),
  'tasks:stop': op<TaskDetail>()(
    z.object({ taskId, reason: z.string().max(1024, 'must be at most 1024 characters').optional() }).strict(),
  ),
  'tasks:events': op<readonly TaskStateChangeEvent[]>()(z.object({ taskId }).strict()),
  'tasks:logs': op<readonly LogLine[]>()(
    z
      .object({
        taskId,
        container: z.string().min(1).max(255).optional(),
        afterSeq: z.number().int().min(-1).optional(),
        limit: z.number().int().min(1).max(200_000).optional(),
      })
      .strict(),
  ),
  'tasks:healthProbes': op<Readonly<Record<string, readonly HealthProbe[]>>>()(z.object({ taskId }).strict()),
  /** The definition the task runs (normalised, overrides applied); null when the engine lost it. */
  'tasks:definition': op<TaskDefinitionView | null>()(z.object({ taskId }).strict()),
  /** What one container sees at its metadata endpoint, and the credentials status (never values). */
  'tasks:endpoints': op<ContainerEndpointsView>()(z.object({ taskId, container: containerName }).strict()),

  'docker:status': op<DockerConnectionStatus>()(empty),
  'docker:retry': op<DockerConnectionStatus>()(empty),

  'settings:get': op<Settings>()(empty),
  'settings:update': op<Settings>()(settingsPatch),

  /** Resource history per container (CPU, memory, network, block I/O, PIDs) and limits. */
  'tasks:stats': op<TaskResources>()(z.object({ taskId }).strict()),
  /** ECS Exec: a TTY session in a running container of a task run with enableExecuteCommand. */
  'exec:start': op<ExecSessionInfo>()(
    z
      .object({
        taskId,
        container: containerName,
        /** As `aws ecs execute-command --command`: split into words, run without a shell. */
        command: z.string().min(1, 'must not be empty').max(4096).default('/bin/sh'),
        cols: terminalSize,
        rows: terminalSize,
      })
      .strict(),
  ),
  /** Keystrokes (or pasted text, in chunks of at most EXEC_INPUT_MAX characters). */
  'exec:input': op<{ readonly accepted: true }>()(
    z.object({ sessionId, data: z.string().min(1).max(EXEC_INPUT_MAX) }).strict(),
  ),
  'exec:resize': op<{ readonly accepted: true }>()(
    z.object({ sessionId, cols: terminalSize, rows: terminalSize }).strict(),
  ),
  /** Ends the session (the last `exec:output` message, `exited`, follows). */
  'exec:close': op<{ readonly accepted: true }>()(z.object({ sessionId }).strict()),

  /** Orphans of Taskdeck processes that are gone, and damaged data found (the app's banner). */
  'recovery:status': op<RecoveryStatus>()(empty),
  /** Removes the orphans (`taskdeck gc`); objects of a live Taskdeck process are never touched. */
  'recovery:cleanOrphans': op<OrphanCleanupResult>()(empty),

  /** ECS services (issue 13): every service this Taskdeck runs, with deployments, events and targets. */
  'services:list': op<readonly ServiceView[]>()(empty),
  'services:get': op<ServiceView>()(servicesGetRequest),
  /** CreateService from create-service JSON + create-target-group JSONs; errors name the JSON path. */
  'services:create': op<ServiceView>()(servicesCreateRequest),
  /** UpdateService: scale, deploy another revision from the library, or force a new deployment. */
  'services:update': op<ServiceView>()(servicesUpdateRequest),
  /** DeleteService --force: drains every target, stops every task, closes the listeners. */
  'services:delete': op<{ readonly deleted: true }>()(servicesGetRequest),
} as const;

type OperationMap = typeof operations;

// Compile-time: the schema map and OPERATION_NAMES have exactly the same keys.
type _MissingSchema = Exclude<OperationName, keyof OperationMap>;
type _UnlistedSchema = Exclude<keyof OperationMap, OperationName>;
const _namesComplete: [_MissingSchema, _UnlistedSchema] extends [never, never] ? true : false = true;
void _namesComplete;

/** What a caller sends (defaults not yet applied). */
export type OperationInput<N extends OperationName> = z.input<OperationMap[N]['request']>;
/** What a handler receives (validated, defaults applied). */
export type OperationParams<N extends OperationName> = z.output<OperationMap[N]['request']>;
/** What a handler resolves with. */
export type OperationResponse<N extends OperationName> =
  OperationMap[N]['response'] extends ResponseOf<infer R> ? R : never;

/**
 * One handler per operation; a missing one is a compile error. `caller` is the connection the call
 * came on, when the transport has one (connection-bound operations need it).
 */
export type ApiHandlers = {
  readonly [N in OperationName]: (
    params: OperationParams<N>,
    caller?: CallerContext,
  ) => Promise<OperationResponse<N>>;
};

/** The client side: one function per operation returning the envelope. */
export type OperationInvokers = {
  readonly [N in OperationName]: (input: OperationInput<N>) => Promise<ApiResult<OperationResponse<N>>>;
};

/** Settings fields the user may change. */
export type SettingsPatch = z.input<typeof settingsPatch>;
