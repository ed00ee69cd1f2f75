/**
 * Version of the published contracts (subjects, payloads, HTTP). Semver: a minor or patch
 * release only adds; a change that breaks a consumer needs `v2` in subjects, payloads and paths.
 */
export const CONTRACT_VERSION = '1.0.0';
