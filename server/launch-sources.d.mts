/** Types for launch-sources.mjs (plain JavaScript, so npm start needs no compiler to read it). */
export function compiledSources(root: string): string[];
export function sourceHash(root: string, files: string[]): string;
