/**
 * The README and docs/ link only to files that exist (screenshots included) and to headings that exist, and the
 * README's two commands at the top name npm scripts that exist. The checker is tried first on small files whose
 * broken links are known.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brokenLinks, headingAnchors } from './markdownLinks';

const root = path.resolve(__dirname, '../..');

describe('the link checker', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'headroom-links-'));
    mkdirSync(path.join(dir, 'docs', 'img'), { recursive: true });
    writeFileSync(path.join(dir, 'docs', 'img', 'here.png'), '');
    writeFileSync(path.join(dir, 'docs', 'guide.md'), '# Guide\n\n## Step one\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function check(markdown: string) {
    writeFileSync(path.join(dir, 'README.md'), markdown);
    return brokenLinks(path.join(dir, 'README.md')).map((b) => `${b.line} ${b.target}`);
  }

  it('finds a missing image, a missing file and a missing heading, and nothing else', () => {
    const markdown = [
      '# Top',
      '![ok](docs/img/here.png) ![gone](docs/img/gone.png)',
      'See [the guide](docs/guide.md#step-one), [old](docs/old.md) and [nowhere](docs/guide.md#step-two).',
      '[web](https://example.com/x.md) [back to top](#top) [docs folder](docs)',
      '`[code](not/a/link.md)`',
      '```',
      '[in a block](not/a/link.md)',
      '```',
      '<img src="docs/img/missing.png" width="600">',
      '[ref]: docs/missing-ref.md',
    ].join('\n');
    expect(check(markdown)).toEqual([
      '2 docs/img/gone.png',
      '3 docs/old.md',
      '3 docs/guide.md#step-two',
      '9 docs/img/missing.png',
      '10 docs/missing-ref.md',
    ]);
  });

  it("makes GitHub's heading anchors", () => {
    // Worked by hand with GitHub's rule: lower case, punctuation other than '-' dropped, each space a '-'.
    const anchors = headingAnchors(
      [
        '## 4. Helm (grafana/helm-charts `grafana` chart)',
        '## Reserved, on-demand and spot: the newsvendor',
        '## Notes',
        '## Notes',
      ].join('\n')
    );
    expect([...anchors]).toEqual([
      '4-helm-grafanahelm-charts-grafana-chart',
      'reserved-on-demand-and-spot-the-newsvendor',
      'notes',
      'notes-1',
    ]);
  });
});

describe('README and docs/', () => {
  const files = [
    'README.md',
    ...readdirSync(path.join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];

  it.each(files)('%s links only to files and headings that exist', (file) => {
    expect(brokenLinks(path.join(root, file))).toEqual([]);
  });

  it('the README shows each page and links the install guide', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    for (const page of ['overview', 'forecast', 'fragmentation', 'efficiency', 'alerts', 'configuration']) {
      expect(readme).toContain(`(src/img/screenshots/${page}.png)`);
    }
    expect(readme).toContain('(docs/install.md)');
  });

  it("the README's two commands use npm scripts that exist", () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const scripts = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts;
    expect(readme).toContain('npm ci && npm run server');
    expect(readme).toContain('npm ci && npm run test:all');
    expect(Object.keys(scripts)).toEqual(expect.arrayContaining(['server', 'test:all']));
  });
});
