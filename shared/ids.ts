/**
 * Index spaces that must never be mixed get distinct branded types (klogg's LineNumber vs
 * OffsetInFile). Conversions are written out once, here or at the one place that owns them.
 */

/** Position of a record in one file's index, 0-based, in file order. */
export type RecordIndex = number & { readonly __brand: 'RecordIndex' };
/** Position of a record in the current view (after sorting and filtering), 0-based. */
export type RowIndex = number & { readonly __brand: 'RowIndex' };
/** Byte offset in a file on disk. */
export type ByteOffset = number & { readonly __brand: 'ByteOffset' };
/** Id of an interned value in one column's dictionary; 0 means "no value". */
export type DictId = number & { readonly __brand: 'DictId' };
/** Id of an open file in a Session; never reused within a Session. */
export type FileId = number & { readonly __brand: 'FileId' };

export const NO_VALUE = 0 as DictId;

export const asRecordIndex = (n: number): RecordIndex => n as RecordIndex;
export const asRowIndex = (n: number): RowIndex => n as RowIndex;
export const asByteOffset = (n: number): ByteOffset => n as ByteOffset;
export const asDictId = (n: number): DictId => n as DictId;
export const asFileId = (n: number): FileId => n as FileId;
