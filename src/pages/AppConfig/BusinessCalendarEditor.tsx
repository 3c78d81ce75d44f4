import React from 'react';
import { t } from '@grafana/i18n';
import { dateTime } from '@grafana/data';
import { Button, DateTimePicker, IconButton, Input, Stack, Text } from '@grafana/ui';
import type { BusinessEvent } from '../../datasource/appSettings';

interface Props {
  events: BusinessEvent[];
  onChange: (events: BusinessEvent[]) => void;
}

const DAY_SECONDS = 86_400;

/** Rows of launches, promotions and holidays: name, start, end and an optional expected demand factor. */
export function BusinessCalendarEditor({ events, onChange }: Props) {
  const update = (index: number, patch: Partial<BusinessEvent>) =>
    onChange(events.map((event, i) => (i === index ? { ...event, ...patch } : event)));
  const addEvent = () => {
    const startSeconds = Math.floor(Date.now() / 1000 / DAY_SECONDS + 1) * DAY_SECONDS;
    onChange([...events, { name: '', startSeconds, endSeconds: startSeconds + DAY_SECONDS }]);
  };

  return (
    <Stack direction="column" gap={1} data-testid="headroom-config-calendar">
      {events.length === 0 && <Text color="secondary">{t('config.calendar.empty', 'No events yet.')}</Text>}
      {events.map((event, index) => (
        <Stack key={index} gap={1} alignItems="center">
          <Input
            aria-label={t('config.calendar.event-name', 'Event {{number}} name', { number: index + 1 })}
            placeholder={t('config.calendar.event-name-placeholder', 'e.g. Product launch')}
            width={28}
            value={event.name}
            onChange={(e) => update(index, { name: e.currentTarget.value })}
          />
          <DateTimePicker
            label={t('config.calendar.start', 'Start')}
            date={dateTime(event.startSeconds * 1000)}
            onChange={(date) => date && update(index, { startSeconds: Math.floor(date.valueOf() / 1000) })}
          />
          <DateTimePicker
            label={t('config.calendar.end', 'End')}
            date={dateTime(event.endSeconds * 1000)}
            onChange={(date) => date && update(index, { endSeconds: Math.floor(date.valueOf() / 1000) })}
          />
          <Input
            aria-label={t('config.calendar.event-effect', 'Event {{number}} expected effect', { number: index + 1 })}
            placeholder={t('config.calendar.effect-placeholder', 'effect ×, e.g. 1.5')}
            width={16}
            type="number"
            value={event.effect ?? ''}
            onChange={(e) => {
              const text = e.currentTarget.value;
              update(index, { effect: text === '' ? undefined : Number(text) });
            }}
          />
          <IconButton
            name="trash-alt"
            tooltip={t('config.calendar.remove', 'Remove event')}
            onClick={() => onChange(events.filter((_, i) => i !== index))}
          />
        </Stack>
      ))}
      {events.some((event) => event.endSeconds <= event.startSeconds) && (
        <Text color="error">{t('config.calendar.end-before-start', 'An event must end after it starts.')}</Text>
      )}
      <div>
        <Button icon="plus" variant="secondary" size="sm" onClick={addEvent}>
          {t('config.calendar.add', 'Add event')}
        </Button>
      </div>
    </Stack>
  );
}
