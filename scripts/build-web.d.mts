import type { WebFile } from "../api/web-assets.ts";
export const DIST: string;
export function buildWeb(opts?: { dev?: boolean; log?: boolean; write?: boolean }): Promise<{ files: Record<string, WebFile>; index: string; initial: string[]; ms: number }>;
