import { DEFAULT_PLAN, PLAN_URL_KEYS, planFromUrl, planToUrl, type PlanInputs } from './planInputs';

const LLAMA2_70B_TRAINING: PlanInputs = {
  ...DEFAULT_PLAN,
  trainingParams: '70e9',
  trainingGpu: 'A100-80GB',
  trainingMfu: '0.435',
  trainingGpus: '2048',
};

it('keeps every input through the URL, a value the engine refuses included', () => {
  const inputs = { ...LLAMA2_70B_TRAINING, trainingMfu: '1.5', inferenceParams: 'seventy billion' };
  expect(planFromUrl(planToUrl(inputs))).toEqual(inputs);
});

it('leaves defaults out of the URL and reads a missing key as its default', () => {
  const url = planToUrl(LLAMA2_70B_TRAINING);
  expect(Object.entries(url).filter(([, value]) => value !== null)).toEqual([
    ['train-params', '70e9'],
    ['train-mfu', '0.435'],
    ['train-gpus', '2048'],
  ]);
  expect(planFromUrl({})).toEqual(DEFAULT_PLAN);
});

it('keeps an input emptied on purpose empty, not back to the default', () => {
  const inputs = { ...DEFAULT_PLAN, trainingParams: '' };
  expect(planFromUrl(planToUrl(inputs)).trainingParams).toBe('');
});

it('gives every input its own URL key', () => {
  expect(new Set(Object.values(PLAN_URL_KEYS)).size).toBe(Object.keys(DEFAULT_PLAN).length);
});
