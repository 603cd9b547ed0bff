/** MAST client (search, product lists, downloads) and CRDS reference files (DESIGN §8). */
export { runDownload, REPROCESS_DIR, LISTING_LABEL, summaryLine, mapBounded, DEFAULT_LIMIT, type DownloadStageOptions, type RunReport, type FileResult, type FileStatus, type PlannedFile, type StageLogger } from './run.js';
export { writeReport, reportName } from './report.js';
export { searchTimeTag, checkSearchColumns, missingColumns, searchBody, parseSearchRow, filterProblem, EXCLUDED_TARGETS, SEARCH_COLUMNS, type SearchRow, type SearchResult, type SearchOptions, type SearchFilters } from './search.js';
export { listProducts, parseProductList, downloadUrl, chunk, MAX_BATCH, type Product, type ProductListResult } from './products.js';
export { transferFile, partPath, parseContentRange, type TransferSpec, type TransferOptions, type TransferOutcome } from './transfer.js';
export { verifyFitsFile, type Verdict } from './verify.js';
export { fetchReferences, referencesNamedIn, getFileInfo, decodeCrdsResult, REFERENCE_KEYWORDS, type ReferenceResult, type WantedReference, type CrdsFileInfo } from './crds.js';
export { MemoryLedger, JsonlLedger, ledgerPath, applyRecord, normalizeListing, LEDGER_STATES, type DownloadLedger, type LedgerRecord, type LedgerInput, type LedgerState, type Listing, type ListingInput, type ListedFile, type ReprocessingInput } from './ledger.js';
export { fixedKnown, ingestDirKnown, gatherKnown, type KnownDatasets } from './known.js';
export { checkProductName, parseRootname, parseReferenceName, hasWantedSuffix, rootnameOfFile, trimmed, WANTED_SUFFIXES, type ProductName, type NameCheck, type ReferenceName, type WantedSuffix } from './names.js';
export { requestJson, baseHeaders, isUnderUrl, withoutToken, backoffDelay, describeRetry, parseRetryAfter, isRetryableStatus, HttpError, DEFAULT_HTTP, type HttpOptions, type RetryEvent } from './http.js';
export { lookupCloudKeys, parsePathLookup, pathLookupUrl, cloudKey, cloudObjectUrl, PATH_LOOKUP_BATCH } from './cloud.js';
