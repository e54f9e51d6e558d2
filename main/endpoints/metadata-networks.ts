/**
 * The `Networks` of a container's metadata document, as the agent builds them:
 * awsvpc from the task's ENI (amazon-ecs-agent agent/handlers/v4/response.go
 * `newNetworkInterfaceProperties`), every other mode from Docker's inspect, one entry per Docker
 * network with its IP as given — `[""]` in host and none mode (agent/handlers/v4/
 * container_metadata_handler.go `GetContainerNetworkMetadata`).
 */
import type Docker from '../docker/docker-client.js';
import type { TaskDetail } from '../../contract/dto.js';

type Inspect = Docker.ContainerInspectInfo;

export interface MetadataNetwork {
  readonly NetworkMode: string;
  readonly IPv4Addresses: readonly string[];
  readonly AttachmentIndex?: number;
  readonly MACAddress?: string;
  readonly IPv4SubnetCIDRBlock?: string;
  readonly DomainNameServers?: readonly string[];
  readonly DomainNameSearchList?: readonly string[];
  readonly PrivateDNSName?: string;
  readonly SubnetGatewayIpv4Address?: string;
}

/** `a.b.c.d/len` of the network containing ip. */
export function cidrOf(ip: string, prefixLen: number): string | undefined {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  if (!Number.isInteger(prefixLen) || prefixLen < 0 || prefixLen > 32) return undefined;
  const n = parts.reduce((acc, p) => acc * 256 + p, 0);
  const size = 2 ** (32 - prefixLen);
  const base = Math.floor(n / size) * size;
  const octets = [24, 16, 8, 0].map((s) => Math.floor(base / 2 ** s) % 256);
  return `${octets.join('.')}/${prefixLen}`;
}

/** The first (primary) network of a namespace owner's inspect. */
export function primaryNetwork(
  owner: Inspect | undefined,
): Inspect['NetworkSettings']['Networks'][string] | undefined {
  const nets = owner?.NetworkSettings?.Networks;
  if (!nets) return undefined;
  const first = Object.keys(nets).sort()[0];
  return first === undefined ? undefined : nets[first];
}

function attachmentDetail(task: TaskDetail, name: string): string | undefined {
  const eni = task.attachments.find((a) => a.type === 'ElasticNetworkInterface');
  return eni?.details.find((d) => d.name === name)?.value;
}

/** The region part of an ECS ARN. */
export function regionOf(arn: string): string {
  return arn.split(':')[3] || 'us-east-1';
}

/**
 * The DNS a VPC's default DHCP options give an ENI, in local terms: the servers the namespace
 * really uses (its own `dnsServers`, else Docker's embedded resolver on a user-defined network)
 * and the region's internal domain (`ec2.internal` in us-east-1, `<region>.compute.internal`
 * elsewhere) unless the task names its own search domains.
 */
function dnsOf(task: TaskDetail, owner: Inspect | undefined): { servers: string[]; search: string[] } {
  const region = regionOf(task.taskArn);
  const servers = owner?.HostConfig?.Dns?.length ? [...owner.HostConfig.Dns] : ['127.0.0.11'];
  const search = owner?.HostConfig?.DnsSearch?.length
    ? [...owner.HostConfig.DnsSearch]
    : [region === 'us-east-1' ? 'ec2.internal' : `${region}.compute.internal`];
  return { servers, search };
}

/** The container's Networks, or undefined before Docker knows them (non-awsvpc). */
export function networksOf(
  task: TaskDetail,
  inspect: Inspect | undefined,
  networkOwner: Inspect | undefined,
): MetadataNetwork[] | undefined {
  if (task.networkMode === 'awsvpc') {
    const owner = networkOwner ?? inspect;
    const net = primaryNetwork(owner);
    const ip = attachmentDetail(task, 'privateIPv4Address') ?? net?.IPAddress;
    const mac = attachmentDetail(task, 'macAddress') ?? net?.MacAddress;
    const dnsName = attachmentDetail(task, 'privateDnsName');
    const cidr = net?.IPAddress ? cidrOf(net.IPAddress, net.IPPrefixLen) : undefined;
    const gateway = net?.Gateway ? `${net.Gateway}/${net.IPPrefixLen}` : undefined;
    const dns = dnsOf(task, owner);
    return [
      {
        NetworkMode: 'awsvpc',
        IPv4Addresses: ip ? [ip] : [],
        AttachmentIndex: 0,
        ...(mac ? { MACAddress: mac } : {}),
        ...(cidr ? { IPv4SubnetCIDRBlock: cidr } : {}),
        DomainNameServers: dns.servers,
        DomainNameSearchList: dns.search,
        ...(dnsName ? { PrivateDNSName: dnsName } : {}),
        ...(gateway ? { SubnetGatewayIpv4Address: gateway } : {}),
      },
    ];
  }
  const owner = networkOwner ?? inspect;
  const nets = owner?.NetworkSettings?.Networks;
  if (nets && Object.keys(nets).length > 0) {
    return Object.keys(nets)
      .sort()
      .map((name) => ({ NetworkMode: name, IPv4Addresses: [nets[name]?.IPAddress ?? ''] }));
  }
  if (task.networkMode === 'host' || task.networkMode === 'none') {
    return [{ NetworkMode: task.networkMode, IPv4Addresses: [''] }];
  }
  return undefined;
}
