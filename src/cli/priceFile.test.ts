/**
 * @jest-environment node
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readPriceList } from './priceFile';

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'headroom-prices-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function priceFile(content: unknown): string {
  const file = path.join(dir, 'prices.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

describe('readPriceList', () => {
  it('reads each model’s three tiers per GPU-hour', () => {
    const file = priceFile({ currency: 'EUR', A100: { on_demand: 2, reserved: 1, spot: 0.5 } });

    expect(readPriceList(file)).toEqual({
      currency: 'EUR',
      rows: [
        {
          gpuModel: 'A100',
          source: `--prices ${file}`,
          onDemandPerGpuHour: 2,
          reservedPerGpuHour: 1,
          spotPerGpuHour: 0.5,
        },
      ],
    });
  });

  it.each([
    ['a zero price', 0, '0'],
    ['a negative price', -1.5, '-1.5'],
    ['a price given as text', '2', '"2"'],
    ['a missing price', undefined, 'null'],
  ])('refuses %s, naming the model and tier', (_, spot, shown) => {
    const file = priceFile({ A100: { on_demand: 2, reserved: 1, spot } });

    expect(() => readPriceList(file)).toThrow(
      `--prices: A100.spot must be a price above 0 per GPU-hour, got ${shown}.`
    );
  });
});
