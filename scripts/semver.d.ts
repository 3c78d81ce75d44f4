// The project has no @types/semver; these are the calls scripts/release.ts makes (semver 7's functions/*.js).
declare module 'semver' {
  export type ReleaseType = 'major' | 'minor' | 'patch';
  export function valid(version: string): string | null;
  export function inc(version: string, release: ReleaseType): string | null;
  export function gt(a: string, b: string): boolean;
}
