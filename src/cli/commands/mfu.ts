/**
 * `headroom mfu`: model FLOPs utilisation from the PaLM formula, with and without the attention term.
 */
import { parseArgs } from 'node:util';

import { EfficiencyInputError, modelFlopsUtilisation, type MfuInput } from '../../engine/efficiency';
import { UsageError } from '../args';
import type { CliCommand } from '../command';
import { reportCommandError } from '../reportError';

const USAGE = `usage: headroom mfu --params N --layers L --heads H --head-dim Q --seq-len T --tokens-per-second X
                    --chips C --peak-flops P [--json]

Model FLOPs utilisation (PaLM, appendix B): X × (6N + 12·L·H·Q·T) / (C × P), and with 6N only.
Numbers accept exponents (540.35e9). P is one chip's peak FLOP/s for the dtype actually used.
`;

const FLAGS: Record<string, keyof MfuInput> = {
  params: 'parameters',
  layers: 'layers',
  heads: 'heads',
  'head-dim': 'headDim',
  'seq-len': 'seqLen',
  'tokens-per-second': 'tokensPerSecond',
  chips: 'chips',
  'peak-flops': 'peakFlopsPerChip',
};

export const mfuCommand: CliCommand = {
  summary: 'Model FLOPs utilisation (PaLM formula) with and without attention',
  async run(args: string[]): Promise<number> {
    try {
      const options = parseOptions(args);
      if (options === 'help') {
        process.stdout.write(USAGE);
        return 0;
      }
      const result = modelFlopsUtilisation(options.input);
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({
            mfu_pct: result.mfu * 100,
            mfu_6n_only_pct: result.mfuDenseOnly * 100,
            flops_per_token: result.flopsPerToken,
            attention_flops_per_token: result.attentionFlopsPerToken,
            source: result.source,
          })}\n`
        );
      } else {
        process.stdout.write(
          `MFU (PaLM formula, 6N + 12·L·H·Q·T)  ${(result.mfu * 100).toFixed(2)} %\n` +
            `MFU (6N only)                        ${(result.mfuDenseOnly * 100).toFixed(2)} %\n` +
            `model FLOPs per token                ${result.flopsPerToken.toExponential(4)} ` +
            `(attention ${result.attentionFlopsPerToken.toExponential(4)})\n`
        );
      }
      return 0;
    } catch (error) {
      return reportCommandError('mfu', error, { usage: [EfficiencyInputError] });
    }
  },
};

function parseOptions(args: string[]): { input: MfuInput; json: boolean } | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        ...Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: 'string' as const }])),
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    return 'help';
  }
  const input = {} as MfuInput;
  for (const [flag, field] of Object.entries(FLAGS)) {
    const text = values[flag];
    if (typeof text !== 'string') {
      throw new UsageError(`--${flag} is required.`);
    }
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) {
      throw new UsageError(`--${flag} must be a number, got "${text}".`);
    }
    input[field] = value;
  }
  return { input, json: values.json === true };
}
