/** Pieces both halves of the engine share: import from here (see each file for the contract). */
export { applyBundleSessionSettings, BUNDLE_SESSION_SETTINGS, bundleSessionSql } from './session-settings.js';
export { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, buildManifest, buildSummary, type BundleSummary, type ManifestInput } from './manifest.js';
export { BundleHasher, hashingPassThrough, sha256Hex } from './sha256.js';
export { FORMULA_TRIGGERS, needsFormulaProtection, protectCsvText, protectCsvTextSql, unprotectCsvText } from '../formats/csv/protect.js';
export { COPY_NULL, decodeCopyText, encodeCopyText, formatTextArray, joinCopyLine, jsonValueToCopyField, parseTextArray, splitCopyLine } from './values.js';
export {
  parseSqlCopyHeaderLine,
  quoteIdent,
  SQL_BEGIN_LINE,
  SQL_COMMIT_LINE,
  SQL_COPY_END_LINE,
  SQL_MANIFEST_PREFIX,
  SQL_SET_LINES,
  SQL_SUMMARY_PREFIX,
  SQL_TITLE_LINE,
  sqlCopyHeaderLine,
} from '../formats/sql/dialect.js';
