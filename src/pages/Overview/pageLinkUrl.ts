import { urlUtil } from '@grafana/data';
import { prefixRoute, type ROUTES } from '../../constants';

/** A time range as scenes keeps it and writes it to the URL: `now-24h`, or an ISO timestamp. */
export interface UrlTimeRange {
  from: string;
  to: string;
}

/** URL of an app page that opens on the given time range. */
export function pageLinkUrl(route: ROUTES, range: UrlTimeRange): string {
  return urlUtil.renderUrl(prefixRoute(route), { from: range.from, to: range.to });
}
