/**
 * The relative links and image paths of a Markdown file that lead nowhere: a file or folder that does not exist, or a
 * `#fragment` that is no heading of the Markdown file it points at (GitHub's heading anchors). Web addresses are not
 * followed. Code (fenced blocks, `inline`) is skipped, as GitHub renders no link there.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface BrokenLink {
  line: number;
  target: string;
  reason: string;
}

interface Link {
  line: number;
  target: string;
}

/** `[text](target)`, `![alt](target "title")`, `[label]: target` and HTML `src="…"` / `href="…"`. */
function linksOf(markdown: string): Link[] {
  const links: Link[] = [];
  let inFence = false;
  markdown.split('\n').forEach((raw, i) => {
    if (/^\s*(```|~~~)/.test(raw)) {
      inFence = !inFence;
      return;
    }
    if (inFence) {
      return;
    }
    const line = raw.replace(/`[^`]*`/g, '');
    const found = [
      ...[...line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]),
      ...[...line.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/g)].map((m) => m[1]),
      ...[...line.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((m) => m[1]),
    ];
    links.push(...found.map((target) => ({ line: i + 1, target })));
  });
  return links;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens, `-1`, `-2`… for repeats. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
    }
    const heading = inFence ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) {
      continue;
    }
    const text = heading[1].replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[`*_]/g, '');
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

export function brokenLinks(markdownFile: string): BrokenLink[] {
  const markdown = readFileSync(markdownFile, 'utf8');
  const broken: BrokenLink[] = [];
  for (const { line, target } of linksOf(markdown)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
      continue; // https:, mailto: and the like
    }
    const [pathPart, fragment] = target.split('#', 2) as [string, string | undefined];
    const file =
      pathPart === '' ? markdownFile : path.resolve(path.dirname(markdownFile), decodeURI(pathPart.split('?')[0]));
    if (!existsSync(file)) {
      broken.push({ line, target, reason: `${path.relative(path.dirname(markdownFile), file)} does not exist` });
    } else if (fragment && file.endsWith('.md') && statSync(file).isFile()) {
      if (!headingAnchors(readFileSync(file, 'utf8')).has(fragment.toLowerCase())) {
        broken.push({ line, target, reason: `no heading with anchor #${fragment}` });
      }
    }
  }
  return broken;
}
