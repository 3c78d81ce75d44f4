/**
 * The translated pages with the user's language set to Simplified Chinese, the way Grafana passes it
 * (bootData.user.language and regionalFormat `zh-Hans`): Grafana adds each plugin's `locales/zh-Hans/<id>.json`
 * before importing its module (the app, the nested panels and data source alike), so titles, panel chrome, the
 * nested panels' own text and the regional number formats are Chinese. Screenshots in both themes.
 */
import type { Page } from 'playwright-core';
import { panel, problemsOf, waitForPanelsLoaded, waitForText } from './harness/assertions';
import { harnessOverFleet } from './harness/fleetHarness';
import { screenshot, type Theme } from './harness';

const APP = '/a/headroom-capacity-app';
const ZH = { lang: 'zh-Hans' };
// 12 hours of 5-minute samples ending at a fixed time, as the other page tests use: stable dates in screenshots.
const HISTORY = { endSeconds: Date.UTC(2025, 5, 2, 12, 0, 0) / 1000, days: 0.5, stepSeconds: 300 };

const context = harnessOverFleet(HISTORY);

interface ZhPage {
  name: string;
  path: string;
  params?: Record<string, string>;
  /** What shows the page and its nested plugins speak Chinese (texts from src/locales/zh-Hans). */
  check: (page: Page) => Promise<void>;
}

const PAGES: ZhPage[] = [
  {
    name: 'overview',
    path: `${APP}/overview`,
    check: async (page) => {
      await page.getByRole('heading', { name: '概览', exact: true }).waitFor();
      // The Grafana-drawn stat (its unit comes from the data frame, still English: docs/i18n.md).
      await waitForText(panel(page, 'GPU 总数'), /\d/);
      await waitForText(
        page.getByTestId('headroom-overview-links'),
        /预测[\s\S]*碎片化[\s\S]*效率[\s\S]*告警[\s\S]*容量规划/
      );
    },
  },
  {
    name: 'fragmentation',
    path: `${APP}/fragmentation`,
    check: async (page) => {
      await page.getByRole('heading', { name: '碎片化', exact: true }).waitFor();
      await waitForText(panel(page, '空闲 GPU'), /\d/);
      // The nested fragmentation panel's own text comes from its own namespace (headroom-fragmentation-panel).
      await waitForText(panel(page, '按节点查看 GPU').getByTestId('headroom-grid-legend'), /空闲\s*\d+[\s\S]*已分配/);
      await waitForText(panel(page, '碎片化趋势'), /\S/);
    },
  },
  {
    name: 'efficiency',
    path: `${APP}/efficiency`,
    check: async (page) => {
      await page.getByRole('heading', { name: '效率', exact: true }).waitFor();
      const table = panel(page, '钱花在哪里').getByTestId('headroom-efficiency-waste-table');
      // Column headers from the efficiency panel's namespace; dollars as the zh-Hans regional format writes them.
      await waitForText(table, /已分配[\s\S]*繁忙[\s\S]*闲置[\s\S]*浪费 \$/);
      await waitForText(table, /US\$\d/);
      await waitForText(table, /\d+\.\d GPU 小时/);
    },
  },
  {
    name: 'forecast',
    path: `${APP}/forecast`,
    params: { 'var-target': 'gpus_allocated', 'var-horizon': '24' },
    check: async (page) => {
      await page.getByRole('heading', { name: '预测', exact: true }).waitFor();
      await panel(page, '需求预测').waitFor();
      await panel(page, '扩缩容计划').waitFor();
      await page.getByRole('heading', { name: '复制清单', exact: true }).waitFor();
      // The launch what-if's form and its own check, from src/pages/Forecast/forecastWhatIf.ts: empty fields.
      await page.getByRole('heading', { name: '上线假设分析', exact: true }).waitFor();
      await page.getByRole('button', { name: '规划此次上线' }).click();
      await waitForText(page.locator('body'), /请以 UTC 时间填写开始时间[\s\S]*请输入大于 0 的数/);
    },
  },
  {
    name: 'plan',
    path: `${APP}/plan`,
    check: async (page) => {
      await page.getByRole('heading', { name: '容量规划', exact: true }).waitFor();
      // Llama 2 7B on A100-80GB (the page's default plan): 34.4 GB of KV cache and 14 GB of weights fit one GPU.
      await waitForText(
        page.getByTestId('headroom-plan-gpus-per-replica'),
        /每副本 GPU 数[\s\S]*1 块 GPU[\s\S]*张量并行/
      );
      await waitForText(page.getByTestId('headroom-plan-gpu-hours'), /GPU 小时/);
      await waitForText(page.locator('body'), /训练[\s\S]*推理[\s\S]*按请求速率部署/);
    },
  },
  {
    name: 'config',
    path: '/plugins/headroom-capacity-app',
    params: { page: 'configuration' },
    check: async (page) => {
      await waitForText(page.locator('body'), /默认 Headroom 数据源[\s\S]*业务日历[\s\S]*GPU 价格[\s\S]*每月 GPU 预算/);
      await page.getByRole('button', { name: '保存设置' }).waitFor();
    },
  },
  {
    name: 'datasource-settings',
    path: '/connections/datasources/edit/headroom',
    check: async (page) => {
      // The nested data source's ConfigEditor, from its own namespace (headroom-capacity-datasource).
      await waitForText(page.locator('body'), /告警规则使用的 Prometheus 数据源[\s\S]*指标名称/);
    },
  },
];

describe.each(['dark', 'light'] as Theme[])('pages in Simplified Chinese (%s theme)', (theme) => {
  it.each(PAGES.map((p) => [p.name, p] as const))('%s', async (name, zhPage) => {
    const { timeRange } = context.fleet!;
    context.harness!.server.notFound.length = 0;
    const watched = await context.harness!.open(zhPage.path, { ...timeRange, ...zhPage.params, ...ZH }, theme);
    const { page } = watched;
    try {
      await zhPage.check(page);
      await waitForPanelsLoaded(page);
      await page.mouse.move(0, 0);
      await screenshot(page, `zh-Hans-${name}-${theme}`);
      expect(problemsOf(watched, context.harness!.server.notFound)).toEqual([]);
    } catch (error) {
      await screenshot(page, `zh-Hans-${name}-${theme}-failed`);
      console.error(`${name} showed:\n${await page.locator('body').innerText()}`);
      throw error;
    } finally {
      await page.close();
    }
  });
});
