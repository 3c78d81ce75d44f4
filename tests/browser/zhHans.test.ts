/**
 * The translated pages with the user's language set to Simplified Chinese, the way Grafana passes it
 * (bootData.user.language and regionalFormat `zh-Hans`): Grafana adds each plugin's `locales/zh-Hans/<id>.json`
 * before importing its module (the app, the nested panels and data source alike), so titles, panel chrome, the
 * nested panels' own text and the regional number formats are Chinese. Screenshots in both themes.
 */
import type { Page } from 'playwright-core';
import { GrafanaDouble } from '../grafana-double/server';
import { BACKFILL_TIMEOUT_MS, startAlertsSetup } from './alertsSetup';
import { chartTooltip, hoverPlot, legendItems, plotArea, viewportScreenshot } from './chartReading';
import { panel, panelError, problemsOf, waitForPanelsLoaded, waitForText } from './harness/assertions';
import type { SimulatedFleet } from './harness/fleet';
import { harnessOverFleet } from './harness/fleetHarness';
import { screenshot, type Harness, type Theme } from './harness';

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
      // Grafana-drawn stat and table: the frames' English unit (`suffix: GPUs`), translated by the page's override.
      await waitForText(panel(page, 'GPU 总数'), /\d+\s*块 GPU/);
      const nodes = panel(page, '节点');
      await waitForText(nodes, /节点\s+GPU 型号\s+容量\s+已分配\s+繁忙\s+空闲[\s\S]*\d+\s*块 GPU/);
      expect(await panel(page, 'GPU 总数').innerText()).not.toMatch(/GPUs/);
      expect(await nodes.innerText()).not.toMatch(/GPUs/);
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
      const grid = panel(page, '按节点查看 GPU');
      await waitForText(grid.getByTestId('headroom-grid-legend'), /空闲\s*\d+[\s\S]*已分配/);
      await waitForText(
        grid.getByTestId('headroom-jobs-fit'),
        /当前可放下：\s*1 卡作业\s*\d+\s+2 卡作业[\s\S]*8 卡作业/
      );
      // Grafana-drawn stats, tables and legend: the frames' English field names and units, translated by the page's
      // field overrides and value mappings.
      await waitForText(panel(page, '≥ 8 卡空闲节点'), /\d+\s*个节点/);
      await waitForText(panel(page, '等待调度的 Pod'), /\d+\s*个 Pod/);
      const jobs = panel(page, '当前可调度的作业');
      await waitForText(jobs, /作业\s+类别\s+每 Pod GPU 数[\s\S]*当前可放下\s+放不下的原因\s+用不上的空闲 GPU/);
      await waitForText(jobs, /1 卡作业\s+整卡成组（不计 CPU）\s+1 块 GPU\s+100\.0%\s+不限[\s\S]*\d+ 个 Pod/);
      await waitForText(jobs, /学到的作业类型/);
      // Learnt job types and why none fits, worded by the page from the codes beside the frame's English.
      await waitForText(jobs, /m\d+：\d+ 块 GPU，\d+ 核/);
      // No node has 8 fully free GPUs (the largest gang is 6).
      await waitForText(
        jobs,
        /需要同一节点上有 8 块完全空闲的 GPU；单个节点最多只有 \d+ 块（在 \S+ 上），共 \d+ 块，分散在 \d+ 个节点上/
      );
      await waitForText(panel(page, '碎片整理'), /m\d+：\d+ 块 GPU，\d+ 核/);
      await waitForText(panel(page, '碎片整理'), /为谁腾出空间\s+请求\s+目标节点\s+目标 GPU\s+需迁移/);
      await waitForText(panel(page, '碎片化趋势'), /碎片化率（占空闲的 %）[\s\S]*空闲 GPU[\s\S]*单机最大整卡组/);
      // A GPU's tooltip: its state in words and its free share in the regional format.
      await grid.getByTestId('headroom-gpu-cell').first().hover();
      await waitForText(
        page.getByTestId('headroom-gpu-tooltip'),
        /\S+ · GPU \d+\s+型号[\s\S]*状态\s+(空闲|已分配|共享|MIG 模式)\s+空闲\s+[\d,]+ milli（占 GPU 的 \d+%）/
      );
      await viewportScreenshot(page, 'zh-Hans-fragmentation-tooltip');
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
      await waitForText(table, /Pod\s+命名空间\s+GPU 型号/);
      // Grafana-drawn stats and legend: units and names from the page's field overrides.
      await waitForText(panel(page, '已分配 GPU 小时'), /\d\s*GPU 小时/);
      await waitForText(panel(page, '闲置 Pod'), /\d+\s*个 Pod/);
      // The simulated fleet has no spot-labelled nodes.
      await waitForText(panel(page, 'Spot GPU 日中断率'), /未发现 Spot 节点/);
      await waitForText(panel(page, '预算消耗'), /本月已支出[\s\S]*预计至月底/);
      // The data source's fixed MFU note (a frame notice, English in the frame), shown by the efficiency panel.
      await waitForText(panel(page, 'MFU 分布（估算）'), /估算值：DCGM Tensor 管线利用率/);
    },
  },
  {
    name: 'forecast',
    path: `${APP}/forecast`,
    params: { 'var-target': 'gpus_allocated', 'var-horizon': '24' },
    check: async (page) => {
      await page.getByRole('heading', { name: '预测', exact: true }).waitFor();
      // The panel itself has 12 hours of history here, too little to forecast (its chart is read below, over a
      // week): the data source's English error, worded from the code the answer carries beside it.
      await waitForText(
        panel(page, '需求预测').getByTestId('headroom-forecast-panel-error'),
        /预测查询失败[\s\S]*历史数据不足：已分配 GPU 在时间范围结束前的 28 天内只有 \d+ 小时的数据，预测至少需要 24 小时。/
      );
      // A table Grafana draws, its data through the page's transformer: the same error behind its header's badge.
      await panelError(
        page,
        '扩缩容计划',
        /历史数据不足：已分配 GPU 在时间范围结束前的 28 天内只有 \d+ 小时的数据，预测至少需要 24 小时。/
      );
      await viewportScreenshot(page, 'zh-Hans-forecast-table-error');
      await page.getByRole('heading', { name: '复制清单', exact: true }).waitFor();
      // The launch what-if's form and its own check, from src/pages/Forecast/forecastWhatIf.ts: empty fields.
      await page.getByRole('heading', { name: '上线假设分析', exact: true }).waitFor();
      await page.getByRole('button', { name: '规划此次上线' }).click();
      await waitForText(page.locator('body'), /请以 UTC 时间填写开始时间[\s\S]*请输入大于 0 的数/);
    },
  },
  {
    // A panel with nothing to draw (no query: no Prometheus needed), as a new dashboard panel shows it.
    name: 'forecast-panel-empty',
    path: '/panel/headroom-forecast-panel',
    params: { title: '需求预测' },
    check: async (page) => {
      await waitForText(
        page.getByTestId('headroom-forecast-panel-empty'),
        /GPU 需求预测，含不确定性区间和容量耗尽日期。\s*添加一个类型为“预测”的 Headroom 查询即可显示。/
      );
    },
  },
  {
    // A panel given data it was not made for: a Headroom inventory query over the fleet the other pages read.
    name: 'fragmentation-panel-unrecognised',
    path: '/panel/headroom-fragmentation-panel',
    params: { title: '按节点查看 GPU', query: JSON.stringify({ queryType: 'inventory', inventoryView: 'fleet' }) },
    check: async (page) => {
      await waitForText(
        page.getByTestId('headroom-fragmentation-panel-unrecognised'),
        /此面板无法绘制收到的数据（1 个数据帧，字段为 Time、Capacity[^）]*）。\s*此面板绘制类型为“碎片化（视图：GPU 网格、可放下的作业）”的 Headroom 查询结果/
      );
    },
  },
  {
    // A fragmentation panel over a day a month before the fleet's history: kube-state-metrics has no GPU node then.
    // The query's English error, worded from the code the answer carries beside it.
    name: 'fragmentation-panel-no-gpu-node',
    path: '/panel/headroom-fragmentation-panel',
    params: {
      title: '按节点查看 GPU',
      query: JSON.stringify({ queryType: 'fragmentation', fragmentationView: 'grid' }),
      from: '2025-05-01T00:00:00.000Z',
      to: '2025-05-02T00:00:00.000Z',
    },
    check: async (page) => {
      await waitForText(
        page.getByTestId('headroom-fragmentation-panel-error'),
        /碎片化查询失败[\s\S]*2025-05-01T00:00:00\.000Z 到 2025-05-02T00:00:00\.000Z 之间 kube-state-metrics 中没有 GPU 节点：kube_node_status_allocatable\{[^}]*\} 没有样本。请检查 kube-state-metrics 是否被抓取、节点是否提供 nvidia\.com\/gpu（或 MIG）资源，或扩大时间范围。/
      );
      expect(await page.getByTestId('headroom-fragmentation-panel-error').innerText()).not.toMatch(/No GPU node/);
      // Grafana's error badge in the panel's header shows the query's error as the data source answered it: worded.
      const badge = await panelError(page, '按节点查看 GPU', /kube-state-metrics 中没有 GPU 节点/);
      expect(badge).not.toMatch(/No GPU node/);
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
      // The shipped list prices' sources, worded as the cost mix words them (an input's value: read it, not the text).
      const values = await page
        .getByTestId('headroom-config-prices')
        .locator('input')
        .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
      expect(values.filter((value) => /^标价：Google Cloud .+，us-central1，/.test(value)).length).toBeGreaterThan(0);
      expect(values.filter((value) => value.startsWith('List price:'))).toEqual([]);
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
  {
    // A panel's query editor (the nested data source's, from its namespace), as the panel editor shows it.
    name: 'query-editor-alert',
    path: '/query-editor/headroom',
    params: { query: JSON.stringify({ queryType: 'alert', measure: 'exhaustionProbability' }) },
    check: async (page) => {
      const editor = page.getByTestId('harness-query-editor');
      await waitForText(editor, /查询[\s\S]*资源清单[\s\S]*告警[\s\S]*推理服务/);
      await waitForText(editor, /度量[\s\S]*耗尽概率[\s\S]*时间窗口（天）/);
      await waitForText(editor, /容量（GPU 数）[\s\S]*每 GPU 吞吐量/);
      await waitForText(editor, /节点[\s\S]*命名空间[\s\S]*GPU 型号/);
      await page.getByRole('textbox', { name: '节点过滤条件' }).waitFor();
      expect(await page.getByRole('textbox', { name: '节点过滤条件' }).getAttribute('placeholder')).toBe(
        '全部，或例如 $node'
      );
    },
  },
  {
    name: 'query-editor-capacity',
    path: '/query-editor/headroom',
    params: { query: JSON.stringify({ queryType: 'capacity' }) },
    check: async (page) => {
      const editor = page.getByTestId('harness-query-editor');
      await waitForText(editor, /目标[\s\S]*预测期（小时）[\s\S]*模型[\s\S]*业务日历/);
      await waitForText(editor, /目标利用率（%）[\s\S]*冷启动（小时）[\s\S]*计价型号[\s\S]*规划依据[\s\S]*均值/);
      await page.getByRole('radio', { name: '95 % 上界' }).waitFor({ state: 'attached' });
    },
  },
];

