import { formatIssues, type ValidationIssue } from '@sightline/contracts';

/** A document a bucket refused to write: it does not pass the bucket's validator. */
export class InvalidDocumentError extends Error {
  override readonly name = 'InvalidDocumentError';
  constructor(
    readonly bucket: string,
    readonly id: string,
    readonly issues: readonly ValidationIssue[],
  ) {
    super(`invalid document ${id} for bucket ${bucket}: ${formatIssues(issues)}`);
  }
}

/** A compare-and-set lost: the document's revision was not the one expected (0: it exists). */
export class RevisionConflictError extends Error {
  override readonly name = 'RevisionConflictError';
  constructor(
    readonly bucket: string,
    readonly id: string,
    readonly expectedRevision: number,
    options?: ErrorOptions,
  ) {
    super(
      expectedRevision === 0
        ? `document ${id} already exists in bucket ${bucket}`
        : `document ${id} in bucket ${bucket} is no longer at revision ${expectedRevision}: read it again and retry`,
      options,
    );
  }
}
