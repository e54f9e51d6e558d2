/** Network inspector view-model (pure): ENI attachment details and port links from a task. */
import type { TaskDetail } from '../../../../contract/dto.js';

export interface EniView {
  readonly id: string;
  readonly status: string;
  readonly fields: readonly { readonly label: string; readonly name: string; readonly value: string }[];
}

const LABELS: Record<string, string> = {
  networkInterfaceId: 'ENI id',
  privateIPv4Address: 'Private IPv4',
  macAddress: 'MAC address',
  subnetId: 'Subnet',
  privateDnsName: 'Private DNS',
  subnetCidrBlock: 'Subnet CIDR',
  subnetGatewayIpv4Address: 'Gateway',
};

/** The task's ENI attachments with readable labels (known names first, in a fixed order). */
export function eniViews(task: TaskDetail): EniView[] {
  const order = Object.keys(LABELS);
  return task.attachments
    .filter((a) => a.type === 'ElasticNetworkInterface')
    .map((a) => ({
      id: a.id,
      status: a.status,
      fields: [...a.details]
        .sort((x, y) => (order.indexOf(x.name) + 1 || 99) - (order.indexOf(y.name) + 1 || 99))
        .map((d) => ({ label: LABELS[d.name] ?? d.name, name: d.name, value: d.value })),
    }));
}

/** A field of the metadata root document's first network (gateway, CIDR), if present. */
export function metadataNetworkField(root: unknown, key: string): string | undefined {
  const nets = (root as { Networks?: Record<string, unknown>[] } | undefined)?.Networks;
  const v = Array.isArray(nets) ? nets[0]?.[key] : undefined;
  return typeof v === 'string' ? v : undefined;
}

export interface PortLink {
  readonly container: string;
  readonly url: string;
  readonly text: string;
  readonly containerPort: number;
  readonly protocol: string;
}

/** One link per tcp host port (udp ports are listed but not linked). */
export function portLinks(task: TaskDetail): PortLink[] {
  return task.containers.flatMap((c) =>
    c.networkBindings.map((b) => ({
      container: c.name,
      url: b.protocol === 'tcp' ? `http://localhost:${b.hostPort}` : '',
      text: `localhost:${b.hostPort}`,
      containerPort: b.containerPort,
      protocol: b.protocol,
    })),
  );
}
