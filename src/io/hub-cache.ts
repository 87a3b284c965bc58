// Models named as on the Hugging Face Hub ("gpt2", "google-bert/bert-base-uncased") resolve to their
// snapshot in the local Hub cache (where transformers and huggingface-cli put downloads). attn never
// downloads: a model that is not cached is an error that says how to get it.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getHFHubCachePath, getRepoFolderName } from '@huggingface/hub';
import { FileError } from '../errors.js';

/** Whether `name` is shaped like a Hub model id (name or owner/name). */
export function looksLikeHubId(name: string): boolean {
  return /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/.test(name) && !name.endsWith('.safetensors');
}

/** The cached snapshot folder of a Hub model at a revision (branch name or commit), if there is one. */
export function cachedSnapshot(name: string, revision = 'main', cacheDir = getHFHubCachePath()): string | undefined {
  const repo = join(cacheDir, getRepoFolderName({ name, type: 'model' }));
  if (!existsSync(repo)) return undefined;
  const ref = join(repo, 'refs', revision);
  const commit = existsSync(ref) ? readFileSync(ref, 'utf8').trim() : revision;
  const snapshot = join(repo, 'snapshots', commit);
  return existsSync(snapshot) ? snapshot : undefined;
}

/**
 * A --model argument → a folder: an existing path as it is, else a cached Hub model of that name.
 */
export function resolveModelPath(arg: string, cacheDir = getHFHubCachePath()): string {
  if (existsSync(arg) || !looksLikeHubId(arg)) return arg;
  const snapshot = cachedSnapshot(arg, 'main', cacheDir);
  if (snapshot) return snapshot;
  throw new FileError(
    `no folder "${arg}" here, and no cached Hugging Face model "${arg}" in ${cacheDir}. ` +
      'attn works offline and never downloads: give the path of a model folder (config.json, model.safetensors, tokenizer.json), ' +
      `or fetch it once where there is a network (huggingface-cli download ${arg}) and set HF_HUB_CACHE if the cache lives elsewhere`,
  );
}
