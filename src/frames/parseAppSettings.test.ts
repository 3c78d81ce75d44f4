/** @jest-environment node */
import { QueryModelError } from './queryModelError';
import { parseAppSettings } from './parseAppSettings';

const H100 = { gpuModel: 'NVIDIA H100 80GB HBM3', onDemandPerGpuHour: 4, reservedPerGpuHour: 2.5, source: 'contract' };

describe('parseAppSettings', () => {
  it('takes no settings as none: list prices, no calendar, no budget', () => {
    expect(parseAppSettings(undefined)).toEqual({});
    expect(parseAppSettings(null)).toEqual({});
  });

  it('passes on valid settings as the app saved them', () => {
    const calendar = [{ name: 'Launch', startSeconds: 1_700_000_000, endSeconds: 1_700_086_400, effect: 1.5 }];
    expect(
      parseAppSettings({
        gpuPrices: [H100],
        businessCalendar: calendar,
        monthlyBudget: 50_000,
        budgetTimeZone: 'Europe/Berlin',
      })
    ).toEqual({
      gpuPrices: [H100],
      businessCalendar: calendar,
      monthlyBudget: 50_000,
      budgetTimeZone: 'Europe/Berlin',
    });
  });

  it("refuses what the configuration page refuses, in the page's words", () => {
    const refused = (raw: unknown) => () => parseAppSettings(raw);
    expect(refused({ gpuPrices: [{ ...H100, reservedPerGpuHour: 0 }] })).toThrow(
      /The reserved price of NVIDIA H100 80GB HBM3 must be a number of dollars above 0 per GPU-hour\./
    );
    expect(refused({ gpuPrices: [H100, H100] })).toThrow(/listed twice/);
    expect(refused({ monthlyBudget: -5 })).toThrow(/The monthly budget must be a positive number of dollars/);
    expect(refused({ budgetTimeZone: 'Mars/Olympus' })).toThrow(/Budget time zone:/);
    expect(refused({ monthlyBudget: -5 })).toThrow(QueryModelError);
  });

  it('refuses settings of the wrong shape before anything reads them', () => {
    expect(() => parseAppSettings('cheap')).toThrow(/are not a JSON object/);
    expect(() => parseAppSettings({ gpuPrices: { model: 'L4' } })).toThrow(/gpuPrices is not a list of prices/);
    expect(() => parseAppSettings({ businessCalendar: [{ name: 'x', startSeconds: '2025' }] })).toThrow(
      /businessCalendar is not a list of events/
    );
    expect(() => parseAppSettings({ budgetTimeZone: 3 })).toThrow(/budgetTimeZone is not a time zone name/);
  });
});
