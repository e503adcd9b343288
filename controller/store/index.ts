// The store's only door: open a SQLite store and the types of its rows and namespaces.
export { openStore, type OpenStoreOptions } from './open-store.js';
export {
  STORE_CONSTRAINT,
  type BackupRow,
  type BatchListOptions,
  type BatchPatch,
  type BatchRow,
  type EventListOptions,
  type ItemListOptions,
  type ItemRow,
  type NewEvent,
  type OutcomeRow,
  type RetentionCounts,
  type RetentionPreview,
  type RetentionScope,
  type Store,
  type StoreBackups,
  type StoreBatches,
  type StoreConstraint,
  type StoreEvents,
  type StoreItems,
  type StoreRetention,
} from './store.js';
