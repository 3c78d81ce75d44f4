/** The app's settings and their checks moved to frames/ (the backend reads them too); the pages import them from here. */
export * from '../frames/appSettings';
export * from '../frames/settingsProblems';
