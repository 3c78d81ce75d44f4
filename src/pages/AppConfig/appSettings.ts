/** The app's `jsonData`, saved from the configuration page. */
export interface HeadroomAppSettings {
  /** UID of the Headroom data source the pages select when the URL names none. */
  defaultDatasourceUid?: string;
}
