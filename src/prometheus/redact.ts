/**
 * Credentials never reach a message. Headroom quotes what servers answer (Prometheus, Grafana, or a proxy in front of
 * them), and a proxy may echo the request's headers into its error page: the service-account token, a data source's
 * basic-auth password, a session cookie. Every error message the command line prints and the app shows passes through
 * `redactCredentials` (the typed errors of `errors.ts` and the Grafana client redact when they are made; the command
 * line's and the app's error printers redact again with the secrets they hold). This is the lowest layer that does
 * I/O, so every layer that prints an answer can use it.
 */

/** What stands where a credential was. Contains no character the patterns below take as part of a value. */
export const REDACTED = '[redacted]';

/** Header or field names whose value is a credential, as sent (`Authorization: Bearer x`) or echoed as JSON. */
const SECRET_NAME =
  '(?:proxy-)?authorization|x-api-key|api[-_]?key|x-auth-token|x-grafana-token|access[-_]?token|password|passwd|secret';
/** Cookie headers: every `name=value` pair of their value is someone's session. */
const COOKIE_NAME = '(?:set-)?cookie';
/** One value: up to white space, a quote, a comma or a semicolon (how headers and JSON end a value). */
const VALUE = `[^\\s"',;]+`;
/** A JSON string literal. */
const JSON_STRING = `"(?:[^"\\\\]|\\\\.)*"`;

/** Authorization schemes whose next word is a credential. */
const SCHEME = 'Bearer|Basic|Digest|Negotiate';
/** Grafana's token formats. */
const GRAFANA_TOKEN = '(?:glsa|glc|glpat)_';
const SESSION_COOKIE = 'grafana_session';

/**
 * What every match of PATTERNS contains, built from the same names (ignoring case). A text without any is left as it
 * is after one scan: the seven patterns scanned a Prometheus answer of megabytes seven times, about 100 ms per answer
 * at 10,000 GPUs (bench/backend.ts).
 */
const CREDENTIAL_HINT = new RegExp(
  [SECRET_NAME, COOKIE_NAME, ':\\/\\/', SCHEME, GRAFANA_TOKEN, SESSION_COOKIE].join('|'),
  'i'
);

const PATTERNS: Array<[RegExp, string]> = [
  // URL user information: http://user:password@host → http://[redacted]@host.
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi, `$1${REDACTED}@`],
  // JSON echo: "authorization": "Bearer x", or a list of values ("cookie": ["a=b", "c=d"]).
  [
    new RegExp(
      `("(?:${SECRET_NAME}|${COOKIE_NAME})"\\s*:\\s*)(?:${JSON_STRING}|\\[\\s*${JSON_STRING}(?:\\s*,\\s*${JSON_STRING})*\\s*\\])`,
      'gi'
    ),
    `$1"${REDACTED}"`,
  ],
  // Header lines: `Cookie: a=1; grafana_session=x` (the whole list), `Authorization: Basic x`, `x-api-key=x`.
  [new RegExp(`\\b(${COOKIE_NAME})(\\s*[:=]\\s*)(?:[^\\s"',;=]+=${VALUE}(?:;\\s*)?)+`, 'gi'), `$1$2${REDACTED}`],
  [
    new RegExp(`\\b(${SECRET_NAME})(\\s*[:=]\\s*)(?:(?:Bearer|Basic|Digest|Token|Negotiate)\\s+)?${VALUE}`, 'gi'),
    `$1$2${REDACTED}`,
  ],
  // Anywhere else: an authorization scheme and its credential, Grafana's token formats, Grafana's session cookie.
  [new RegExp(`\\b(${SCHEME})\\s+(?!\\[redacted\\])${VALUE}`, 'g'), `$1 ${REDACTED}`],
  [new RegExp(`\\b${GRAFANA_TOKEN}[A-Za-z0-9_=-]+`, 'g'), REDACTED],
  [new RegExp(`\\b(${SESSION_COOKIE}(?:_expiry)?)=[^\\s"',;]+`, 'gi'), `$1=${REDACTED}`],
];

