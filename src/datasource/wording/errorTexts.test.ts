import { readFileSync } from 'node:fs';
import path from 'node:path';
import { initPluginTranslations } from '@grafana/i18n';
import i18next from 'i18next';
import { queryErrorText, type FrameText, type QueryErrorText } from '../frameTexts';
import { GrafanaProxyError } from '../grafanaProxyErrors';
import {
  PrometheusHttpError,
  PrometheusQueryError,
  PrometheusResponseError,
  PrometheusTimeoutError,
  PrometheusUnreachableError,
} from '../../prometheus/errors';
import { WhatIfRefusedError, type WhatIfNote } from '../../engine/capacity';
import { FleetStateDataError } from '../../prometheus/fleetState';
import { calibrateThroughput } from '../../engine/capacity/calibrate';
import { fitReady, insufficientHistory, regularise, type InsufficientHistoryError } from '../../engine/series';
import { inventoryWarningText } from '../../prometheus/inventory';
import type { InventoryWarning } from '../../prometheus/types';
import { frameText } from './frameTexts';

// Each error Headroom words itself, with the English its message has always had (written out here by hand, as the
// command line, the backend and alert evaluation read it) and the Chinese a zh-Hans user reads in the panel.
const END_SECONDS = Date.UTC(2025, 5, 2, 12, 0, 0) / 1000;
const LONG_QUERY_EN =
  'narrow the time range, raise the step, or add recording rules that pre-aggregate per-GPU series for large fleets';
const LONG_QUERY_ZH = '请缩小时间范围、增大步长，或为大型集群添加预先按 GPU 聚合序列的录制规则';
const SELECTOR = 'kube_node_status_allocatable{resource=~"nvidia_com_gpu|nvidia_com_mig_.+"}';

interface Case {
  name: string;
  error: Error & ({ text: FrameText } | { refusal: FrameText });
  english: string;
  chinese: string;
}

