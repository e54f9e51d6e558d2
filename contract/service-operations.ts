/**
 * Request schemas of the services operations (issue 13): `services:list|get|create|update|delete`.
 * Kept apart from operations.ts so that file only gains one line per operation.
 */
import { z } from 'zod';

/** ECS: up to 255 letters (upper and lower case), numbers, underscores and hyphens. */
export const serviceNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'must contain only letters, digits, "-" and "_" (as ECS service names)');

const jsonText = z.string().min(1, 'must not be empty').max(1_000_000, 'is too large (over 1 MB)');

/** elbv2 target group names: 1–32 letters, digits and hyphens. */
const targetGroupName = z
  .string()
  .min(1, 'must not be empty')
  .max(32, 'must be at most 32 characters (an ELB target group name)')
  .regex(/^[A-Za-z0-9-]+$/, 'must be a target group name (letters, digits and "-")');

const port = z
  .number()
  .int('must be a whole number')
  .min(1, 'must be a port between 1 and 65535')
  .max(65535, 'must be a port between 1 and 65535');

/** A library definition id (as `definitions:get`). */
const definitionId = z
  .string()
  .min(1, 'must not be empty')
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/, 'must contain only letters, digits, "-" and "_"');

/** `family`, `family:revision` or a task-definition ARN, resolved against the definitions library. */
const taskDefinitionRef = z
  .string()
  .min(1, 'must not be empty')
  .max(1600)
  .regex(
    /^(arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/)?[A-Za-z0-9_-]{1,255}(:\d{1,9})?$/,
    'must be "family", "family:revision" or a task-definition ARN',
  );

export const servicesGetRequest = z.object({ serviceName: serviceNameSchema }).strict();

export const servicesCreateRequest = z
  .object({
    /** `aws ecs create-service --cli-input-json` text; taskDefinition names a library definition. */
    serviceText: jsonText,
    /** `aws elbv2 create-target-group --cli-input-json` texts, one per target group the service uses. */
    targetGroupTexts: z.array(jsonText).max(5, 'must list at most 5 target groups').default([]),
    /** Listener port per target group name (CLI `--listen NAME=PORT`); default the group's `Port`. */
    listen: z.record(targetGroupName, port).optional(),
    /** Overrides every group's `deregistration_delay.timeout_seconds` (default 300 s as on ELB). */
    deregistrationDelaySeconds: z
      .number()
      .int('must be a whole number of seconds')
      .min(0, 'must be between 0 and 3600 seconds')
      .max(3600, 'must be between 0 and 3600 seconds')
      .optional(),
  })
  .strict();

export const servicesUpdateRequest = z
  .object({
    serviceName: serviceNameSchema,
    desiredCount: z
      .number()
      .int('must be a whole number')
      .min(0, 'must be at least 0')
      .max(100, 'must be at most 100 on a laptop')
      .optional(),
    /** A library definition to deploy (a new revision of the service's family). */
    definitionId: definitionId.optional(),
    /** Or a reference resolved against the library: `family:revision`, `family` (latest) or an ARN. */
    taskDefinition: taskDefinitionRef.optional(),
    forceNewDeployment: z.boolean().optional(),
  })
  .strict()
  .refine((v) => v.definitionId === undefined || v.taskDefinition === undefined, {
    message: 'give either definitionId or taskDefinition, not both',
    path: ['taskDefinition'],
  })
  .refine(
    (v) =>
      v.desiredCount !== undefined ||
      v.definitionId !== undefined ||
      v.taskDefinition !== undefined ||
      v.forceNewDeployment === true,
    { message: 'nothing to update: give desiredCount, definitionId, taskDefinition or forceNewDeployment' },
  );
