import { Writable } from 'node:stream';
import pino from 'pino';
import { NestJsonLogger } from './nest-logger';

function capture(level: 'info' | 'debug') {
  const lines: { level: number; context?: string; msg: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: new NestJsonLogger(pino({ level }, sink)) };
}

describe('NestJsonLogger', () => {
  it("keeps Nest's start-up lines out of the info log and everything else in it", async () => {
    const { lines, logger } = capture('info');
    logger.log('AppModule dependencies initialized', 'InstanceLoader');
    logger.log('Mapped {/v1/beacons, POST} route', 'RouterExplorer');
    logger.log('Nest application successfully started', 'NestApplication');
    logger.log('rules loaded', 'RulesService');
    logger.warn('slow', 'RulesService');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map((l) => [l.level, l.context, l.msg])).toEqual([
      [30, 'RulesService', 'rules loaded'],
      [40, 'RulesService', 'slow'],
    ]);
  });

  it('writes the start-up lines at debug level', async () => {
    const { lines, logger } = capture('debug');
    logger.log('Mapped {/v1/beacons, POST} route', 'RouterExplorer');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map((l) => [l.level, l.context])).toEqual([[20, 'RouterExplorer']]);
  });
});
