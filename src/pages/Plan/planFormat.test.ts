import { formatGigabytes, formatPowerOfTen, formatScaled } from './planFormat';

describe('formatPowerOfTen', () => {
  it.each([
    // Llama 2 70B: 6 × 70e9 × 2e12 = 8.4e23.
    [8.4e23, '8.4 × 10²³'],
    [1.2345e18, '1.23 × 10¹⁸'],
    // 9.996 rounds to 10.0 at three digits: the exponent carries, never "10 × 10²³".
    [9.996e23, '1 × 10²⁴'],
    [3e-5, '3 × 10⁻⁵'],
    [7, '7 × 10⁰'],
  ])('%p → %p', (value, text) => {
    expect(formatPowerOfTen(value)).toBe(text);
  });
});

describe('formatScaled', () => {
  it.each([
    // 8.4e23 ÷ (312e12 × 0.435 × 3600) = 1,719,225.9 GPU-hours.
    [1_719_225.9, '1.72 M'],
    [186_965.8, '187 k'],
    [999, '999'],
    // Rounds up into the next suffix rather than "1000 k".
    [999_900, '1 M'],
    [35.02, '35'],
    [2.5e9, '2.5 B'],
  ])('%p → %p', (value, text) => {
    expect(formatScaled(value)).toBe(text);
  });
});

it('shows bytes as decimal GB, then GiB', () => {
  // 80 layers × 8 KV heads × 128 × 2 × 2 bytes × 8192 × 32 = 85,899,345,920 B = exactly 80 GiB.
  expect(formatGigabytes(85_899_345_920)).toBe('85.9 GB (80.0 GiB)');
});
