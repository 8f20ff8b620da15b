/**
 * The checks of substra-deploy as a library, for scripts and CI jobs that hold values in
 * memory: the same rules as `substra-deploy validate`.
 */
export { chartProfile, NEWEST_KNOWN_CHART, type ChartProfile } from './core/chart.js';
export type { Issue } from './core/errors.js';
export { passwordProblems, passwordMinLength, type SettingsMode } from './core/password.js';
export { validateValues, type ValidateOptions, type ValidationReport, type PasswordCheck, type PasswordChecker } from './core/validate.js';
export { pairingIssues, linkOrganizations, type OrgLinks, type LinkReport } from './core/link.js';
export { valuesJsonSchema } from './core/json-schema.js';
export {
  checkChartVersions,
  placeChartVersion,
  PUBLISHED_SETS,
  NEWEST_KNOWN_CHARTS,
  type Component,
  type Placement,
  type PublishedSet,
  type VersionSetCheck,
} from './core/compatibility.js';
