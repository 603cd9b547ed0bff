/** The data-quality checks that decide bad data (§3). */
export { CHECKS, runChecks, type CheckName, type CheckResult, type QualityInput, type QualityOptions } from './checks.js';
export { checkFile, checkFiles, readQualityInput, verdictOf, QualityInputError, type Verdict, type FileVerdict } from './verdict.js';
export { BAD_DATA_REASONS, BadDataError, badDataErrorIn, HEADER_NAME_KEYWORDS, isBadDataReason, type BadDataReason, type HeaderNameKeyword } from './reasons.js';
export { nameHeaderProblem, KNOWN_HEADER_VALUES, CENWAVE_RANGE, type HeaderProblem } from './header.js';
