import { cliLanguage } from './language';

describe('cliLanguage', () => {
  it.each([
    [{ LANG: 'zh_CN.UTF-8' }, 'zh-Hans'],
    [{ LANG: 'zh_SG.GB2312' }, 'zh-Hans'],
    [{ LANG: 'zh' }, 'zh-Hans'],
    [{ LANG: 'zh-Hans-CN' }, 'zh-Hans'],
    // Traditional Chinese has no catalog: English rather than Simplified characters a Taiwanese reader did not ask for.
    [{ LANG: 'zh_TW.UTF-8' }, 'en-US'],
    [{ LANG: 'zh_HK.UTF-8' }, 'en-US'],
    [{ LANG: 'en_US.UTF-8' }, 'en-US'],
    [{ LANG: 'C' }, 'en-US'],
    [{}, 'en-US'],
    // POSIX precedence: LC_ALL, then LC_MESSAGES, then LANG; an empty variable counts as unset.
    [{ LC_ALL: 'en_US.UTF-8', LANG: 'zh_CN.UTF-8' }, 'en-US'],
    [{ LC_MESSAGES: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8' }, 'zh-Hans'],
    [{ LC_ALL: '', LANG: 'zh_CN.UTF-8' }, 'zh-Hans'],
  ])('%j is %s', (env, expected) => {
    expect(cliLanguage(env as NodeJS.ProcessEnv)).toBe(expected);
  });
});