const PROMETHEUS_CASES: Case[] = [
  {
    name: 'Prometheus unreachable',
    error: new PrometheusUnreachableError('http://prometheus:9090', 'connect ECONNREFUSED 127.0.0.1:9090'),
    english:
      'Cannot reach Prometheus at http://prometheus:9090 (connect ECONNREFUSED 127.0.0.1:9090). Check the data ' +
      'source URL, that Prometheus is running, and that the network allows the connection.',
    chinese:
      '无法连接 http://prometheus:9090 上的 Prometheus（connect ECONNREFUSED 127.0.0.1:9090）。请检查数据源 URL、' +
      'Prometheus 是否在运行，以及网络是否允许该连接。',
  },
  {
    name: 'Prometheus too slow',
    error: new PrometheusTimeoutError('http://prometheus:9090', 30_000),
    english:
      'Prometheus at http://prometheus:9090 did not answer within 30 s: it is overloaded or the query is too ' +
      `expensive; ${LONG_QUERY_EN}.`,
    chinese: `http://prometheus:9090 上的 Prometheus 在 30 秒内没有应答：它负载过高，或查询开销过大；${LONG_QUERY_ZH}。`,
  },
  {
    name: 'an HTTP 404 with its answer',
    error: new PrometheusHttpError(404, '/api/v1/query_range', '404 page not found'),
    english:
      'Prometheus request /api/v1/query_range failed with HTTP 404: not found; check that the data source URL is ' +
      'the Prometheus base URL (without /api/v1). Answer: 404 page not found',
    chinese:
      'Prometheus 请求 /api/v1/query_range 失败，HTTP 404：未找到；请检查数据源 URL 是否为 Prometheus 的基础 URL' +
      '（不含 /api/v1）。应答：404 page not found',
  },
  {
    name: 'an HTTP 503 without an answer',
    error: new PrometheusHttpError(503, '/api/v1/query', ''),
    english:
      'Prometheus request /api/v1/query failed with HTTP 503: Prometheus (or a proxy in front of it) is overloaded ' +
      `or down; ${LONG_QUERY_EN}.`,
    chinese: `Prometheus 请求 /api/v1/query 失败，HTTP 503：Prometheus（或其前面的代理）负载过高或已停止服务；${LONG_QUERY_ZH}。`,
  },
  {
    name: 'PromQL Prometheus rejects',
    error: new PrometheusQueryError(400, 'bad_data', 'parse error at char 6: unexpected "}"', 'sum(x})'),
    english: 'The PromQL is invalid: Prometheus says "parse error at char 6: unexpected "}"". Query: sum(x})',
    chinese: 'PromQL 无效：Prometheus 提示 "parse error at char 6: unexpected "}""。查询：sum(x})',
  },
  {
    name: 'a query too large to execute',
    error: new PrometheusQueryError(422, 'execution', 'query processing would load too many samples', 'up'),
    english:
      'Prometheus could not execute the query: "query processing would load too many samples". If it mentions too ' +
      `many samples or points, ${LONG_QUERY_EN}. Query: up`,
    chinese: `Prometheus 无法执行该查询："query processing would load too many samples"。如果其中提到样本或数据点过多，${LONG_QUERY_ZH}。查询：up`,
  },
  {
    name: 'access refused, which names no query',
    error: new PrometheusQueryError(403, 'forbidden', 'tenant denied', 'up'),
    english:
      "Prometheus refused access (tenant denied); check the data source's credentials (user, password or token).",
    chinese: 'Prometheus 拒绝访问（tenant denied）；请检查数据源的凭据（用户名、密码或令牌）。',
  },
  {
    name: 'an answer that is not Prometheus’',
    error: new PrometheusResponseError('/api/v1/query', 'no data object'),
    english:
      'The answer to /api/v1/query is not a Prometheus API response (no data object). Check that the data source ' +
      'URL points at Prometheus (or Mimir, Thanos, VictoriaMetrics), without /api/v1.',
    chinese:
      '/api/v1/query 的应答不是 Prometheus API 的响应（no data object）。请检查数据源 URL 是否指向 Prometheus' +
      '（或 Mimir、Thanos、VictoriaMetrics），且不含 /api/v1。',
  },
  {
    name: 'Grafana’s proxy without an answer from Prometheus',
    error: new GrafanaProxyError('no-answer', { uid: 'prom', name: 'Prometheus', timeoutSeconds: 30 }),
    english:
      'Grafana could not get an answer from Prometheus for the data source "Prometheus" (uid prom): Prometheus is ' +
      "unreachable or slower than the data source's timeout (30 s). The cause is in Grafana's server log (search " +
      'for plugin.requestFailureError). Check that Prometheus is running and reachable from the Grafana server; if ' +
      "it is only slow, narrow the time range or raise the data source's Timeout.",
    chinese:
      'Grafana 未能从 Prometheus 取得数据源“Prometheus”（uid 为 prom）的应答：Prometheus 无法访问，或比数据源的超时' +
      '时间（30 秒）更慢。原因见 Grafana 服务器日志（搜索 plugin.requestFailureError）。请检查 Prometheus 是否在运行、' +
      '能否从 Grafana 服务器访问；如果只是慢，请缩小时间范围或调大数据源的超时（Timeout）。',
  },
  {
    name: 'a data source Grafana no longer has',
    error: new GrafanaProxyError(
      'missing',
      { uid: 'gone', timeoutSeconds: 30 },
      { status: 500, message: 'Unable to load datasource meta data' }
    ),
    english:
      'Headroom reads from the Prometheus data source with uid "gone", which no longer exists in Grafana (deleted, ' +
      'or in another organisation) (Grafana: "Unable to load datasource meta data"). Open Connections → Data ' +
      'sources → Headroom, choose the Prometheus data source again, then Save & test.',
    chinese:
      'Headroom 读取的 Prometheus 数据源（uid 为 "gone"）在 Grafana 中已不存在（已被删除，或属于其他组织）' +
      '（Grafana 返回："Unable to load datasource meta data"）。请打开 连接 → 数据源 → Headroom，重新选择 ' +
      'Prometheus 数据源，然后点击“保存并测试”。',
  },
  {
    name: 'a fleet state without kube-state-metrics',
    error: new FleetStateDataError(END_SECONDS, ['kube-state-metrics series missing.']),
    english:
      'The fleet state at 2025-06-02T12:00:00.000Z needs kube-state-metrics and a DCGM activity metric in the hour ' +
      'before it. kube-state-metrics series missing.',
    chinese:
      '2025-06-02T12:00:00.000Z 的集群状态需要它之前一小时内的 kube-state-metrics 和一个 DCGM 活跃度指标。' +
      'kube-state-metrics series missing.',
  },
];

