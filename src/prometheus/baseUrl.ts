/**
 * The base URL of a server Headroom talks to from Node (Prometheus, Grafana), as a person typed it: checked, and split
 * into the address messages may name and the credentials it carried, which go into a header and nowhere else.
 */
import { urlForDisplay } from './redact';

/** The URL is unusable (not a URL, not http or https, or credentials where none are taken): a person's input. */
export class InvalidBaseUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export interface BaseUrl {
  /** Without user information or a trailing slash, e.g. `http://localhost:9090`: safe to print. */
  base: string;
  /** `Basic <base64 user:password>` when the URL carried user information (`http://user:password@host`). */
  authorization?: string;
  /** The user information as typed, for redaction (`user:password`, and the password alone). */
  secrets: string[];
}

export interface BaseUrlRules {
  /** Who is at the address, for messages: `Prometheus`, `Grafana`. */
  server: string;
  /** The flag that gave it, e.g. `--grafana-url`, when the caller knows it. */
  flag?: string;
  example: string;
  /** Why user information is refused; when absent it is taken as basic authentication. */
  refuseUserInfo?: string;
}

export function parseBaseUrl(text: string, rules: BaseUrlRules): BaseUrl {
  const named = `${rules.flag ? `${rules.flag} ` : ''}"${urlForDisplay(text)}"`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidBaseUrlError(`${named} is not a URL: give the ${rules.server} address, e.g. ${rules.example}.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidBaseUrlError(`${named} must start with http:// or https://, e.g. ${rules.example}.`);
  }
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  const base = urlForDisplay(url).replace(/\/+$/, '');
  if (user === '' && password === '') {
    return { base, secrets: [] };
  }
  if (rules.refuseUserInfo !== undefined) {
    throw new InvalidBaseUrlError(
      `${rules.flag ? `${rules.flag} ` : ''}${base} carries a user name or password, which is not sent. ${rules.refuseUserInfo}`
    );
  }
  const pair = `${user}:${password}`;
  return {
    base,
    authorization: `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(pair)))}`,
    secrets: [pair, password, url.password],
  };
}
