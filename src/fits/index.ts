/** hstlc's FITS library (FITS Standard 4.0): headers, images, binary tables, checksums. */
export { FitsError, ProductError, isProductError, locatedIn, type FitsErrorCode } from './errors.js';
export {
  Header,
  makeCard,
  parseCard,
  parseHeader,
  formatCard,
  wrapCommentary,
  formatHeader,
  formatFloat,
  BLOCK,
  type Card,
  type CardInput,
  type CardType,
  type CardValue,
  type Complex,
} from './header.js';
export {
  parseTForm,
  formatTForm,
  parseTDim,
  formatTDim,
  tableLayout,
  findColumn,
  ELEMENT_BYTES,
  type TForm,
  type TypeCode,
  type ColumnInfo,
  type TableLayout,
  type Scaling,
} from './tform.js';
export { decodeField, decodeFieldInto, decodeRowsInto, allocColumn, finishColumn, cellSizeOf, type Column, type ColumnValues, type NumericArray, type VarCell, type DecodeOptions } from './column.js';
export { FitsReader, type Hdu, type HduType, type Table, type TableReadOptions, type ImageData, type OpenOptions } from './reader.js';
export { encodeFits, writeFits, type HduSpec, type ColumnSpec, type ImageSpec, type WriteOptions } from './writer.js';
export { onesComplementSum, encodeChecksum, addSums, type ChecksumResult } from './checksum.js';
export { columnToPlain, cardToPlain, type Plain } from './plain.js';
export { describeFits, type FitsDescription, type HduDescription, type ColumnDescription, type DescribeOptions } from './describe.js';
export { copiedTextCards, asciiTransliteration, isPrintableAscii } from './copied-text.js';
