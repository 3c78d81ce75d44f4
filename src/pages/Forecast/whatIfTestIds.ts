/** Test ids of the Forecast page's launch what-if, read by its browser test. */
export const WHAT_IF_TEST_IDS = {
  panel: 'headroom-whatif',
  sentence: 'headroom-whatif-sentence',
  refused: 'headroom-whatif-refused',
} as const;
