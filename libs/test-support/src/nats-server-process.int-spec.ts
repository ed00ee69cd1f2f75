import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { NatsServerProcess } from './nats-server-process';

describe('NatsServerProcess', () => {
  it('runs a private JetStream server that keeps its store across a SIGKILL and restart', async () => {
    const server = await NatsServerProcess.start();
    try {
      let nc = await connect({ servers: server.url });
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: 'keep', subjects: ['keep.>'] });
      await jetstream(nc).publish('keep.a', 'hello');
      await nc.close();

      await server.kill();
      await expect(connect({ servers: server.url, reconnect: false, timeout: 500 })).rejects.toThrow();
      await server.restart();

      nc = await connect({ servers: server.url });
      const stored = await (await jetstreamManager(nc)).streams.getMessage('keep', { seq: 1 });
      expect(stored?.string()).toBe('hello');
      await nc.close();
    } finally {
      await server.stop();
    }
  });
});
