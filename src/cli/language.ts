/**
 * The language of the command line's own words (usage, command summaries, the pointer to --help), from the POSIX
 * locale variables in their order of precedence: LC_ALL, LC_MESSAGES, LANG. `zh_CN.UTF-8`, `zh_SG`, `zh_Hans` and
 * plain `zh` are Simplified Chinese; everything else, Traditional Chinese included (no catalog yet), is English.
 * Machine-readable output (JSON, manifests, CSV) never changes with it. docs/i18n.md.
 */
export type CliLanguage = 'en-US' | 'zh-Hans';

export function cliLanguage(env: NodeJS.ProcessEnv = process.env): CliLanguage {
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((value) => value !== undefined && value !== '') ?? '';
  // `language[_territory][.codeset][@modifier]`, or a BCP 47 tag (`zh-Hans-CN`).
  const [language, territory] = locale.split(/[.@]/)[0].split(/[_-]/);
  if (language?.toLowerCase() !== 'zh') {
    return 'en-US';
  }
  const region = territory?.toUpperCase();
  return region === 'TW' || region === 'HK' || region === 'MO' || region === 'HANT' ? 'en-US' : 'zh-Hans';
}
