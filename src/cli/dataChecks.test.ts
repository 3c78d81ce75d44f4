import { describeUnmatched, MAX_LISTED } from './dataChecks';

const range = { startSeconds: 0, endSeconds: 86400 };
const window = 'between 1970-01-01T00:00:00Z and 1970-01-02T00:00:00Z';

describe('describeUnmatched', () => {
  it('lists at most MAX_LISTED values and says how many more there are', () => {
    const known = Array.from({ length: 40 }, (_, i) => `gpu-node-${String(i).padStart(2, '0')}`);
    const text = describeUnmatched({ dimension: 'nodes', unmatched: ['cpu-1'], known }, range);
    const [head, list] = text.split('\n');
    expect(head).toBe(`--node cpu-1 matched nothing: no node of that name has series ${window}.`);
    // 12 listed, 40 − 12 = 28 more.
    expect(MAX_LISTED).toBe(12);
    expect(list).toBe(`Nodes seen (40): ${known.slice(0, 12).join(', ')}, … and 28 more`);
  });

  it('puts near misses first and guesses the nearest, even beyond the bound', () => {
    const known = [...Array.from({ length: 20 }, (_, i) => `a-${i}`), 'team-llm'];
    const text = describeUnmatched({ dimension: 'namespaces', unmatched: ['team-lm'], known }, range);
    expect(text.split('\n')[0]).toMatch(/ Did you mean team-llm\?$/);
    expect(text.split('\n')[1]).toMatch(/^Namespaces seen \(21\): team-llm, a-0, /);
  });

  it('quotes values with spaces, names every unmatched value, and says when nothing exists at all', () => {
    expect(
      describeUnmatched({ dimension: 'gpuModels', unmatched: ['A100', 'H 100'], known: ['NVIDIA L4'] }, range)
    ).toBe(
      `--gpu-model A100 --gpu-model "H 100" matched nothing: no GPU model of those names has series ${window}.\n` +
        'GPU models seen (1): "NVIDIA L4"'
    );
    expect(describeUnmatched({ dimension: 'servedModels', unmatched: ['x'], known: [] }, range)).toBe(
      `--model x matched nothing: no served model of that name has series ${window}.\nNo served models at all in that range.`
    );
  });
});
