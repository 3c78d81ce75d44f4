/**
 * The codes and figures beside a frame's English text (`meta.custom.texts`, frames/frameTexts.ts), for the pages and
 * panels that word them in the user's language.
 */
import type { DataFrame } from '@grafana/data';
import type { FrameTexts } from '../frames/frameTexts';

export { appSettingsUnreadText, podWindowsText, signedText } from '../frames/frameTexts';
export { queryErrorText } from '../frames/queryErrors';
export type {
  AppSettingsUnread,
  CapacityPlanNote,
  FrameText,
  FrameTexts,
  GrafanaProxyErrorText,
  LearntJob,
  NoReservedPrice,
  NumberField,
  QueryErrorText,
  WhatIfRow,
} from '../frames/frameTexts';
export type { BlockedReason } from '../engine/fragmentation';
export type { PrometheusErrorText } from '../prometheus/errors';
export type { InventoryWarning } from '../prometheus/types';
export type { FleetDataErrorText } from '../prometheus/fleetState';

/** The frame's texts, when it carries them. */
export function frameTextsOf(frame: DataFrame): FrameTexts | undefined {
  const texts: unknown = frame.meta?.custom?.texts;
  return typeof texts === 'object' && texts !== null ? (texts as FrameTexts) : undefined;
}
