import Bowser from 'bowser';
import { RecentAnswers } from './recent-answers';

export interface DeviceInfo {
  device_type?: string;
  os?: string;
  os_version?: string;
  browser?: string;
  browser_version?: string;
}

const cut = (value: string | undefined) => (value ? value.slice(0, 64) : undefined);

/** Parsing is costly (regular expressions) and user agents repeat: the last 2,000 are kept. */
const recent = new RecentAnswers<DeviceInfo>(2000);

/** Device type (desktop, mobile, tablet, tv), OS and browser from a user agent, with bowser (MIT). */
export function parseUserAgent(userAgent: string | undefined): DeviceInfo {
  return userAgent ? recent.get(userAgent, parse) : {};
}

function parse(userAgent: string): DeviceInfo {
  const parsed = Bowser.parse(userAgent.slice(0, 512));
  const info: DeviceInfo = {
    device_type: cut(parsed.platform.type),
    os: cut(parsed.os.name),
    os_version: cut(parsed.os.version),
    browser: cut(parsed.browser.name),
    browser_version: cut(parsed.browser.version),
  };
  return Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined)) as DeviceInfo;
}
