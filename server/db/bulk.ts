// Bulk loading of many rows into one table, on both engines. A real PostgreSQL gets
// `COPY … FROM STDIN` (the fastest path); the embedded server cannot take COPY through
// pglite-socket ("protocol synchronization was lost"), so it gets batched
// `INSERT … SELECT … FROM unnest(…)`, one statement per batch, the same rows either way.
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DbError, getDatabase, type DatabaseKind } from './index';

/** A column and the PostgreSQL type its values are cast to (`geometry` takes EWKT text). */
export interface BulkColumn {
  name: string;
  type: 'text' | 'integer' | 'bigint' | 'real' | 'double precision' | 'boolean' | 'timestamptz' | 'date' | 'jsonb' | 'geometry';
}

export type BulkValue = string | number | boolean | Date | null;

const UNNEST_BATCH_ROWS = 5000;

/** EWKT for a WGS-84 point: what `geometry` columns take from COPY and from text casts. */
export function pointEwkt(lon: number, lat: number): string {
  return `SRID=4326;POINT(${lon} ${lat})`;
}

export function lineEwkt(points: readonly (readonly [number, number])[]): string {
  return `SRID=4326;LINESTRING(${points.map(([x, y]) => `${x} ${y}`).join(',')})`;
}

export function polygonEwkt(rings: readonly (readonly (readonly [number, number])[])[]): string {
  return `SRID=4326;POLYGON(${rings.map((r) => `(${r.map(([x, y]) => `${x} ${y}`).join(',')})`).join(',')})`;
}

/**
 * Loads row batches into `table`. Each batch is an array of rows, each row an array of
 * values in column order. Returns the number of rows written. Runs on `client`, so a
 * caller's transaction covers it.
 */
export async function bulkInsert(
  client: pg.PoolClient,
  table: string,
  columns: readonly BulkColumn[],
  batches: Iterable<BulkValue[][]> | AsyncIterable<BulkValue[][]>,
  kind?: DatabaseKind,
): Promise<number> {
  const engine = kind ?? (await getDatabase()).kind;
  try {
    return engine === 'postgres' ? await copyBatches(client, table, columns, batches) : await unnestBatches(client, table, columns, batches);
  } catch (err) {
    // Database errors get the context; errors thrown by the row source (validation, an
    // import's error threshold) pass through unchanged for the caller to handle.
    const fromDatabase = err instanceof Error && 'severity' in err;
    throw fromDatabase ? new DbError(`loading rows into ${table}`, err) : err;
  }
}

async function copyBatches(client: pg.PoolClient, table: string, columns: readonly BulkColumn[], batches: Iterable<BulkValue[][]> | AsyncIterable<BulkValue[][]>): Promise<number> {
  let rows = 0;
  async function* text() {
    for await (const batch of batches) {
      rows += batch.length;
      yield batch.map(copyLine).join('');
    }
  }
  const stream = client.query(copyFrom(`COPY ${table} (${columns.map((c) => c.name).join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(text()), stream);
  return rows;
}

async function unnestBatches(client: pg.PoolClient, table: string, columns: readonly BulkColumn[], batches: Iterable<BulkValue[][]> | AsyncIterable<BulkValue[][]>): Promise<number> {
  const names = columns.map((c) => c.name).join(', ');
  const args = columns.map((c, i) => `$${i + 1}::${c.type === 'geometry' || c.type === 'jsonb' ? 'text' : c.type}[]`).join(', ');
  const select = columns.map((c, i) => (c.type === 'geometry' ? `c${i}::geometry` : c.type === 'jsonb' ? `c${i}::jsonb` : `c${i}`)).join(', ');
  const text = `INSERT INTO ${table} (${names}) SELECT ${select} FROM unnest(${args}) AS u(${columns.map((_, i) => `c${i}`).join(', ')})`;
  let rows = 0;
  for await (const batch of batches) {
    for (let start = 0; start < batch.length; start += UNNEST_BATCH_ROWS) {
      const part = batch.slice(start, start + UNNEST_BATCH_ROWS);
      const params = columns.map((c, i) => part.map((row) => toParam(row[i] ?? null, c)));
      await client.query(text, params);
      rows += part.length;
    }
  }
  return rows;
}

function toParam(v: BulkValue, c: BulkColumn): unknown {
  if (v instanceof Date) return c.type === 'date' ? v.toISOString().slice(0, 10) : v.toISOString();
  return v;
}

/** One line of COPY text format: tab-separated, \N for null, backslash escapes. */
export function copyLine(row: readonly BulkValue[]): string {
  let line = '';
  for (let i = 0; i < row.length; i++) {
    if (i > 0) line += '\t';
    const v = row[i];
    if (v === null || v === undefined) line += '\\N';
    else if (v instanceof Date) line += v.toISOString();
    else if (typeof v === 'string') line += escapeCopy(v);
    else line += String(v);
  }
  return `${line}\n`;
}

function escapeCopy(s: string): string {
  return /[\\\t\n\r]/.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s;
}
