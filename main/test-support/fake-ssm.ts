/**
 * A local SSM-compatible endpoint for tests: answers GetParameter (JSON 1.1 protocol, the
 * `X-Amz-Target: AmazonSSM.GetParameter` POST the real @aws-sdk/client-ssm sends) from a map, and
 * ParameterNotFound (400) otherwise. Point the SDK at it with AWS_ENDPOINT_URL_SSM. Every call is
 * recorded with the access key that signed it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SsmCall {
  readonly name: string;
  readonly withDecryption: boolean;
  readonly signedBy?: string;
}

export interface FakeSsm {
  readonly url: string;
  readonly calls: SsmCall[];
  close(): Promise<void>;
}

export async function startFakeSsm(parameters: Readonly<Record<string, string>>): Promise<FakeSsm> {
  const calls: SsmCall[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const reply = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(payload));
      };
      if (req.headers['x-amz-target'] !== 'AmazonSSM.GetParameter') {
        reply(400, { __type: 'UnknownOperationException', message: 'only GetParameter' });
        return;
      }
      const input = JSON.parse(body) as { Name: string; WithDecryption?: boolean };
      const signedBy = /Credential=([^/]+)\//.exec(String(req.headers.authorization))?.[1];
      calls.push({
        name: input.Name,
        withDecryption: input.WithDecryption === true,
        ...(signedBy ? { signedBy } : {}),
      });
      const value = parameters[input.Name];
      if (value === undefined) {
        reply(400, { __type: 'ParameterNotFound', message: '' });
        return;
      }
      reply(200, { Parameter: { Name: input.Name, Type: 'SecureString', Value: value, Version: 1 } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
