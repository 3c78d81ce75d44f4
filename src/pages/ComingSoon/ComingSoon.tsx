import React from 'react';
import { useLocation } from 'react-router-dom';
import { EmptyState, Icon, LinkButton, Text } from '@grafana/ui';
import { ROUTES, prefixRoute } from '../../constants';
import type { ComingSoonPageText } from './comingSoonPages';

type Props = Pick<ComingSoonPageText, 'route' | 'icon' | 'question' | 'detail'>;

/** Empty state of a page that is not built yet: the question it will answer and a way back. */
export function ComingSoon({ route, icon, question, detail }: Props) {
  // Carry the query string back so the Overview keeps the time range the user came with.
  const { search } = useLocation();

  return (
    <div data-testid={`headroom-coming-soon-${route}`}>
      <EmptyState
        variant="call-to-action"
        message={question}
        image={<Icon name={icon} size="xxxl" />}
        button={
          <LinkButton icon="arrow-left" variant="secondary" href={`${prefixRoute(ROUTES.Overview)}${search}`}>
            Back to Overview
          </LinkButton>
        }
      >
        <Text element="p">{detail}</Text>
        <Text element="p" color="secondary">
          It is not built yet; the Overview shows the fleet inventory in the meantime.
        </Text>
      </EmptyState>
    </div>
  );
}
