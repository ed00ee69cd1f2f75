export { detectPoorView, cohortOf, POOR_VIEW_DETECTOR } from './poor-view-rule';
export type { PoorViewRule } from './poor-view-rule';
