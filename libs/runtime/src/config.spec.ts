import { Type } from '@sinclair/typebox';
import { ConfigError, loadConfig } from './config';

const Schema = Type.Object({
  NATS_URL: Type.String({ default: 'nats://127.0.0.1:4222', pattern: '^nats://' }),
  HTTP_PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 8080 }),
  MODE: Type.Union([Type.Literal('a'), Type.Literal('b')], { default: 'a' }),
  FLAG: Type.Boolean({ default: false }),
});

describe('loadConfig', () => {
  it('applies defaults when variables are unset or empty', () => {
    expect(loadConfig(Schema, { HTTP_PORT: '' })).toEqual({
      NATS_URL: 'nats://127.0.0.1:4222',
      HTTP_PORT: 8080,
      MODE: 'a',
      FLAG: false,
    });
  });

  it('converts strings to the declared types', () => {
    expect(loadConfig(Schema, { HTTP_PORT: '9000', MODE: 'b', FLAG: 'true' })).toMatchObject({
      HTTP_PORT: 9000,
      MODE: 'b',
      FLAG: true,
    });
  });

  it.each([
    [{ HTTP_PORT: 'abc' }, /HTTP_PORT: .*got "abc"/],
    [{ HTTP_PORT: '70000' }, /HTTP_PORT: .*70000/],
    [{ NATS_URL: 'http://x' }, /NATS_URL: .*got "http:\/\/x"/],
    [{ MODE: 'c' }, /MODE: .*one of "a", "b"/],
  ])('names the bad variable in %j', (env, message) => {
    expect(() => loadConfig(Schema, env)).toThrow(ConfigError);
    expect(() => loadConfig(Schema, env)).toThrow(message);
  });

  it('reports every bad variable at once', () => {
    try {
      loadConfig(Schema, { HTTP_PORT: '0', MODE: 'x' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.split(':')[0])).toEqual(
        expect.arrayContaining(['HTTP_PORT', 'MODE']),
      );
    }
  });
});