const QUERY_CASES: Array<{ name: string; text: QueryErrorText; english: string; chinese: string }> = [
  {
    name: 'a capacity preset without a value',
    text: { code: 'no-value-before-end-error', target: 'Allocated GPUs' },
    english: 'Allocated GPUs has no value before the end of the range.',
    chinese: '已分配 GPU 在时间范围结束之前没有任何值。',
  },
  {
    name: 'a capacity that is not a positive number',
    text: { code: 'number-field-error', label: 'Capacity (GPUs)', min: Number.MIN_VALUE, max: null, got: '-3' },
    english: 'Capacity (GPUs) must be a positive number, got "-3".',
    chinese: '容量（GPU 数）必须是正数，当前为 "-3"。',
  },
  {
    name: 'a target utilisation out of its range',
    text: { code: 'number-field-error', label: 'Target utilisation (%)', min: 1, max: 100, got: '120' },
    english: 'Target utilisation (%) must be a number from 1 to 100, got "120".',
    chinese: '目标利用率（%）必须是 1 到 100 之间的数，当前为 "120"。',
  },
  {
    name: 'no GPU node in kube-state-metrics',
    text: { code: 'no-gpu-node-error', fromSeconds: END_SECONDS - 86_400, toSeconds: END_SECONDS, selector: SELECTOR },
    english:
      'No GPU node in kube-state-metrics between 2025-06-01T12:00:00.000Z and 2025-06-02T12:00:00.000Z: ' +
      `${SELECTOR} has no sample. Check that kube-state-metrics is scraped and that nodes offer nvidia.com/gpu ` +
      '(or MIG) resources, or widen the time range.',
    chinese:
      '2025-06-01T12:00:00.000Z 到 2025-06-02T12:00:00.000Z 之间 kube-state-metrics 中没有 GPU 节点：' +
      `${SELECTOR} 没有样本。请检查 kube-state-metrics 是否被抓取、节点是否提供 nvidia.com/gpu（或 MIG）资源，或扩大时间范围。`,
  },
  {
    name: 'workload days out of range',
    text: { code: 'workload-days-error', got: '120' },
    english: 'Workload days must be a number from 1 to 90 (days of GPU requests to learn from), got "120".',
    chinese: '工作负载天数必须是 1 到 90 之间的数（用于学习的 GPU 请求天数），当前为 "120"。',
  },
  {
    name: 'an unknown fragmentation view',
    text: {
      code: 'unknown-view-error',
      queryType: 'fragmentation',
      view: 'heatmap',
      allowed: ['summary', 'grid', 'jobsFit', 'overTime', 'defragPlan'],
    },
    english: 'Unknown fragmentation view "heatmap": choose summary, grid, jobsFit, overTime or defragPlan.',
    chinese: '未知的碎片化视图 "heatmap"：请选择 summary、grid、jobsFit、overTime 或 defragPlan。',
  },
  {
    name: 'an unknown efficiency view',
    text: { code: 'unknown-view-error', queryType: 'efficiency', view: 'x', allowed: ['waste', 'mfu'] },
    english: 'Unknown efficiency view "x": choose waste or mfu.',
    chinese: '未知的效率视图 "x"：请选择 waste 或 mfu。',
  },
  {
    name: 'an unknown inventory view',
    text: {
      code: 'unknown-view-error',
      queryType: 'inventory',
      view: 'racks',
      allowed: ['fleet', 'byModel', 'byNamespace', 'nodes'],
    },
    english: 'Unknown inventory view "racks": choose fleet, byModel, byNamespace or nodes.',
    chinese: '未知的资源清单视图 "racks"：请选择 fleet、byModel、byNamespace 或 nodes。',
  },
  {
    name: 'an unknown query type in the query editor',
    text: {
      code: 'unknown-query-type-error',
      queryType: 'defragment',
      allowed: ['Inventory', 'Forecast', 'Capacity', 'Fragmentation', 'Efficiency', 'Alert', 'Serving'],
      inEditor: true,
    },
    // The browser's message before it had a code (datasource.test.ts pins it on a query).
    english:
      'Unknown Headroom query type "defragment": choose Inventory, Forecast, Capacity, Fragmentation, Efficiency, ' +
      'Alert or Serving in the query editor.',
    // The types as the Chinese query editor names them.
    chinese:
      '未知的 Headroom 查询类型 "defragment"：请在查询编辑器中选择资源清单、预测、容量、碎片化、效率、告警 或 推理服务。',
  },
  {
    name: 'an unknown query type in a saved query model',
    text: {
      code: 'unknown-query-type-error',
      queryType: 'forecastt',
      allowed: ['inventory', 'alert'],
      inEditor: false,
    },
    english: 'Unknown Headroom query type "forecastt": choose inventory or alert.',
    chinese: '未知的 Headroom 查询类型 "forecastt"：请选择 inventory 或 alert。',
  },
  {
    name: 'no pod with tensor-pipe activity',
    text: { code: 'no-tensor-pods-error' },
    english: 'No pod held a GPU with tensor-pipe activity in this time range (with these filters).',
    chinese: '此时间范围内没有 Pod 在有 Tensor 管线活动的 GPU 上运行（在当前筛选条件下）。',
  },
  {
    name: 'no pod holding a GPU',
    text: { code: 'no-gpu-pods-error' },
    english:
      'No pod held a GPU in this time range: no DCGM series carries a pod label here (with these filters). Widen ' +
      'the range or the filters.',
    chinese:
      '此时间范围内没有 Pod 占用 GPU：这里没有任何 DCGM 序列带有 Pod 标签（在当前筛选条件下）。请扩大时间范围或放宽筛选条件。',
  },
  {
    name: 'rows not among the choices',
    text: { code: 'choice-error', field: 'rows', allowed: ['pod', 'namespace', 'gpuModel'], got: 'team' },
    english: 'Rows must be one of pod, namespace, gpuModel, got "team".',
    chinese: '行必须是 pod、namespace、gpuModel 之一，当前为 "team"。',
  },
  {
    name: 'a pricing tier not among the choices',
    text: { code: 'choice-error', field: 'pricing', allowed: ['onDemand', 'reserved', 'spot'], got: 'free' },
    english: 'Pricing must be one of onDemand, reserved, spot, got "free".',
    chinese: '计价方式必须是 onDemand、reserved、spot 之一，当前为 "free"。',
  },
  {
    name: 'an unknown alert measure',
    text: { code: 'unknown-measure-error', measure: 'x', allowed: ['idleGpus', 'budgetRatio'] },
    english: 'Unknown alert measure "x": choose idleGpus, budgetRatio.',
    chinese: '未知的告警度量 "x"：请选择 idleGpus、budgetRatio。',
  },
  {
    name: 'within days out of range',
    text: { code: 'within-days-error', maxDays: 30, got: '45' },
    english: 'Within days must be a whole number of days from 1 to 30, got "45".',
    chinese: '时间窗口天数必须是 1 到 30 之间的整数，当前为 "45"。',
  },
  {
    name: 'an exhaustion alert on a target without capacity',
    text: { code: 'no-capacity-error' },
    english:
      'This target has no capacity to run out of (a ratio or a queue length): choose a GPU count or a throughput ' +
      'target for an exhaustion alert.',
    chinese: '该目标没有会被耗尽的容量（它是比例或队列长度）：容量耗尽告警请选择 GPU 数或吞吐量类目标。',
  },
  {
    name: 'a monthly budget that is not an amount',
    text: { code: 'monthly-budget-error', got: '-5' },
    english: 'Monthly budget must be a number of dollars above 0, got "-5".',
    chinese: '每月预算必须是大于 0 的美元金额，当前为 "-5"。',
  },
  {
    name: 'no monthly budget',
    text: { code: 'no-monthly-budget-error' },
    english:
      'No monthly budget to measure the projected spend against: enter one in the query or in the app configuration.',
    chinese: '没有可用来衡量预计支出的每月预算：请在查询或应用配置中填写一个。',
  },
];

