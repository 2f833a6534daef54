import type { BundleSource } from '../transfer/formats/bundle-source.js';
import type { Storage, StorageArea } from './storage.js';

/** A stored file as the engine reads bundles: streamed, and by ranges for a CSV zip. */
export function storageSource(storage: Storage, area: StorageArea, name: string, size: number): BundleSource {
  return {
    name,
    size: () => Promise.resolve(size),
    open: (range) => storage.read(area, name, range),
  };
}
