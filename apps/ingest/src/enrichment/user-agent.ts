import Bowser from 'bowser';
import type { DeviceFacts } from '@sightline/intake';

const cut = (value: string | undefined) => (value ? value.slice(0, 64) : undefined);

/**
 * Device type (desktop, mobile, tablet, tv), OS and browser from a user agent, with bowser (MIT):
 * the enricher's device look-up, which keeps the recent answers.
 */
export function parseUserAgent(userAgent: string | undefined): DeviceFacts {
  if (!userAgent) return {};
  const parsed = Bowser.parse(userAgent.slice(0, 512));
  const info: DeviceFacts = {
    device_type: cut(parsed.platform.type),
    os: cut(parsed.os.name),
    os_version: cut(parsed.os.version),
    browser: cut(parsed.browser.name),
    browser_version: cut(parsed.browser.version),
  };
  return Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined)) as DeviceFacts;
}