/**
 * The text with every credential replaced by `[redacted]`: the `secrets` given (a token, a password; also as they
 * appear URL-encoded and, for a `user:password` pair, base64-encoded as Basic auth sends them), the values of the
 * `secretHeaders` named (custom headers whose values are secret though their names are known, such as a Prometheus
 * data source's `httpHeaderName<n>`), and anything shaped like a credential (an Authorization or cookie header, a
 * bearer or basic credential, a Grafana token, user information in a URL). Applying it twice changes nothing more.
 */
export function redactCredentials(
  text: string,
  secrets: ReadonlyArray<string | undefined> = [],
  secretHeaders: readonly string[] = []
): string {
  let redacted = text;
  for (const secret of secrets.flatMap(encodings)) {
    redacted = redacted.split(secret).join(REDACTED);
  }
  const patterns = CREDENTIAL_HINT.test(redacted) ? PATTERNS : [];
  for (const [pattern, replacement] of [...headerPatterns(secretHeaders), ...patterns]) {
    redacted = redacted.replace(pattern, replacement);
  }
  return redacted;
}

/** The JSON-echo and header-line patterns of SECRET_NAME, for header names given at run time (matched ignoring case). */
function headerPatterns(names: readonly string[]): Array<[RegExp, string]> {
  const escaped = names
    .map((name) => name.trim())
    .filter((name) => name !== '')
    .map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (escaped.length === 0) {
    return [];
  }
  const name = `(?:${escaped.join('|')})`;
  return [
    [
      new RegExp(
        `("${name}"\\s*:\\s*)(?:${JSON_STRING}|\\[\\s*${JSON_STRING}(?:\\s*,\\s*${JSON_STRING})*\\s*\\])`,
        'gi'
      ),
      `$1"${REDACTED}"`,
    ],
    // `X-Custom-Auth: v`, `X-Custom-Auth=v`, Go's `map[X-Custom-Auth:[v]]`; not inside a longer header name.
    [
      new RegExp(
        `(?<![\\w-])(${name})(\\s*[:=]\\s*)(?!\\[redacted\\])(?:(?:Bearer|Basic|Digest|Token|Negotiate)\\s+)?${VALUE}`,
        'gi'
      ),
      `$1$2${REDACTED}`,
    ],
  ];
}

/** A secret as a server may echo it. Very short strings are skipped: replacing them would garble the text. */
function encodings(secret: string | undefined): string[] {
  if (secret === undefined || secret.length < 4) {
    return [];
  }
  const forms = new Set([secret, encodeURIComponent(secret), base64(secret)]);
  return [...forms].sort((a, b) => b.length - a.length);
}

function base64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

/**
 * An error's code with each text among its figures (in lists and nested objects too) passed through `redact`: the figures quote
 * the same answers as the message, so they are redacted as it is. The code itself is Headroom's, never a secret.
 */
export function redactedFigures<T extends { code: string }>(
  text: T,
  redact: (text: string) => string = redactCredentials
): T {
  const redacted = (value: unknown): unknown =>
    typeof value === 'string'
      ? redact(value)
      : Array.isArray(value)
        ? value.map(redacted)
        : value !== null && typeof value === 'object'
          ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, redacted(inner)]))
          : value;
  return Object.fromEntries(
    Object.entries(text).map(([key, value]) => [key, key === 'code' ? value : redacted(value)])
  ) as T;
}

/** The message of anything thrown, credentials redacted: what every error printer shows. */
export function errorMessage(
  error: unknown,
  secrets: ReadonlyArray<string | undefined> = [],
  secretHeaders: readonly string[] = []
): string {
  return redactCredentials(error instanceof Error ? error.message : String(error), secrets, secretHeaders);
}

/** A URL as messages name it: without user information (`http://user:password@host` → `http://host`). */
export function urlForDisplay(url: string | URL): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return redactCredentials(String(url));
  }
}
