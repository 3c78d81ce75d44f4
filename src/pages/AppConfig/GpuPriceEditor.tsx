import React from 'react';
import { t } from '@grafana/i18n';
import { Button, IconButton, Input, Stack, Text } from '@grafana/ui';
import { ENTERED_PRICE_SOURCE, isListPrice, type GpuPrice } from '../../datasource/appSettings';
import { listPriceCitation } from '../../engine/capacity';
import { frameText } from '../../datasource/wording/frameTexts';

interface Props {
  prices: GpuPrice[];
  onChange: (prices: GpuPrice[]) => void;
}

type PriceKey = 'onDemandPerGpuHour' | 'reservedPerGpuHour' | 'spotPerGpuHour';

/**
 * A price's source in the user's language when Headroom wrote it (a shipped list price's citation, or "entered by an
 * administrator"), as the cost mix words it; a source someone typed as typed. Editing it makes it typed.
 */
function shownSource(source: string): string {
  const citation = listPriceCitation(source);
  if (citation) {
    return frameText({ code: 'list-price', citation });
  }
  return source === ENTERED_PRICE_SOURCE ? frameText({ code: 'entered-price' }) : source;
}

const priceColumns = (): Array<{ key: PriceKey; label: string }> => [
  { key: 'onDemandPerGpuHour', label: t('config.prices.on-demand', 'On-demand $/GPU-h') },
  { key: 'reservedPerGpuHour', label: t('config.prices.reserved', 'Reserved $/GPU-h') },
  { key: 'spotPerGpuHour', label: t('config.prices.spot', 'Spot $/GPU-h') },
];

/** One row per GPU model (as DCGM's modelName names it) with its prices and where they came from. */
export function GpuPriceEditor({ prices, onChange }: Props) {
  const update = (index: number, patch: Partial<GpuPrice>) =>
    onChange(prices.map((price, i) => (i === index ? { ...price, ...patch } : price)));

  return (
    <Stack direction="column" gap={1} data-testid="headroom-config-prices">
      {prices.map((price, index) => (
        <Stack key={index} direction="column" gap={0.5}>
          <Stack gap={1} alignItems="center">
            <Input
              aria-label={t('config.prices.model', 'GPU model {{number}}', { number: index + 1 })}
              width={30}
              value={price.gpuModel}
              onChange={(e) => update(index, { gpuModel: e.currentTarget.value })}
            />
            {priceColumns().map((column) => (
              <Input
                key={column.key}
                aria-label={t('config.prices.price-of', '{{column}} of {{model}}', {
                  column: column.label,
                  model: price.gpuModel,
                  interpolation: { escapeValue: false },
                })}
                prefix={column.label}
                width={30}
                type="number"
                min={0}
                step={0.01}
                value={price[column.key] ?? ''}
                onChange={(e) => {
                  const text = e.currentTarget.value;
                  // A typed price replaces the list price: the row now says it is the person's own.
                  update(index, {
                    [column.key]: text === '' ? undefined : Number(text),
                    source: isListPrice(price) ? ENTERED_PRICE_SOURCE : price.source,
                  });
                }}
              />
            ))}
            <IconButton
              name="trash-alt"
              tooltip={t('config.prices.remove', 'Remove GPU model')}
              onClick={() => onChange(prices.filter((_, i) => i !== index))}
            />
          </Stack>
          <Input
            aria-label={t('config.prices.source-of', 'Source of the {{model}} prices', {
              model: price.gpuModel,
              interpolation: { escapeValue: false },
            })}
            prefix={t('config.prices.source', 'Source')}
            value={shownSource(price.source)}
            onChange={(e) => update(index, { source: e.currentTarget.value })}
          />
          {isListPrice(price) && (
            <Text color="secondary" variant="bodySmall">
              {t(
                'config.prices.list-price-note',
                'Public list price (instance price ÷ its GPUs); replace it with your contract price.'
              )}
            </Text>
          )}
        </Stack>
      ))}
      <div>
        <Button
          icon="plus"
          variant="secondary"
          size="sm"
          onClick={() =>
            onChange([
              ...prices,
              { gpuModel: '', onDemandPerGpuHour: 0, reservedPerGpuHour: 0, source: ENTERED_PRICE_SOURCE },
            ])
          }
        >
          {t('config.prices.add', 'Add GPU model')}
        </Button>
      </div>
    </Stack>
  );
}
