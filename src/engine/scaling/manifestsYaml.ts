/** Emitted objects as YAML documents separated by `---`, each comment above its object (kubectl reads them as one file). */
import { Document } from 'yaml';

import type { Emitted } from './planManifests';

export function manifestsYaml(emitted: Emitted[]): string {
  return emitted
    .map(({ object, comment }) => {
      const document = new Document(object);
      if (comment) {
        document.commentBefore = comment
          .split('\n')
          .map((line) => ` ${line}`)
          .join('\n');
      }
      return document.toString({ lineWidth: 0 });
    })
    .join('---\n');
}
