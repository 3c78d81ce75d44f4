/** Test ids of the Forecast page's "Copy manifests", shared with the browser test (which loads no React). */
export const MANIFESTS_TEST_IDS = {
  panel: 'headroom-forecast-manifests',
  yaml: 'headroom-forecast-manifests-yaml',
  diff: 'headroom-forecast-manifests-diff',
} as const;
