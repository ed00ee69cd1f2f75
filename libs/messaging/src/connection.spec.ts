import { serverAtLeast } from './connection';

describe('serverAtLeast', () => {
  it.each([
    ['2.9.10', 2, 9, true],
    ['2.10.0', 2, 9, true],
    ['2.8.4', 2, 9, false],
    ['3.0.0', 2, 11, true],
    ['unknown', 2, 9, false],
  ])('%s >= %d.%d is %s', (version, major, minor, expected) => {
    expect(serverAtLeast(version, major, minor)).toBe(expected);
  });
});
