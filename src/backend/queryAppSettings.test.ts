/** @jest-environment node */
import { QueryModelError } from '../frames/queryModelError';
import { queryAppSettings } from './queryAppSettings';

const H100 = { gpuModel: 'NVIDIA H100 80GB HBM3', onDemandPerGpuHour: 4, reservedPerGpuHour: 2.5, source: 'contract' };

describe('queryAppSettings', () => {
  it('takes no settings as none: list prices, no calendar, no budget', () => {
    expect(queryAppSettings(undefined)).toEqual({});
    expect(queryAppSettings(null)).toEqual({});
  });

  it('passes on valid settings as the app saved them', () => {
    const calendar = [{ name: 'Launch', startSeconds: 1_700_000_000, endSeconds: 1_700_086_400, effect: 1.5 }];
    expect(
      queryAppSettings({
        gpuPrices: [H100],
        businessCalendar: calendar,
        monthlyBudget: 50_000,
        budgetTimeZone: 'Europe/Berlin',
      })
    ).toEqual({ gpuPrices: [H100], businessCalendar: calendar, monthlyBudget: 50_000, budgetTimeZone: 'Europe/Berlin' });
  });

  it("refuses what the configuration page refuses, in the page's words", () => {
    const refused = (raw: unknown) => () => queryAppSettings(raw);
    expect(refused({ gpuPrices: [{ ...H100, reservedPerGpuHour: 0 }] })).toThrow(
      /The reserved price of NVIDIA H100 80GB HBM3 must be a number of dollars above 0 per GPU-hour\./
    );
    expect(refused({ gpuPrices: [H100, H100] })).toThrow(/listed twice/);
    expect(refused({ monthlyBudget: -5 })).toThrow(/The monthly budget must be a positive number of dollars/);
    expect(refused({ budgetTimeZone: 'Mars/Olympus' })).toThrow(/Budget time zone:/);
    expect(refused({ monthlyBudget: -5 })).toThrow(QueryModelError);
  });

  it('refuses settings of the wrong shape before anything reads them', () => {
    expect(() => queryAppSettings('cheap')).toThrow(/are not a JSON object/);
    expect(() => queryAppSettings({ gpuPrices: { model: 'L4' } })).toThrow(/gpuPrices is not a list of prices/);
    expect(() => queryAppSettings({ businessCalendar: [{ name: 'x', startSeconds: '2025' }] })).toThrow(
      /businessCalendar is not a list of events/
    );
    expect(() => queryAppSettings({ budgetTimeZone: 3 })).toThrow(/budgetTimeZone is not a time zone name/);
  });
});
