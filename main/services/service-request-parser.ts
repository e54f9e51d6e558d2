/**
 * `services:create` request → the service manager's CreateServiceInput: parses every target group
 * and the service (their parsers are injected), and reports every problem at once, each at a JSON
 * path prefixed with the document it is in (`service.loadBalancers[0].containerPort`,
 * `targetGroups[1].HealthCheckIntervalSeconds`).
 */
import type { DefinitionIssueView } from '../../contract/dto.js';
import { ApiFailure } from '../../contract/errors.js';
import type { CreateServiceInput } from '../ecs-service/service-manager-api.js';
import type { ServiceSpec } from '../ecs-service/service-spec.js';
import type { TargetGroupSpec } from '../ecs-service/target-group-spec.js';
import type { CreateServiceRequest, ParseCreateService } from './service-backend.js';

export type ParseOutcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: readonly DefinitionIssueView[] };

/** The two document parsers, already bound to region/account and the definitions library. */
export interface ServiceDocumentParsers {
  targetGroup(text: string, deregistrationDelaySeconds: number | undefined): ParseOutcome<TargetGroupSpec>;
  service(
    text: string,
    targetGroups: readonly TargetGroupSpec[],
  ): ParseOutcome<ServiceSpec> | Promise<ParseOutcome<ServiceSpec>>;
}

/** `loadBalancers[0].x` under `service` → `service.loadBalancers[0].x`; the root → `service`. */
export function prefixPath(prefix: string, rawPath: string): string {
  // The ecs-service parsers write JSONPath (`$.loadBalancers[0]`, `$` for the document).
  const path = rawPath.replace(/^\$\.?/, '');
  if (path === '') return prefix;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}

/**
 * The service parser speaks to the CLI; in the app a target group is pasted JSON, and one that did
 * not validate is reported at its own path, so the service's reference to it says so.
 */
function inAppWords(issue: DefinitionIssueView, groupFailed: boolean): DefinitionIssueView {
  if (groupFailed && /^\$?\.?loadBalancers\[\d+\]\.targetGroupArn$/.test(issue.path))
    return {
      ...issue,
      message: 'names a target group that is missing or did not validate (see targetGroups)',
    };
  return {
    ...issue,
    message: issue.message.replace('--target-group FILE', 'add its create-target-group JSON'),
  };
}

function failure(issues: DefinitionIssueView[]): ApiFailure {
  const first = issues[0];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new ApiFailure(
    'INVALID_DEFINITION',
    `The service does not validate: ${first ? `${first.path}: ${first.message}` : 'invalid'}${more}`,
    { ...(first ? { path: first.path } : {}), issues },
  );
}

export function createServiceRequestParser(parsers: ServiceDocumentParsers): ParseCreateService {
  return async (request: CreateServiceRequest): Promise<CreateServiceInput> => {
    const issues: DefinitionIssueView[] = [];
    const groups: TargetGroupSpec[] = [];
    request.targetGroupTexts.forEach((text, i) => {
      const parsed = parsers.targetGroup(text, request.deregistrationDelaySeconds);
      if (parsed.ok) groups.push(parsed.value);
      else
        for (const e of parsed.errors) issues.push({ ...e, path: prefixPath(`targetGroups[${i}]`, e.path) });
    });
    const names = new Map<string, number>();
    groups.forEach((g, i) => {
      const before = names.get(g.name);
      if (before !== undefined)
        issues.push({
          path: `targetGroups[${i}].Name`,
          message: `"${g.name}" is also the name of targetGroups[${before}]`,
        });
      names.set(g.name, i);
    });
    const groupFailed = groups.length < request.targetGroupTexts.length;
    const service = await parsers.service(request.serviceText, groups);
    if (!service.ok)
      for (const e of service.errors)
        issues.push({ ...inAppWords(e, groupFailed), path: prefixPath('service', e.path) });
    const listen: Record<string, { port: number }> = {};
    for (const [name, port] of Object.entries(request.listen ?? {})) {
      if (!names.has(name)) {
        issues.push({
          path: `listen.${name}`,
          message: `no target group named "${name}" (target groups: ${[...names.keys()].join(', ') || 'none'})`,
        });
      } else listen[name] = { port };
    }
    if (issues.length > 0 || !service.ok) throw failure(issues);
    return {
      service: service.value,
      targetGroups: groups,
      ...(Object.keys(listen).length > 0 ? { listen } : {}),
    };
  };
}