const codeOf = (error: Case['error']): FrameText => ('text' in error ? error.text : error.refusal);

// The Overview's warnings (prometheus/inventory.ts), notices rather than errors, worded by the same frameText.
const INVENTORY_CASES: Array<{ name: string; warning: InventoryWarning; english: string; chinese: string }> = [
  {
    name: 'kube-state-metrics missing',
    warning: {
      code: 'inventory-no-kube-state-metrics',
      metrics: ['kube_node_status_allocatable', 'kube_pod_container_resource_requests', 'kube_pod_status_phase'],
    },
    english:
      'kube-state-metrics GPU series (kube_node_status_allocatable, kube_pod_container_resource_requests, ' +
      'kube_pod_status_phase) are missing in this range: capacity, allocated and free GPUs are unknown (NaN). Deploy ' +
      'kube-state-metrics.',
    chinese:
      '此时间范围内缺少 kube-state-metrics 的 GPU 序列（kube_node_status_allocatable、' +
      'kube_pod_container_resource_requests、kube_pod_status_phase）：容量、已分配和空闲 GPU 均未知（NaN）。请部署 ' +
      'kube-state-metrics。',
  },
  {
    name: 'no DCGM activity metric',
    warning: { code: 'inventory-no-dcgm-activity', metrics: ['DCGM_FI_PROF_GR_ENGINE_ACTIVE', 'DCGM_FI_DEV_GPU_UTIL'] },
    english:
      'No DCGM activity metric (DCGM_FI_PROF_GR_ENGINE_ACTIVE or DCGM_FI_DEV_GPU_UTIL) in this range: busy GPUs are ' +
      'unknown (NaN) and GPU models cannot be shown. Deploy NVIDIA dcgm-exporter.',
    chinese:
      '此时间范围内没有 DCGM 活跃度指标（DCGM_FI_PROF_GR_ENGINE_ACTIVE 或 DCGM_FI_DEV_GPU_UTIL）：繁忙 GPU 未知（NaN），' +
      '也无法显示 GPU 型号。请部署 NVIDIA dcgm-exporter。',
  },
  {
    name: 'DCGM profiling off',
    warning: { code: 'inventory-dcgm-profiling-off', metric: 'DCGM_FI_DEV_GPU_UTIL' },
    english:
      'Busy GPUs come from DCGM_FI_DEV_GPU_UTIL / 100 because DCGM profiling fields are off; it counts any kernel as ' +
      'busy, so busy GPUs are overstated, and DCGM does not report it for MIG instances, so busy MIG GPUs are ' +
      "missing. Enable DCGM_FI_PROF_GR_ENGINE_ACTIVE in dcgm-exporter's counters CSV.",
    chinese:
      '由于 DCGM 性能分析（profiling）字段未开启，繁忙 GPU 取自 DCGM_FI_DEV_GPU_UTIL / 100：它把运行任何内核都算作繁忙，' +
      '因此繁忙 GPU 偏高；而且 DCGM 不为 MIG 实例报告该指标，因此缺少繁忙的 MIG GPU。请在 dcgm-exporter 的计数器 CSV 中' +
      '启用 DCGM_FI_PROF_GR_ENGINE_ACTIVE。',
  },
  {
    name: 'no namespace label, with a namespace filter',
    warning: { code: 'inventory-no-namespace-label', filtered: true },
    english:
      'DCGM series carry no namespace label, so busy GPUs cannot be filtered by namespace and are unknown (NaN). ' +
      "Enable dcgm-exporter's Kubernetes pod mapping.",
    chinese:
      'DCGM 序列没有命名空间标签，因此繁忙 GPU 无法按命名空间筛选，结果未知（NaN）。请启用 dcgm-exporter 的 Kubernetes Pod 映射。',
  },
  {
    name: 'no namespace label',
    warning: { code: 'inventory-no-namespace-label', filtered: false },
    english:
      "DCGM series carry no namespace label: busy GPUs per namespace are unknown. Enable dcgm-exporter's Kubernetes " +
      'pod mapping.',
    chinese: 'DCGM 序列没有命名空间标签：各命名空间的繁忙 GPU 未知。请启用 dcgm-exporter 的 Kubernetes Pod 映射。',
  },
  {
    name: 'MIG capacity estimated',
    warning: { code: 'inventory-mig-estimated', metrics: ['DCGM_FI_DEV_FB_USED', 'DCGM_FI_PROF_GR_ENGINE_ACTIVE'] },
    english:
      'MIG GPUs in capacity are estimated as Σ MIG instances × compute slices / 7, because no DCGM series per MIG ' +
      'instance (DCGM_FI_DEV_FB_USED or DCGM_FI_PROF_GR_ENGINE_ACTIVE) is in this range; a MIG layout that leaves ' +
      'slices unused is undercounted.',
    chinese:
      '容量中的 MIG GPU 按 Σ MIG 实例数 × 计算切片数 / 7 估算，因为此时间范围内没有按 MIG 实例的 DCGM 序列' +
      '（DCGM_FI_DEV_FB_USED 或 DCGM_FI_PROF_GR_ENGINE_ACTIVE）；留有未用切片的 MIG 布局会被少算。',
  },
];

