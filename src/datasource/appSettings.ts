/** The app's settings moved to frames/appSettings.ts (the backend reads them too); the pages import them from here. */
export * from '../frames/appSettings';
