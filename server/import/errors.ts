// The import subsystem's one error type: a problem with the file or the options as a
// whole (row-level problems go into the report instead).
export class ImportError extends Error {
  override name = 'ImportError';
}
