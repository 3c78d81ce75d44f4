// postject ships no types; this is the one call scripts/buildBackend.ts makes (postject's dist/api.js, `inject`).
declare module 'postject' {
  export function inject(
    filename: string,
    resourceName: string,
    resourceData: Buffer,
    options?: { sentinelFuse?: string; machoSegmentName?: string; overwrite?: boolean }
  ): Promise<void>;
}
