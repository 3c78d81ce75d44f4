/** The horizon bounds of frames/forecast/forecastQuery.ts (shared with the backend), for the editors and pages. */
export { HISTORY_DAYS, LEVELS, MAX_HORIZON_HOURS } from '../../frames/forecast/forecastQuery';
