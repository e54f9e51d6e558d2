import { describe, expect, it } from 'vitest';
import { container, task } from '../tasks/task-fixtures.js';
import { eniViews, metadataNetworkField, portLinks } from './network-model.js';

describe('eniViews', () => {
  it('labels and orders ENI details', () => {
    const t = task([], {
      attachments: [
        {
          id: 'att-1',
          type: 'ElasticNetworkInterface',
          status: 'ATTACHED',
          details: [
            { name: 'privateDnsName', value: 'ip-172-17-0-2.ec2.internal' },
            { name: 'macAddress', value: '02:42:ac:11:00:02' },
            { name: 'networkInterfaceId', value: 'eni-1' },
            { name: 'privateIPv4Address', value: '172.17.0.2' },
            { name: 'subnetId', value: 'subnet-local' },
          ],
        },
      ],
    });
    expect(eniViews(t)[0]?.fields.map((f) => [f.label, f.value])).toEqual([
      ['ENI id', 'eni-1'],
      ['Private IPv4', '172.17.0.2'],
      ['MAC address', '02:42:ac:11:00:02'],
      ['Subnet', 'subnet-local'],
      ['Private DNS', 'ip-172-17-0-2.ec2.internal'],
    ]);
  });
  it('no attachments → none', () => expect(eniViews(task([]))).toEqual([]));
});

describe('portLinks', () => {
  it.each([
    [
      { bindIP: '0.0.0.0', containerPort: 80, hostPort: 32768, protocol: 'tcp' as const },
      'http://localhost:32768',
    ],
    [{ bindIP: '0.0.0.0', containerPort: 53, hostPort: 5353, protocol: 'udp' as const }, ''],
  ])('%j → %s', (binding, url) => {
    expect(portLinks(task([container({ name: 'web', networkBindings: [binding] })]))[0]?.url).toBe(url);
  });
});

describe('metadataNetworkField', () => {
  it.each([
    [{ Networks: [{ SubnetGatewayIpv4Address: '172.17.0.1/16' }] }, '172.17.0.1/16'],
    [{ Networks: [] }, undefined],
    [undefined, undefined],
  ])('%j', (root, out) => expect(metadataNetworkField(root, 'SubnetGatewayIpv4Address')).toBe(out));
});
