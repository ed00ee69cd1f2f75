import type { Random } from './random';

/** An access network: real address blocks of the ISP, so ingest's enrichment finds its ASN and country. */
export interface AccessNetwork {
  readonly isp: string;
  readonly asn: number;
  readonly country: string;
  /** First two octets of an IPv4 block the ISP announces. */
  readonly block: string;
  /** Scales the trace: fixed lines are faster than the 3G traces they replay. */
  readonly speed: number;
  readonly weight: number;
}

export const NETWORKS: readonly AccessNetwork[] = [
  { isp: 'Telenor Norge', asn: 2119, country: 'NO', block: '2.150', speed: 1, weight: 14 },
  { isp: 'Telia Norge', asn: 25400, country: 'NO', block: '84.208', speed: 1, weight: 8 },
  { isp: 'Comcast', asn: 7922, country: 'US', block: '73.15', speed: 4, weight: 16 },
  { isp: 'Charter', asn: 20001, country: 'US', block: '72.130', speed: 3, weight: 9 },
  { isp: 'BT', asn: 2856, country: 'GB', block: '86.140', speed: 3, weight: 10 },
  { isp: 'Deutsche Telekom', asn: 3320, country: 'DE', block: '79.200', speed: 3, weight: 10 },
  { isp: 'Orange', asn: 3215, country: 'FR', block: '90.10', speed: 3, weight: 9 },
  { isp: 'Vodafone Spain', asn: 12430, country: 'ES', block: '89.7', speed: 2, weight: 6 },
  { isp: 'Reliance Jio', asn: 55836, country: 'IN', block: '49.36', speed: 1, weight: 10 },
  { isp: 'Telefonica Brasil', asn: 27699, country: 'BR', block: '187.10', speed: 1.5, weight: 8 },
];

export interface Device {
  readonly kind: 'desktop' | 'mobile' | 'tablet' | 'tv';
  readonly userAgent: string;
  readonly playerName: string;
  readonly playerVersions: readonly string[];
  readonly width: number;
  readonly height: number;
  readonly weight: number;
}

export const DEVICES: readonly Device[] = [
  {
    kind: 'desktop',
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    playerName: 'hls.js',
    playerVersions: ['1.5.17', '1.6.2'],
    width: 1280,
    height: 720,
    weight: 28,
  },
  {
    kind: 'desktop',
    userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
    playerName: 'shaka-player',
    playerVersions: ['4.12.4'],
    width: 1440,
    height: 810,
    weight: 8,
  },
  {
    kind: 'mobile',
    userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
    playerName: 'avplayer',
    playerVersions: ['17.6'],
    width: 390,
    height: 219,
    weight: 24,
  },
  {
    kind: 'mobile',
    userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
    playerName: 'exoplayer',
    playerVersions: ['media3-1.4.1', 'media3-1.5.0'],
    width: 412,
    height: 232,
    weight: 22,
  },
  {
    kind: 'tv',
    userAgent: 'Mozilla/5.0 (SMART-TV; LINUX; Tizen 7.0) AppleWebKit/537.36 (KHTML, like Gecko) 94.0.4606.31/7.0 TV Safari/537.36',
    playerName: 'shaka-player',
    playerVersions: ['4.9.2'],
    width: 1920,
    height: 1080,
    weight: 18,
  },
];

export const CDNS: readonly (readonly [string, number])[] = [
  ['akamai', 45],
  ['cloudfront', 35],
  ['fastly', 20],
];

export interface Title {
  readonly id: string;
  readonly title: string;
  readonly live: boolean;
  /** Content length (VOD), seconds. */
  readonly durationS: number;
}

const NAMES = [
  'Fjord Patrol', 'Night Shift', 'The Long Tide', 'Glass Harbour', 'Northern Lines', 'Salt and Stone', 'Copper Sky',
  'Quiet Engines', 'Winter Market', 'The Ferryman', 'Paper Lanterns', 'Red Meridian', 'Open Water', 'Kitchen Rules',
  'Field Notes', 'Second Orbit', 'Harbour Lights', 'Ice Road North', 'The Last Metro', 'Summer Ferry', 'Tram 17',
  'Mountain Rescue', 'City Limits', 'Wild Coast',
];

export const TITLES: readonly Title[] = [
  ...NAMES.map((name, i) => ({ id: `vod-${String(i + 1).padStart(3, '0')}`, title: name, live: false, durationS: 600 + ((i * 937) % 3600) })),
  { id: 'live-news', title: 'News 24', live: true, durationS: 0 },
  { id: 'live-sport-1', title: 'Sport One', live: true, durationS: 0 },
  { id: 'live-sport-2', title: 'Sport Two', live: true, durationS: 0 },
  { id: 'live-kids', title: 'Kids Live', live: true, durationS: 0 },
];

/** Everything about one view that does not change while it plays. */
export interface ViewerProfile {
  readonly network: AccessNetwork;
  readonly ip: string;
  readonly device: Device;
  readonly playerVersion: string;
  readonly cdn: string;
  readonly title: Title;
  readonly viewerId: string;
  /** Seconds the viewer means to watch. */
  readonly intendedWatchS: number;
  /** Seconds the viewer waits for the first frame before giving up. */
  readonly startupPatienceS: number;
  /** Seconds of one stall the viewer sits through before leaving. */
  readonly stallPatienceS: number;
  readonly pauses: boolean;
  readonly seeks: boolean;
}

/** Zipf-like popularity: title k is watched about 1/k as often as the first. */
function pickTitle(random: Random, liveShare: number): Title {
  const live = TITLES.filter((t) => t.live);
  const vod = TITLES.filter((t) => !t.live);
  if (random.chance(liveShare)) return random.pick(live);
  return random.weighted(vod.map((t, k) => [t, 1 / (k + 1)] as const));
}

export function drawProfile(random: Random, viewerId: string, options: { watchMedianS: number; liveShare: number }): ViewerProfile {
  const network = random.weighted(NETWORKS.map((n) => [n, n.weight] as const));
  const device = random.weighted(DEVICES.map((d) => [d, d.weight] as const));
  return {
    network,
    ip: `${network.block}.${random.int(0, 255)}.${random.int(1, 254)}`,
    device,
    playerVersion: random.pick(device.playerVersions),
    cdn: random.weighted(CDNS),
    title: pickTitle(random, options.liveShare),
    viewerId,
    intendedWatchS: Math.min(4 * 3600, Math.max(5, random.logNormal(options.watchMedianS, 0.8))),
    startupPatienceS: Math.max(2, random.logNormal(12, 0.5)),
    stallPatienceS: Math.max(5, random.logNormal(25, 0.5)),
    pauses: random.chance(0.15),
    seeks: random.chance(0.2),
  };
}
