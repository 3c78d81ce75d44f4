// The plugin's catalogs (docs/i18n.md): every string the source marks with `t()`/`<Trans>` is in them, nothing stale,
// and the Chinese one is complete and keeps every placeholder.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const APP = JSON.parse(readFileSync(path.join(ROOT, 'src/plugin.json'), 'utf8')) as { id: string; languages: string[] };

type Catalog = { [key: string]: string | Catalog };

function flatten(catalog: Catalog, prefix = ''): Record<string, string> {
  return Object.fromEntries(
    Object.entries(catalog).flatMap(([key, value]) =>
      typeof value === 'string' ? [[`${prefix}${key}`, value]] : Object.entries(flatten(value, `${prefix}${key}.`))
    )
  );
}

const catalog = (language: string) =>
  flatten(JSON.parse(readFileSync(path.join(ROOT, 'src/locales', language, `${APP.id}.json`), 'utf8')) as Catalog);
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('translations', () => {
  it('has every marked string extracted and no stale key (npm run i18n:extract changes nothing)', () => {
    // The extractor run on a copy of the catalogs: --fail-on-update exits 1 when it would add or drop a key.
    const copy = mkdtempSync(path.join(tmpdir(), 'headroom-locales-'));
    try {
      cpSync(path.join(ROOT, 'src/locales'), copy, { recursive: true });
      execFileSync(
        path.join(ROOT, 'node_modules/.bin/i18next'),
        [
          '--config',
          'i18next-parser.config.cjs',
          '--silent',
          '--fail-on-update',
          '--output',
          `${copy}/$LOCALE/$NAMESPACE.json`,
        ],
        { cwd: ROOT, stdio: 'pipe' }
      );
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 120_000);

  it('declares the same languages in every plugin.json, with a catalog for each', () => {
    const panels = readdirSync(path.join(ROOT, 'src/panels')).filter((p) =>
      existsSync(path.join(ROOT, 'src/panels', p, 'plugin.json'))
    );
    const pluginJsons = ['src/datasource', ...panels.map((p) => `src/panels/${p}`)];
    for (const folder of pluginJsons) {
      const json = JSON.parse(readFileSync(path.join(ROOT, folder, 'plugin.json'), 'utf8')) as { languages?: string[] };
      expect({ folder, languages: json.languages }).toEqual({ folder, languages: APP.languages });
    }
    expect(readdirSync(path.join(ROOT, 'src/locales')).sort()).toEqual([...APP.languages].sort());
  });

  const english = catalog('en-US');
  const others = APP.languages.filter((language) => language !== 'en-US');

  it.each(others)('%s translates every key, with the English placeholders', (language) => {
    const translated = catalog(language);
    expect(Object.keys(translated).sort()).toEqual(Object.keys(english).sort());
    for (const [key, text] of Object.entries(english)) {
      expect({ key, text: translated[key] }).toEqual({ key, text: expect.stringMatching(/\S/) });
      expect({ key, placeholders: placeholders(translated[key]) }).toEqual({ key, placeholders: placeholders(text) });
    }
  });

  it('writes Chinese in zh-Hans, not English left over (product names and units aside)', () => {
    // Values that are names the Chinese UI keeps as they are (a URL field label, Kubernetes' Pod, AWS's Spot).
    const keptAsIs = new Set(['Prometheus URL', 'Spot', 'Pod']);
    // A value with no word left once its placeholders are out (`{{value}}%`) has nothing to translate.
    const hasWords = (text: string) => /[A-Za-z]/.test(text.replace(/\{\{\s*\w+\s*\}\}/g, ''));
    for (const [key, text] of Object.entries(catalog('zh-Hans'))) {
      if (!keptAsIs.has(text) && hasWords(text)) {
        expect({ key, text }).toEqual({ key, text: expect.stringMatching(/[\u4e00-\u9fff]/) });
      }
    }
  });
});
