/** The names of frames/forecast/whatIfFrames.ts (shared with the backend), which the Forecast page reads. */
export { WHAT_IF_FRAMES, WHAT_IF_PREFIX, type WhatIfSummaryMeta } from '../../frames/forecast/whatIfFrames';
