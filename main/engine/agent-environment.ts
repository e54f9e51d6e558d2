/**
 * Variables the ECS agent (and the ECS backend through it) puts into every app container besides
 * the endpoint URIs: AWS_EXECUTION_ENV, and the task's region as AWS_REGION / AWS_DEFAULT_REGION
 * unless the container already sets either (amazon-ecs-agent agent/api/task/task.go
 * `ApplyRegionToContainer`, called from agent/engine/docker_task_engine.go before create).
 */
import type { TaskRuntime } from './task-runtime.js';

/** What to inject for one task. */
export interface AgentEnvironment {
  /** Always set (the agent's value wins). */
  readonly fixed: Readonly<Record<string, string>>;
  /** Set as AWS_REGION and AWS_DEFAULT_REGION when the container sets neither. */
  readonly region?: string;
}

/** The region part of an ECS ARN (`arn:aws:ecs:<region>:…`). */
export function regionOfArn(arn: string): string | undefined {
  return arn.split(':')[3] || undefined;
}

/** The agent-injected environment of a task's app containers. */
export function agentEnvironment(rt: Pick<TaskRuntime, 'launchType' | 'taskArn'>): AgentEnvironment {
  const region = regionOfArn(rt.taskArn);
  return {
    fixed: { AWS_EXECUTION_ENV: rt.launchType === 'FARGATE' ? 'AWS_ECS_FARGATE' : 'AWS_ECS_EC2' },
    ...(region ? { region } : {}),
  };
}

/** Adds AWS_REGION and AWS_DEFAULT_REGION to env unless either is already there. */
export function applyRegion(env: Map<string, string>, region: string | undefined): void {
  if (!region || env.has('AWS_REGION') || env.has('AWS_DEFAULT_REGION')) return;
  env.set('AWS_REGION', region);
  env.set('AWS_DEFAULT_REGION', region);
}
