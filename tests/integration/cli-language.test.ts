/**
 * The command line's own words follow the POSIX locale (src/cli/language.ts): `LANG=zh_CN.UTF-8` gives the usage,
 * the command summaries and the pointer to --help in Simplified Chinese; the messages that name what went wrong
 * keep their exit codes and streams.
 */
import { runHeadroom } from '../kit/cli';

const CHINESE = { LANG: 'zh_CN.UTF-8', LC_ALL: undefined, LC_MESSAGES: undefined };

describe('headroom under LANG=zh_CN.UTF-8', () => {
  it('lists the commands in Chinese, on stdout, exit 0', async () => {
    const { code, stdout, stderr } = await runHeadroom(['--help'], { env: CHINESE });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^用法：headroom <命令> \[选项\]\n\n命令：\n/);
    expect(stdout).toContain('\n  fragmentation  集群状态相对于其工作负载的 GPU 碎片化程度（FGD）\n');
    expect(stdout).toContain('查看命令说明');
  });

  it('names an unknown command in Chinese, on stderr, exit 2', async () => {
    const { code, stdout, stderr } = await runHeadroom(['inventroy'], { env: CHINESE });
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(/^headroom：未知命令“inventroy”\n\n用法：/);
  });

  it('points a bad flag at --help in Chinese', async () => {
    const { code, stderr } = await runHeadroom(['inventory', '--no-such-flag'], { env: CHINESE });
    expect(code).toBe(2);
    expect(stderr).toContain('运行 `headroom inventory --help` 查看可用选项。');
  });

  it('LC_ALL wins over LANG, as POSIX orders them', async () => {
    const { stdout } = await runHeadroom(['--help'], { env: { LANG: 'zh_CN.UTF-8', LC_ALL: 'en_US.UTF-8' } });
    expect(stdout).toMatch(/^usage: headroom <command> \[options\]\n/);
  });
});
