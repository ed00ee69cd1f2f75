import type { ScoredView } from '@sightline/contracts';
import { COLLECTIONS } from './collections';
import type { VersionedUpsert } from './versioned-upsert';

/** A final score; `client` (contract 1.2) gives country, region, ASN and device when ingest derived them. */
export type ScoredViewInput = ScoredView;

/** `_id` of a view: property and view id, each URI-encoded so that `/` separates them unambiguously. */
export function viewDocumentId(propertyId: string, viewId: string): string {
  return `${encodeURIComponent(propertyId)}/${encodeURIComponent(viewId)}`;
}

/**
 * The `views` document of a final score. Cohort fields are top level (and null when unknown)
 * so the dashboard's indexes can use them; every field is always present, so a higher revision
 * replaces all of a lower one's. `completed_at` is the scored snapshot's last event time.
 */
export function viewUpsert(view: ScoredViewInput): VersionedUpsert {
  const { context, client } = view;
  return {
    collection: COLLECTIONS.views,
    id: viewDocumentId(view.property_id, view.view_id),
    versionField: 'revision',
    version: view.revision,
    fields: {
      property_id: view.property_id,
      view_id: view.view_id,
      revision: view.revision,
      completed_at: new Date(view.scored_at_event_time),
      score_version: view.score_version,
      overall_score: view.scores.overall,
      scores: view.scores,
      failed: view.metrics.playback_failed,
      exited_before_start: view.metrics.exited_before_start,
      cdn: context.cdn ?? null,
      country: client?.country ?? null,
      region: client?.region ?? null,
      asn: client?.asn ?? null,
      as_org: client?.as_org ?? null,
      device_type: client?.device_type ?? null,
      os: client?.os ?? null,
      browser: client?.browser ?? null,
      title: context.video_title ?? null,
      video_id: context.video_id ?? null,
      stream_type: context.stream_type ?? null,
      player_name: context.player_name ?? null,
      player_version: context.player_version ?? null,
      viewer_id: context.viewer_id ?? null,
      custom: context.custom ?? null,
      metrics: view.metrics,
    },
  };
}
