import { describe, expect, it } from 'vitest';
import { DockerEventStream, type DockerEvent } from './docker-events.js';
import { dockerError, FakeDocker } from './fake-docker.js';

const LABELS = { 'com.taskdeck.managed': 'true' };

async function created(docker: FakeDocker, name: string) {
  return docker.createContainer({ name, Image: 'img:1', Labels: LABELS });
}

describe('FakeDocker', () => {
  it('fails the next calls of an operation, then behaves', async () => {
    const docker = new FakeDocker({ images: ['img:1'] });
    docker.failNext('createContainer', dockerError(500, 'no space left on device'), { times: 2 });
    await expect(created(docker, 'a')).rejects.toMatchObject({ statusCode: 500 });
    await expect(created(docker, 'a')).rejects.toThrow('no space left on device');
    const c = await created(docker, 'a');
    await expect(created(docker, 'a')).rejects.toMatchObject({ statusCode: 409 });
    await c.start();
    await expect(c.start()).rejects.toMatchObject({ statusCode: 304 });
    expect((await c.inspect()).State.Running).toBe(true);
  });

  it('holds a call until released', async () => {
    const docker = new FakeDocker({ images: ['img:1'] });
    const c = await created(docker, 'a');
    const held = docker.hold('start');
    let done = false;
    const starting = c.start().then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    held.release();
    await starting;
    expect(docker.container('a')?.state).toBe('running');
  });

  it('breaks event streams on disconnect and replays what was missed on reconnect', async () => {
    const docker = new FakeDocker({ images: ['img:1'] });
    const stream = new DockerEventStream(docker, { label: ['com.taskdeck.managed=true'] });
    const seen: DockerEvent[] = [];
    stream.on('event', (ev) => seen.push(ev));
    await stream.start();
    const c = await created(docker, 'a');
    await c.start();
    const disconnected = new Promise<void>((r) => stream.once('disconnected', () => r()));
    docker.disconnect();
    await disconnected;
    await expect(c.inspect()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    // The container exits while the client cannot see it.
    docker.reconnect();
    docker.exit('a', 2);
    docker.disconnect();
    const reconnected = new Promise<void>((r) => stream.once('connected', () => r()));
    docker.reconnect();
    await reconnected;
    await new Promise((r) => setImmediate(r));
    stream.close();
    expect(seen.map((e) => e.Action)).toEqual(['create', 'start', 'die']);
    expect(seen[2]?.Actor.Attributes.exitCode).toBe('2');
  });

  it('delivers held events in another order', async () => {
    const docker = new FakeDocker({ images: ['img:1'] });
    const out = await docker.getEvents({
      filters: JSON.stringify({ label: ['com.taskdeck.managed=true'] }),
    } as never);
    const actions: string[] = [];
    out.on('data', (chunk: Buffer) =>
      actions.push(
        ...chunk
          .toString()
          .trim()
          .split('\n')
          .map((l) => (JSON.parse(l) as DockerEvent).Action),
      ),
    );
    docker.holdEvents();
    const c = await created(docker, 'a');
    await c.start();
    docker.exit('a', 0);
    docker.releaseEvents();
    await new Promise((r) => setImmediate(r));
    expect(actions).toEqual(['die', 'start', 'create']);
  });
});
