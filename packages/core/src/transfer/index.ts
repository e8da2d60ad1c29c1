export { copySessions, type CopySessionsOptions } from './copy.js';
export { exportSessions, exportToFile, writeExport, type ExportOptions, type ExportToFileOptions } from './export.js';
export {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  type ExportEndLine,
  type ExportHeaderLine,
  type ExportMessageLine,
  type ExportSessionLine,
} from './format.js';
export { importSessions, type ImportOptions, type ImportSource } from './import.js';
export type { LineSource } from './lines.js';
export { countSessions, DEFAULT_TRANSFER_PAGE_SIZE, readSessions, type TransferItem } from './read-store.js';
export { DEFAULT_RESTORE_BATCH_SIZE } from './session-writer.js';
export type { OnExisting, ReadSessionsOptions, TransferProgress, TransferResult, WriteSessionsOptions } from './types.js';
