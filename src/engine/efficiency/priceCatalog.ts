/**
 * Published cloud list prices per GPU-hour, the defaults of the price catalog. Each row comes from one provider,
 * instance type and region, and is the instance's hourly price divided by the GPUs it carries (so it includes the
 * instance's vCPUs and memory). On-demand, 1-year committed and spot prices are those of the same row; the list gives
 * 1-year prices per month of 730 hours, divided by 730 here.
 *
 * Not cited, so not shipped: T4, V100 and L40S (no list price found in the stored sources when this was written).
 * People enter their own contract prices in the app configuration; these only stand in until they do.
 */
import type { PriceCatalog, PricingTier } from './waste';

export interface PriceCitation {
  provider: string;
  instanceType: string;
  gpusPerInstance: number;
  region: string;
  /** Where the numbers were read. */
  url: string;
  /** ISO date the list was generated or snapshotted by its publisher. */
  listDate: string;
  /** ISO date the numbers were read into this catalog. */
  readOn: string;
  /** What the row lacks or how it was derived (PRICE_NOTES says it in words). */
  note?: PriceNote;
}

/** What a cited row lacks or how it was derived, in English. */
export const PRICE_NOTES = {
  'no-one-year-price':
    'the list has no 1-year price for this instance: reserved is set to on-demand until you enter yours',
  'billing-catalog-share':
    'per-GPU share of the instance price from the Cloud Billing Catalog API snapshot; no 1-year price: reserved ' +
    'is set to on-demand until you enter yours',
} as const;

export type PriceNote = keyof typeof PRICE_NOTES;

export interface PublishedGpuPrice {
  /** DCGM `modelName`, the key the waste analysis prices pods by. */
  gpuModel: string;
  onDemandPerGpuHour: number;
  /** 1-year commitment; equal to on-demand when the cited list has none (the note says so). */
  reservedPerGpuHour: number;
  spotPerGpuHour: number;
  citation: PriceCitation;
}

const GCP_LIST =
  'https://github.com/Cyclenerd/google-cloud-pricing-cost-calculator/blob/0166a59ebba7c36f2cc8c931d9f258dcebc44776/pricing.yml';
const GCP_LIST_DATE = '2025-03-06';
const READ_ON = '2026-11-27';

export const PUBLISHED_GPU_PRICES: PublishedGpuPrice[] = [
  {
    gpuModel: 'NVIDIA H100 80GB HBM3',
    // $88.49/h, 1-year $44,810.08/month, spot $35.40/h for 8 GPUs.
    onDemandPerGpuHour: 11.0612,
    reservedPerGpuHour: 7.673,
    spotPerGpuHour: 4.4245,
    citation: {
      provider: 'Google Cloud',
      instanceType: 'a3-highgpu-8g',
      gpusPerInstance: 8,
      region: 'us-west1',
      url: GCP_LIST,
      listDate: GCP_LIST_DATE,
      readOn: READ_ON,
    },
  },
  {
    gpuModel: 'NVIDIA A100-SXM4-80GB',
    onDemandPerGpuHour: 5.0688,
    reservedPerGpuHour: 5.0688,
    spotPerGpuHour: 2.0275,
    citation: {
      provider: 'Google Cloud',
      instanceType: 'a2-ultragpu-1g',
      gpusPerInstance: 1,
      region: 'us-central1',
      url: GCP_LIST,
      listDate: GCP_LIST_DATE,
      readOn: READ_ON,
      note: 'no-one-year-price',
    },
  },
  {
    gpuModel: 'NVIDIA A100-SXM4-40GB',
    // $3.673385/h, 1-year $1,689.37/month, spot $1.293355/h.
    onDemandPerGpuHour: 3.6734,
    reservedPerGpuHour: 2.3142,
    spotPerGpuHour: 1.2934,
    citation: {
      provider: 'Google Cloud',
      instanceType: 'a2-highgpu-1g',
      gpusPerInstance: 1,
      region: 'us-central1',
      url: GCP_LIST,
      listDate: GCP_LIST_DATE,
      readOn: READ_ON,
    },
  },
  {
    gpuModel: 'NVIDIA L4',
    // $1.147208/h, 1-year $527.60/month, spot $0.450428/h.
    onDemandPerGpuHour: 1.1472,
    reservedPerGpuHour: 0.7227,
    spotPerGpuHour: 0.4504,
    citation: {
      provider: 'Google Cloud',
      instanceType: 'g2-standard-16',
      gpusPerInstance: 1,
      region: 'us-central1',
      url: GCP_LIST,
      listDate: GCP_LIST_DATE,
      readOn: READ_ON,
    },
  },
  {
    gpuModel: 'NVIDIA H200',
    onDemandPerGpuHour: 10.4365,
    reservedPerGpuHour: 10.4365,
    spotPerGpuHour: 6.2607,
    citation: {
      provider: 'Google Cloud',
      instanceType: 'a3-ultragpu-8g',
      gpusPerInstance: 8,
      region: 'us-central1',
      url: 'https://huggingface.co/datasets/tanod/cloud-gpu-list-prices',
      listDate: '2026-10-13',
      readOn: READ_ON,
      note: 'billing-catalog-share',
    },
  },
];

/** One line saying where a row's prices come from, for the configuration page and query notices. */
export function describeCitation(c: PriceCitation): string {
  const perGpu = c.gpusPerInstance > 1 ? ` ÷ ${c.gpusPerInstance} GPUs` : '';
  return (
    `${c.provider} ${c.instanceType}${perGpu}, ${c.region}, list of ${c.listDate} (${c.url}), read ${c.readOn}` +
    (c.note ? `; ${PRICE_NOTES[c.note]}` : '')
  );
}

/** A catalog the waste analysis takes, keyed by DCGM model name; rows without a price for a tier leave it out. */
export function priceCatalogOf(
  rows: ReadonlyArray<{
    gpuModel: string;
    onDemandPerGpuHour: number;
    reservedPerGpuHour: number;
    spotPerGpuHour?: number;
  }>
): PriceCatalog {
  const catalog: PriceCatalog = {};
  for (const row of rows) {
    const prices: Partial<Record<PricingTier, number>> = {
      onDemand: row.onDemandPerGpuHour,
      reserved: row.reservedPerGpuHour,
    };
    if (row.spotPerGpuHour !== undefined) {
      prices.spot = row.spotPerGpuHour;
    }
    catalog[row.gpuModel.trim()] = prices as Record<PricingTier, number>;
  }
  return catalog;
}
