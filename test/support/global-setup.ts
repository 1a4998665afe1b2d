import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { synthesizePlatform } from './synth.js';

/**
 * Synthesizes the stack once per run (bundling every function takes seconds) and hands the
 * template, and any cdk-nag failure, to the template suites through a file.
 */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'logicnodes-synth-'));
  const result = synthesizePlatform(join(dir, 'cdk.out'));
  const file = join(dir, 'synth-result.json');
  writeFileSync(file, JSON.stringify(result));
  project.provide('synthResultFile', file);

  return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    synthResultFile: string;
  }
}
