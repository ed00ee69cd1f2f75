import type { Beacon, PlayerEvent, ViewContext } from '@sightline/contracts';
import { takeIn, type RejectedEvent } from '../beacon-intake';
import { mapReport } from './cmcd-mapping';
import type { CmcdReport } from './cmcd-parser';

/** Most CMCD reports one request may carry. */
export const MAX_CMCD_REPORTS = 500;

export interface CmcdIntake {
  /** One beacon per view (`sid`) with a usable report, in the order the views first appear. */
  readonly beacons: Beacon[];
  /** The reports refused, by their index in the request, in index order. */
  readonly rejected: RejectedEvent[];
}

interface ViewReports {
  readonly events: PlayerEvent[];
  context: ViewContext;
  readonly indexes: number[];
}

/**
 * CMCD reports as beacons: each report becomes an event of its view, and each view's events are
 * taken in as a beacon (`takeIn`), so they meet the same rules; a refusal names the report.
 */
export function takeInReports(reports: readonly CmcdReport[], receivedAt: number): CmcdIntake {
  const rejected: RejectedEvent[] = [];
  const byView = new Map<string, ViewReports>();
  reports.forEach((report, index) => {
    const mapped = mapReport(report, receivedAt);
    if ('error' in mapped) {
      rejected.push({ index, issues: [{ path: '/sid', message: mapped.error }] });
      return;
    }
    const view = byView.get(mapped.viewId) ?? { events: [], context: {}, indexes: [] };
    view.events.push(mapped.event);
    view.context = { ...view.context, ...mapped.context };
    view.indexes.push(index);
    byView.set(mapped.viewId, view);
  });
  const beacons: Beacon[] = [];
  for (const [viewId, view] of byView) {
    const intake = takeIn({ v: 1, view_id: viewId, ...(Object.keys(view.context).length ? { context: view.context } : {}), events: view.events }, receivedAt);
    if (!intake.ok) {
      for (const index of view.indexes) rejected.push({ index, issues: intake.issues });
      continue;
    }
    for (const r of intake.rejected) rejected.push({ index: view.indexes[r.index] ?? r.index, issues: r.issues });
    beacons.push(intake.beacon);
  }
  return { beacons, rejected: rejected.sort((a, b) => a.index - b.index) };
}
