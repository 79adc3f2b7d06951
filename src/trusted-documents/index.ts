import type { LimitsConfig } from '../config.js';
import { loadManifest } from './manifest.js';
import { TrustedDocuments } from './trusted-documents.js';

export { buildManifest, documentHash, loadManifest, operationDocuments, type Manifest } from './manifest.js';
export { TrustedDocuments } from './trusted-documents.js';

/** The trusted documents of TRUSTED_DOCUMENTS; a manifest that cannot be read stops the start. */
export async function loadTrustedDocuments(manifestPath: string, limits: LimitsConfig): Promise<TrustedDocuments> {
  return new TrustedDocuments(await loadManifest(manifestPath), limits.maxTokens);
}
