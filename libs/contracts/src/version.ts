/**
 * Version of the published contracts (subjects, payloads, HTTP). Semver: a minor or patch
 * release only adds; a change that breaks a consumer needs `v2` in subjects, payloads and paths.
 */
// 1.1.0: enrichment gains `region`, player events `program_date_time`; view metrics gain rebuffering ratios
// and frequency, seeks, seek buffering, shifts, downscaling, inferred stalls, live latency, requests and flags (all optional).
// 1.2.0: view snapshots and scores gain `client` (location, network, device); new subjects `activity` and `aggregates` (docs/aggregates.md).
// 1.3.0: predictions (model snapshots, request/reply); anomalies gain window_start, viewers_affected, probable_cause;
// alerts gain `acknowledged`, transition_id, rule_kind, fired_at, flapping, notify, channels, acknowledged_by; silences, channels and alert rules.
// 1.4.0: ad events (adbreakstart, adrequest, adplay, adplaying, adended, aderror, adbreakend); view metrics gain ad counts, ad startup and ad time.
export const CONTRACT_VERSION = '1.4.0';