// The launch what-if's refusals (errors the engine words) and notes (engine/capacity/whatIf.ts).
const JUNE_2 = Date.UTC(2025, 5, 2, 0, 0, 0) / 1000;
const WHAT_IF_REFUSALS: Case[] = [
  {
    name: 'a launch outside the horizon',
    error: new WhatIfRefusedError({
      code: 'what-if-outside-horizon',
      event: 'launch',
      startSeconds: JUNE_2 + 10 * 86_400,
      endSeconds: JUNE_2 + 11 * 86_400,
      firstSeconds: JUNE_2,
      lastSeconds: JUNE_2 + 86_400,
    }),
    english:
      "Event launch (2025-06-12T00:00:00Z – 2025-06-13T00:00:00Z) is outside the forecast's horizon " +
      '2025-06-02T00:00:00Z – 2025-06-03T00:00:00Z: it changes no forecast step. Move it, or forecast further (a ' +
      'longer horizon or a later end).',
    chinese:
      '事件 launch（2025-06-12T00:00:00Z – 2025-06-13T00:00:00Z）在预测期 2025-06-02T00:00:00Z – 2025-06-03T00:00:00Z ' +
      '之外：它不改变任何预测步长。请移动该事件，或延长预测（更长的预测期或更晚的结束时间）。',
  },
  {
    name: 'a negative multiplier',
    error: new WhatIfRefusedError({ code: 'what-if-bad-multiplier', event: 'promo', multiplier: -1 }),
    english: 'Event promo: the traffic multiplier must be a number ≥ 0 (2 doubles traffic, 0 is an outage), got -1.',
    chinese: '事件 promo：流量倍数必须是 ≥ 0 的数（2 表示流量翻倍，0 表示中断），当前为 -1。',
  },
  {
    name: 'an end before the start',
    error: new WhatIfRefusedError({ code: 'what-if-end-before-start', event: 'promo' }),
    english: 'Event promo: the end must be a time after the start.',
    chinese: '事件 promo：结束时间必须晚于开始时间。',
  },
  {
    name: 'a forecast without steps',
    error: new WhatIfRefusedError({ code: 'what-if-no-steps' }),
    english: 'The forecast has no steps to add a launch to.',
    chinese: '预测没有任何步长可供加入上线。',
  },
];

