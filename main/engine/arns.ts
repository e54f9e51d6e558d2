/** ARN builders (semantics §2). */

export interface ArnContext {
  readonly region: string;
  readonly account: string;
  readonly cluster: string;
}

export const DEFAULT_ARN_CONTEXT: ArnContext = {
  region: 'us-east-1',
  account: '000000000000',
  cluster: 'default',
};

export function clusterArn(ctx: ArnContext): string {
  return `arn:aws:ecs:${ctx.region}:${ctx.account}:cluster/${ctx.cluster}`;
}

export function taskArn(ctx: ArnContext, taskId: string): string {
  return `arn:aws:ecs:${ctx.region}:${ctx.account}:task/${ctx.cluster}/${taskId}`;
}

export function containerArn(ctx: ArnContext, taskId: string, name: string): string {
  return `arn:aws:ecs:${ctx.region}:${ctx.account}:container/${ctx.cluster}/${taskId}/${name}`;
}

export function taskDefinitionArn(ctx: ArnContext, family: string, revision: number): string {
  return `arn:aws:ecs:${ctx.region}:${ctx.account}:task-definition/${family}:${revision}`;
}

/** The task id (32 hex) at the end of a task ARN, or the input when it is already an id. */
export function taskIdOf(arnOrId: string): string {
  const slash = arnOrId.lastIndexOf('/');
  return slash >= 0 ? arnOrId.slice(slash + 1) : arnOrId;
}

/** Region and account as a task's ARN carries them (fallback: ctx), cluster from ctx. */
export function arnContextOf(arn: string, ctx: ArnContext): ArnContext {
  const parts = arn.split(':');
  return { region: parts[3] || ctx.region, account: parts[4] || ctx.account, cluster: ctx.cluster };
}
