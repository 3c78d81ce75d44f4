import { cliLanguage, type CliLanguage } from './language';

/** The command line's own words in each language; `{name}` placeholders are filled by `cliText`. */
const MESSAGES = {
  'en-US': {
    unknownCommand: 'headroom: unknown command "{name}"',
    usage: 'usage: headroom <command> [options]',
    commands: 'commands:',
    helpHint: 'headroom <command> --help (or -h) describes a command; headroom --version prints the version.',
    optionsHint: 'Run `headroom {name} --help` for the options.',
  },
  'zh-Hans': {
    unknownCommand: 'headroom：未知命令“{name}”',
    usage: '用法：headroom <命令> [选项]',
    commands: '命令：',
    helpHint: 'headroom <命令> --help（或 -h）查看命令说明；headroom --version 显示版本。',
    optionsHint: '运行 `headroom {name} --help` 查看可用选项。',
  },
} satisfies Record<CliLanguage, Record<string, string>>;

/** Command summaries in Chinese; a command missing here shows its English summary. */
const ZH_SUMMARIES: Record<string, string> = {
  simulate: '生成模拟 GPU 集群历史数据（OpenMetrics），或在 /metrics 上实时提供',
  inventory: '按型号、命名空间和节点统计 GPU 容量、分配和繁忙 GPU',
  forecast: '预测以 JSON Lines 任务形式从 stdin 读入的序列（--batch）',
  capacity: '预测需求并规划 GPU 数量、扩容时间和预留 / 按需 / Spot 组合',
  plan: '把容量规划导出为 Kubernetes 对象：KEDA、HPA、Karpenter、集群自动扩缩容器、PrometheusRule',
  thresholds: '自适应告警阈值：在一条序列上回放已部署的规则（--alerts）',
  rules: '告警规则：导出单条序列的自适应规则（Prometheus 规则文件）；碎片化、浪费成本和预算护栏的模板',
  recalibrate: '重新学习由 Headroom 管理的 Grafana 告警规则并写回（HEADROOM_GRAFANA_TOKEN）',
  fragmentation: '集群状态相对于其工作负载的 GPU 碎片化程度（FGD）',
  efficiency: '已分配与繁忙 GPU 小时对比、闲置和超配的 Pod、成本',
  budget: '预算护栏：控制级和熔断级将会应用的补丁（不会实际应用）',
  mfu: '模型算力利用率 MFU（PaLM 公式），含与不含 attention 两种口径',
  size: '训练一个模型所需的 GPU 小时；部署一个模型所需的显存、每副本 GPU 数和副本数',
};

export type CliMessage = keyof (typeof MESSAGES)['en-US'];

export function cliText(key: CliMessage, values: Record<string, string> = {}, language = cliLanguage()): string {
  return MESSAGES[language][key].replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

export function commandSummary(name: string, english: string, language = cliLanguage()): string {
  return language === 'zh-Hans' ? (ZH_SUMMARIES[name] ?? english) : english;
}