const WHAT_IF_NOTES: Array<{ name: string; note: WhatIfNote; english: string; chinese: string }> = [
  {
    name: 'an event partly beyond the horizon',
    note: { code: 'what-if-beyond-horizon', event: 'launch', firstSeconds: JUNE_2, lastSeconds: JUNE_2 + 86_400 },
    english:
      "Event launch reaches beyond the forecast's horizon 2025-06-02T00:00:00Z – 2025-06-03T00:00:00Z: only its " +
      'part inside is planned.',
    chinese: '事件 launch 超出了预测期 2025-06-02T00:00:00Z – 2025-06-03T00:00:00Z：只规划其在预测期内的部分。',
  },
  {
    name: 'two events overlapping',
    note: {
      code: 'what-if-overlap',
      events: ['launch', 'promo'],
      fromSeconds: JUNE_2 + 6 * 3600,
      toSeconds: JUNE_2 + 9 * 3600,
      multipliers: [2, 1.5],
    },
    english:
      'Events launch and promo overlap 2025-06-02T06:00:00Z – 2025-06-02T09:00:00Z: their multipliers multiply ' +
      'there (×2 × 1.5 = ×3).',
    chinese:
      '事件 launch 与 promo 在 2025-06-02T06:00:00Z – 2025-06-02T09:00:00Z 重叠：该时段内两者的倍数相乘（×2 × 1.5 = ×3）。',
  },
];

