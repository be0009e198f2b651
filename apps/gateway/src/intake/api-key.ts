import { createHash } from 'node:crypto';

/** API keys are stored and looked up only as sha256 hashes. */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}