// Each page once, the themes alternating: the text is the same in both, and each theme is still seen in Chinese (every
// page's English test covers both themes).
const PAGES_BY_THEME = PAGES.map((p, i) => [p.name, p, (i % 2 === 0 ? 'dark' : 'light') as Theme] as const);

describe('pages in Simplified Chinese', () => {
  it.each(PAGES_BY_THEME)('%s', async (name, zhPage, theme) => {
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

describe('Alerts page and forecast panel, over a week of history, in Simplified Chinese', () => {
  // Its own set-up, as the English Alerts tests use: a week of history to learn a band from, and the Grafana API
  // double that stores the rules written (tests/browser/alertsSetup.ts).
  const TOKEN = 'browser-session';
  /** Grafana answers 404 for a folder that does not exist yet; the page asks before creating it. */
  const FOLDER_LOOKUP = /\/api\/folders\/headroom\b/;
  const double = new GrafanaDouble({ token: TOKEN });
  let alerts: { fleet: SimulatedFleet; harness: Harness; stop: () => Promise<void> } | undefined;

  beforeAll(async () => {
    alerts = await startAlertsSetup(double, TOKEN, { monthlyBudget: 18_000 });
  }, BACKFILL_TIMEOUT_MS);
  afterAll(() => alerts?.stop());

  // The forecast panel needs more history than the pages above have: the week of this set-up, one panel, one theme.
  it('shows the forecast panel’s chart, legend, notes and tooltip in Chinese (dark theme)', async () => {
    const { harness, fleet } = alerts!;
    harness.server.notFound.length = 0;
    const query = { queryType: 'capacity', target: 'gpus_allocated', horizonHours: '24', capacity: 'gpu_capacity' };
    const title = '需求预测';
    const params = { title, query: JSON.stringify(query), height: '520', width: '1100' };
    const watched = await harness.open(
      '/panel/headroom-forecast-panel',
      { ...fleet.timeRange, ...params, ...ZH },
      'dark'
    );
    const { page } = watched;
    try {
      const chart = panel(page, title);
      // A combination by its rule in Chinese ("6 个模型的加权中位数（drift、naive、…）"), a single model by its name.
      await waitForText(
        chart.getByTestId('headroom-forecast-model'),
        /^预测模型：((auto → )?\d+ 个模型的[^\s（]+（[^）]+）|[\w@]+)$/
      );
      await waitForText(
        chart.getByTestId('headroom-forecast-accuracy'),
        /^最近 \d+ 小时回测：WAPE \d+\.\d% · MASE \d+\.\d\d/
      );
      await waitForText(
        chart.getByTestId('headroom-forecast-calibration'),
        /^校准回测：(80% 区间实际覆盖 \d+\.\d%、95% 区间实际覆盖 \d+\.\d%|历史数据太短，无法衡量区间的实际覆盖率)$/
      );
      await waitForText(
        chart.getByTestId('headroom-forecast-exhaustion'),
        /平均预测值将于 .+ 超出容量|预测区间内不会超出容量/
      );
      // The history by its target's name as the query editor writes it; the frame carries the English one.
      const labels = (await legendItems(chart)).map((item) => item.label);
      expect(labels).toEqual([
        '已分配 GPU',
        '预测均值',
        '80% 置信区间',
        '95% 置信区间',
        expect.stringMatching(/^容量 \d+ 块 GPU$/),
      ]);
      await screenshot(page, 'zh-Hans-forecast-panel-dark');
      // Over the forecast: the mean, each band as "lower – upper" and the capacity, in the translated unit.
      await hoverPlot(page, plotArea(chart), 0.97);
      await waitForText(
        chartTooltip(page),
        /预测均值\s+[\d.]+ 块 GPU[\s\S]*80% 置信区间\s+[\d.]+ 块 GPU – [\d.]+ 块 GPU[\s\S]*容量\s+\d+ 块 GPU/
      );
      await viewportScreenshot(page, 'zh-Hans-forecast-panel-tooltip-dark');
      expect(problemsOf(watched, harness.server.notFound)).toEqual([]);
    } catch (error) {
      await screenshot(page, 'zh-Hans-forecast-panel-dark-failed');
      console.error(`forecast panel showed:\n${await page.locator('body').innerText()}`);
      throw error;
    } finally {
      await page.close();
    }
  });

  // The Forecast page's text built from data (the backtest's model names, the forecast's notes, the launch what-if's
  // totals) needs history enough to forecast: the week of this set-up, one open, one theme.
  it('shows the Forecast page’s options, notes, backtest and launch totals in Chinese (light theme)', async () => {
    const { harness, fleet } = alerts!;
    harness.server.notFound.length = 0;
    const hourMs = 3_600_000;
    // A launch 4 to 10 hours into the 24-hour horizon, doubling demand.
    const launchStartMs = Math.ceil(Number(fleet.timeRange.to) / hourMs) * hourMs + 4 * hourMs;
    const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
    const params = {
      'var-target': 'gpus_allocated',
      'var-horizon': '24',
      'var-whatif': `start=${iso(launchStartMs)},end=${iso(launchStartMs + 6 * hourMs)},multiplier=2`,
    };
    const watched = await harness.open(`${APP}/forecast`, { ...fleet.timeRange, ...params, ...ZH }, 'light');
    const { page } = watched;
    try {
      await page.getByRole('heading', { name: '预测', exact: true }).waitFor();
      // The target's options, named as the query editor names them.
      // The select's input lies over the shown value and takes the click.
      await page.getByText('已分配 GPU', { exact: true }).first().click({ force: true });
      await page.getByRole('option', { name: '自定义 PromQL' }).waitFor();
      await page.keyboard.press('Escape');
      // A week of history is short of the two weeks the weekly rhythm needs: the forecast's own note.
      await waitForText(panel(page, '需求预测'), /历史较短：仅有 [\d.]+ 天的数据。学习每周规律需要两周数据/);
      const backtest = await waitForText(panel(page, '回测'), /模型\s+WAPE\s+MASE\s+80% 覆盖率[\s\S]*\d/);
      // A combination by its rule in Chinese, as the forecast panel's legend names it; no English rule left.
      expect(backtest.input).not.toMatch(/ of \d+: |median|blend/);
      const totals = panel(page, '合计：基线与含上线');
      await waitForText(totals, /峰值所需 GPU\s+\d+\s+\d+\s+[+±]\d+/);
      await waitForText(totals, /GPU 小时\s+[\d,]+\s+[\d,]+\s+[+±][\d,]+/);
      await waitForText(totals, /成本（\$）\s+[\d,]+\.\d\d\s+[\d,]+\.\d\d\s+[+±][\d,]+\.\d\d/);
      // The shipped list price the cost mix is priced at, by its provider and instance; the whole citation is the
      // cell's tooltip (Grafana's table; the harness's stand-in table shows no cell tooltip), not a column.
      const costMix = await waitForText(panel(page, '成本组合'), /标价：Google Cloud [a-z0-9-]+( ÷ \d+ 块 GPU)?/);
      expect(costMix.input).not.toMatch(/的价目表|List price|Price citation/);
      // The plan's note on the model without a reserved price below on-demand, among the forecast panel's notes.
      await waitForText(
        panel(page, '需求预测'),
        /成本组合：NVIDIA A100-SXM4-80GB 没有已知的预留价（预留价 5\.0688 不低于按需价 5\.0688，来源：标价：Google Cloud a2-ultragpu-1g，/
      );
      // The models auto left out, if any, with the engine's reasons worded from their codes.
      expect(await panel(page, '需求预测').innerText()).not.toMatch(/Models not used|steps of history|backtest:/);
      await waitForPanelsLoaded(page);
      await page.mouse.move(0, 0);
      await screenshot(page, 'zh-Hans-forecast-week-light');
      // The cost mix as it is shown: every column, the price sources last, fits its panel without a scroll.
      await panel(page, '成本组合').scrollIntoViewIfNeeded();
      await viewportScreenshot(page, 'zh-Hans-forecast-cost-mix-light');
      expect(problemsOf(watched, harness.server.notFound)).toEqual([]);
    } catch (error) {
      await screenshot(page, 'zh-Hans-forecast-week-light-failed');
      console.error(`Forecast page showed:\n${await page.locator('body').innerText()}`);
      throw error;
    } finally {
      await page.close();
    }
  });

  // A target in a unit that is not GPUs (utilisation, a ratio): the plan's own note on why it plans no GPUs.
  it('shows the capacity plan’s note on a demand it cannot plan GPUs for in Chinese (dark theme)', async () => {
    const { harness, fleet } = alerts!;
    harness.server.notFound.length = 0;
    const params = { 'var-target': 'gpu_utilisation', 'var-horizon': '24' };
    const watched = await harness.open(`${APP}/forecast`, { ...fleet.timeRange, ...params, ...ZH }, 'dark');
    const { page } = watched;
    try {
      await waitForText(
        panel(page, '需求预测'),
        /GPU 利用率以比例计量，既不是 GPU 数也不是吞吐量：不为它规划 GPU。要规划 GPU，请预测已分配 GPU、繁忙 GPU 或生成 tokens\/s。/
      );
      expect(await panel(page, '需求预测').innerText()).not.toMatch(/is measured in|no GPUs are planned/);
      await waitForPanelsLoaded(page);
      await page.mouse.move(0, 0);
      await screenshot(page, 'zh-Hans-forecast-ratio-dark');
      expect(problemsOf(watched, harness.server.notFound)).toEqual([]);
    } catch (error) {
      await screenshot(page, 'zh-Hans-forecast-ratio-dark-failed');
      console.error(`Forecast page showed:\n${await page.locator('body').innerText()}`);
      throw error;
    } finally {
      await page.close();
    }
  });

  it.each(['dark', 'light'] as Theme[])(
    'shows controls, band, backtest, rules, the write plan and managed rules in Chinese (%s theme)',
    async (theme) => {
      const { harness, fleet } = alerts!;
      harness.server.notFound.length = 0;
      const watched = await harness.open(`${APP}/alerts`, { ...fleet.timeRange, ...ZH }, theme);
      const { page } = watched;
      try {
        await page.getByRole('heading', { name: '告警', exact: true }).waitFor();
        await waitForText(
          page.getByTestId('headroom-alerts-controls'),
          /监控对象[\s\S]*告警方向[\s\S]*双向[\s\S]*阈值带宽度（稳健 σ）[\s\S]*持续时间[\s\S]*5 分钟/
        );
        // The chart's legend and the backtest, numbers in the zh-Hans regional format with Chinese units.
        await waitForText(panel(page, '学习到的阈值带'), /监控序列[\s\S]*告警开始（\d+）/);
        const backtest = panel(page, '回测');
        await waitForText(backtest, /Headroom 阈值带：中位数 ± 3·MAD，所有小时共用同一水平，不保留周期规律/);
        await waitForText(backtest, /方法\s+告警次数\s+每周告警次数\s+告警时长\s+落在区间内/);
        await waitForText(
          backtest,
          /Headroom 自适应阈值带\s+\d+\s+\d+\.\d\d 次\/周\s+\d+\.\d%（\d+(\.\d)? (分钟|小时|天)）/
        );
        await waitForText(backtest, /静态阈值（预热期 q99）[\s\S]*均值 ± 2σ，1 天和 1 周区间/);
        const rules = panel(page, '此序列的规则');
        await waitForText(
          rules,
          /学习数据[\s\S]*UTC[\s\S]*上边界[\s\S]*下边界[\s\S]*触发条件[\s\S]*每周告警 \d+\.\d\d 次/
        );
        if (theme === 'dark') {
          // The plan before writing (the dark run comes first; the light run finds the rules and offers an update).
          await rules.getByRole('button', { name: '写入规则' }).click();
          const plan = page.getByTestId('headroom-sync-plan');
          await waitForText(plan, /新建[\s\S]*新建/);
          await page.getByRole('heading', { name: /写入规则（Grafana 文件夹“Headroom”）/ }).waitFor();
          await screenshot(page, `zh-Hans-alerts-plan-${theme}`);
          await page.getByRole('button', { name: '应用 2 项变更' }).click();
          await waitForText(page.getByTestId('headroom-alerts-outcome'), /已向 Grafana 写入 2 条规则：新建 2 条。/);
        }
        await rules.getByRole('button', { name: '更新规则' }).waitFor();
        const managed = panel(page, '托管的规则');
        await waitForText(managed, /监控对象\s+方向\s+状态\s+告警状态\s+校准时间（UTC）\s+预期告警次数\s+校准后的漂移/);
        await waitForText(managed, /高于\s+生效中\s+尚未评估[\s\S]*低于\s+生效中\s+尚未评估/);
        await waitForText(managed, /\d+\.\d\d 次\/周\s+\d+\.\d%/);
        await managed
          .getByRole('button', { name: /^重新校准 / })
          .first()
          .waitFor();
        const budget = panel(page, '预算护栏');
        await budget.getByRole('button', { name: '写入预算规则' }).waitFor();
        await waitForText(panel(page, '基于 Headroom 查询的规则'), /\S/);
        await waitForPanelsLoaded(page);
        await page.mouse.move(0, 0);
        await screenshot(page, `zh-Hans-alerts-${theme}`);
        expect(
          problemsOf(watched, harness.server.notFound).filter((p) => !FOLDER_LOOKUP.test(p) && !/status of 404/.test(p))
        ).toEqual([]);
      } catch (error) {
        await screenshot(page, `zh-Hans-alerts-${theme}-failed`);
        console.error(`alerts showed:\n${await page.locator('body').innerText()}`);
        throw error;
      } finally {
        await page.close();
      }
    }
  );
});
