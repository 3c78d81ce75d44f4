// The launch what-if's notes and refusals (engine/capacity/whatIf.ts) in the user's language from their codes and
// figures (docs/i18n.md). Event names stay as typed; times are ISO, as in the engine's English.
import { t } from '@grafana/i18n';
import type { WhatIfNote, WhatIfRefusal } from '../../engine/capacity';
import { isoSeconds } from '../../engine/series/timeText';

const horizon = (firstSeconds: number, lastSeconds: number) =>
  t('forecast.what-if.horizon', "the forecast's horizon {{first}} – {{last}}", {
    first: isoSeconds(firstSeconds),
    last: isoSeconds(lastSeconds),
    interpolation: { escapeValue: false },
  });

export function whatIfText(text: WhatIfNote | WhatIfRefusal): string {
  switch (text.code) {
    case 'what-if-beyond-horizon':
      return t(
        'forecast.what-if.notes.beyond-horizon',
        'Event {{event}} reaches beyond {{horizon}}: only its part inside is planned.',
        {
          event: text.event,
          horizon: horizon(text.firstSeconds, text.lastSeconds),
          interpolation: { escapeValue: false },
        }
      );
    case 'what-if-overlap': {
      const [a, b] = text.multipliers;
      return t(
        'forecast.what-if.notes.overlap',
        'Events {{first}} and {{second}} overlap {{from}} – {{to}}: their multipliers multiply there (×{{a}} × {{b}} = ×{{product}}).',
        {
          first: text.events[0],
          second: text.events[1],
          from: isoSeconds(text.fromSeconds),
          to: isoSeconds(text.toSeconds),
          a: String(a),
          b: String(b),
          product: String(a * b),
          interpolation: { escapeValue: false },
        }
      );
    }
    case 'what-if-no-steps':
      return t('forecast.what-if.refusals.no-steps', 'The forecast has no steps to add a launch to.');
    case 'what-if-end-before-start':
      return t(
        'forecast.what-if.refusals.end-before-start',
        'Event {{event}}: the end must be a time after the start.',
        {
          event: text.event,
          interpolation: { escapeValue: false },
        }
      );
    case 'what-if-bad-multiplier':
      return t(
        'forecast.what-if.refusals.bad-multiplier',
        'Event {{event}}: the traffic multiplier must be a number ≥ 0 (2 doubles traffic, 0 is an outage), got {{multiplier}}.',
        { event: text.event, multiplier: String(text.multiplier), interpolation: { escapeValue: false } }
      );
    case 'what-if-outside-horizon':
      return t(
        'forecast.what-if.refusals.outside-horizon',
        'Event {{event}} ({{start}} – {{end}}) is outside {{horizon}}: it changes no forecast step. Move it, or forecast further (a longer horizon or a later end).',
        {
          event: text.event,
          start: isoSeconds(text.startSeconds),
          end: isoSeconds(text.endSeconds),
          horizon: horizon(text.firstSeconds, text.lastSeconds),
          interpolation: { escapeValue: false },
        }
      );
  }
}
