import { readFileSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import { inject } from 'vitest';
import type { SynthResult } from './synth.js';

let cached: SynthResult | undefined;

/** The synthesized stack of this test run (see global-setup). */
export function synthResult(): SynthResult {
  cached ??= JSON.parse(readFileSync(inject('synthResultFile'), 'utf8')) as SynthResult;
  return cached;
}

export function platformTemplate(): Template {
  return Template.fromJSON(synthResult().template);
}

/** CloudFormation allows one action or resource where a list is expected. */
export const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
