// The data hook most modules share: one react-query answer, made into what the module draws
// once per answer (and per extra input in `deps`), with the query's loading and error state.
import { useMemo } from 'react';
import type { DataState } from './types';

/** The parts of a react-query result that a module's data state reads. */
export interface QueryState<T> {
  data: T | undefined;
  isFetching: boolean;
  error: unknown;
}

export function useQueryData<T, D>(q: QueryState<T>, make: (answer: T) => D, deps: readonly unknown[] = []): DataState<D> {
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on the answer and the caller's extra inputs
  const data = useMemo(() => (q.data ? make(q.data) : undefined), [q.data, ...deps]);
  return { data, loading: q.isFetching, error: q.error };
}
