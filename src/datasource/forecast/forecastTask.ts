/** The forecast task moved to frames/forecast/forecastTask.ts (the backend runs it too); panels and pages read it here. */
export * from '../../frames/forecast/forecastTask';
