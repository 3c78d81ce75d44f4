/** The Grafana service-account token of the commands that write to Grafana (`recalibrate`, `rules templates`). */
import { UsageError } from './args';

export const TOKEN_VARIABLE = 'HEADROOM_GRAFANA_TOKEN';

/** The token from the environment; a usage error when it is not set. It goes into a header and nowhere else. */
export function grafanaToken(): string {
  const token = process.env[TOKEN_VARIABLE];
  if (!token) {
    throw new UsageError(`set ${TOKEN_VARIABLE} to a Grafana service-account token`);
  }
  return token;
}