/** The engine's error a call throws. */
function thrown(call: () => unknown): InsufficientHistoryError {
  try {
    call();
  } catch (error) {
    return error as InsufficientHistoryError;
  }
  throw new Error('expected the call to throw');
}

const hourly = (values: number[]) => ({
  startSeconds: 0,
  stepSeconds: 3600,
  values,
  bridged: values.map(() => false),
  droppedNonFiniteCount: 0,
});
const regular = { stepSeconds: 60, aggregation: 'mean', maxBridgeSteps: 1, minObservedSteps: 2 } as const;

// Too little history as the engine finds it, each thrown by the function that finds it where one can be called here
// (the LSTM's two need TensorFlow.js): the English the command line and the backend write, the Chinese of a panel.
const HISTORY_CASES: Case[] = [
  {
    name: 'a series with no observed value',
    error: thrown(() => fitReady(hourly([NaN, NaN]), 24)),
    english: 'insufficient history: the series has no observed values (have 0 steps, need at least 1)',
    chinese: '历史数据不足：该序列没有任何观测值（现有 0 个步长，至少需要 1 个）',
  },
  {
    // From the first value on, 3 of 5 hours are missing: 2 observed, and half of 5 rounds up to 3.
    name: 'a series more than half missing',
    error: thrown(() => fitReady(hourly([1, NaN, NaN, NaN, 2]), 24)),
    english:
      'insufficient history: more than half of the buckets are missing; widen the step or the range (have 2 ' +
      'steps, need at least 3)',
    chinese: '历史数据不足：超过一半的时间桶缺少数据；请增大步长或扩大时间范围（现有 2 个步长，至少需要 3 个）',
  },
  {
    name: 'a series without a finite value',
    error: thrown(() => regularise({ timestampsSeconds: [0, 60], values: [null, Infinity] }, regular)),
    english: 'insufficient history: the series has no finite values (have 0 steps, need at least 2)',
    chinese: '历史数据不足：该序列没有有限数值（现有 0 个步长，至少需要 2 个）',
  },
  {
    name: 'a series of one observed step',
    error: thrown(() => regularise({ timestampsSeconds: [0], values: [5] }, regular)),
    english: 'insufficient history: too few observed buckets (have 1 steps, need at least 2)',
    chinese: '历史数据不足：有观测值的时间桶太少（现有 1 个步长，至少需要 2 个）',
  },
  {
    name: 'a history shorter than the LSTM',
    error: insufficientHistory({ reason: 'lstm-windows' }, 100, 360),
    english:
      'insufficient history: the LSTM needs a window, a horizon and training windows (have 100 steps, need at ' +
      'least 360)',
    chinese: '历史数据不足：LSTM 需要一个窗口、预测时长以及训练窗口（现有 100 个步长，至少需要 360 个）',
  },
  {
    name: 'a history too short for the LSTM and its held-out check',
    error: insufficientHistory({ reason: 'lstm-holdout', patchSteps: 24 }, 30, 1440),
    english:
      'insufficient history: the LSTM needs a window of at least 24 steps, the horizon and enough training ' +
      'windows, before and after holding out the newest steps to check itself on; choose a shorter horizon, or ' +
      'auto (have 30 steps, need at least 1440)',
    chinese:
      '历史数据不足：LSTM 需要至少 24 个步长的窗口、预测时长以及足够的训练窗口，且在留出最新的步长用于自检之前和之后' +
      '都要满足；请选择更短的预测时长，或选择 auto（现有 30 个步长，至少需要 1440 个）',
  },
  {
    // The third time has no served throughput: two pairs, of the three a regression is fitted on.
    name: 'too few times to calibrate throughput per GPU',
    error: thrown(() => calibrateThroughput([1, 2, NaN], [1, 2, 3])),
    english:
      'insufficient history: too few times with both served throughput and busy GPUs (have 2 steps, need at ' +
      'least 3)',
    chinese: '历史数据不足：同时有已服务吞吐量和忙碌 GPU 数据的时间点太少（现有 2 个步长，至少需要 3 个）',
  },
];

/** The capacity plan's note when calibrating throughput per GPU found too few times (engine/capacity/plan.ts). */
const calibrationPairs = HISTORY_CASES[HISTORY_CASES.length - 1];
const notCalibrated: FrameText = {
  code: 'throughput-not-calibrated',
  label: 'Generated tokens/s',
  reason: calibrationPairs.error.message,
  reasonText: (calibrationPairs.error as InsufficientHistoryError).text,
};

describe('errors Headroom words itself, in English', () => {
  it.each([...PROMETHEUS_CASES, ...WHAT_IF_REFUSALS, ...HISTORY_CASES])(
    'words $name as its message',
    ({ error, english }) => {
      expect(error.message).toBe(english);
      expect(frameText(codeOf(error))).toBe(english);
    }
  );

  it('words the capacity plan note on throughput that could not be calibrated, its reason as the engine wrote it', () => {
    expect(frameText(notCalibrated)).toBe(
      'Generated tokens/s is a throughput, so GPUs are planned from a throughput per GPU, and it could not be ' +
        'calibrated: insufficient history: too few times with both served throughput and busy GPUs (have 2 steps, ' +
        'need at least 3) Enter one from a benchmark.'
    );
  });

  it.each(QUERY_CASES)('words $name as the query writes it', ({ text, english }) => {
    expect(queryErrorText(text)).toBe(english);
    expect(frameText(text)).toBe(english);
  });

  it.each(WHAT_IF_NOTES)('words the what-if note on $name as the engine writes it', ({ note, english }) => {
    expect(frameText(note)).toBe(english);
  });

  it.each(INVENTORY_CASES)('words the inventory warning $name as the inventory writes it', ({ warning, english }) => {
    expect(inventoryWarningText(warning)).toBe(english);
    expect(frameText(warning)).toBe(english);
  });
});

describe('errors Headroom words itself, in Simplified Chinese', () => {
  beforeAll(async () => {
    const catalog: unknown = JSON.parse(
      readFileSync(path.join(__dirname, '../../locales/zh-Hans/headroom-capacity-app.json'), 'utf8')
    );
    await i18next.init({ lng: 'zh-Hans', resources: { 'zh-Hans': { 'headroom-capacity-app': catalog as object } } });
    await initPluginTranslations('headroom-capacity-app');
  });

  it.each([...PROMETHEUS_CASES, ...WHAT_IF_REFUSALS, ...HISTORY_CASES])('words $name', ({ error, chinese }) => {
    expect(frameText(codeOf(error))).toBe(chinese);
  });

  it('words the capacity plan note on throughput that could not be calibrated, its reason too', () => {
    expect(frameText(notCalibrated)).toBe(
      '生成 tokens/s 是吞吐量，GPU 数要按每 GPU 吞吐量规划，但该值无法校准：历史数据不足：同时有已服务吞吐量和忙碌 GPU ' +
        '数据的时间点太少（现有 2 个步长，至少需要 3 个） 请根据基准测试填写一个。'
    );
  });

  it.each(QUERY_CASES)('words $name', ({ text, chinese }) => {
    expect(frameText(text)).toBe(chinese);
  });

  it.each(WHAT_IF_NOTES)('words the what-if note on $name', ({ note, chinese }) => {
    expect(frameText(note)).toBe(chinese);
  });

  it.each(INVENTORY_CASES)('words the inventory warning $name', ({ warning, chinese }) => {
    expect(frameText(warning)).toBe(chinese);
  });

  it('words a horizon that is not a whole number of hours within the history', () => {
    expect(frameText({ code: 'horizon-hours-error', maxHours: 672, historyDays: 28, got: '1.5' })).toBe(
      '预测期必须是 1 到 672 之间的整数小时（预测读取 28 天的历史：预测最多只能看到与历史一样远的未来，超出这个长度，' +
        '回测就无法说明它会错多少），当前为 "1.5"。'
    );
  });
});
