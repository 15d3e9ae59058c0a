// Field mapping: which source column feeds which field of the layer. Headers are matched
// against each field's Chinese and English aliases; a mapping file can name columns
// outright, give names to a file without a header row, map values (e.g. THEFT →
// criminal.theft), and set constants for fields the file lacks.
import fs from 'node:fs';
import { z } from 'zod';
import { COORDINATE_FIELDS, type LayerSpec } from './layers';
import { normalizeKey } from './values';
import { ImportError } from '../errors';

export const MappingFileSchema = z
  .object({
    /** Names for the columns of a file without a header row, in order. */
    columns: z.array(z.string().min(1)).optional(),
    /** field → source column header. */
    fields: z.record(z.string(), z.string()).optional(),
    /** field → { source value → target value } applied before dictionary lookups. */
    values: z.record(z.string(), z.record(z.string(), z.string())).optional(),
    /** field → value used for every row (when the file has no such column). */
    constants: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    crs: z.string().optional(),
    encoding: z.string().optional(),
    /** Hours east of UTC for times written without a zone (default 8, China). */
    utcOffsetHours: z.number().min(-14).max(14).optional(),
    /** Keep only rows whose field (after mapping) has one of these values. */
    include: z.record(z.string(), z.array(z.string())).optional(),
  })
  .strict();

export type MappingFile = z.infer<typeof MappingFileSchema>;

export function readMappingFile(file: string): MappingFile {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ImportError(`Mapping file ${file} cannot be read as JSON: ${(err as Error).message}`);
  }
  const parsed = MappingFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ImportError(`Mapping file ${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return parsed.data;
}

export interface ResolvedMapping {
  /** field name → source header (null: not in the file). */
  fields: Record<string, string | null>;
  unused: string[];
}

/** Matches headers to the layer's fields (and the coordinate fields). */
export function resolveMapping(headers: string[], layer: LayerSpec, mapping: MappingFile): ResolvedMapping {
  const byKey = new Map<string, string>();
  for (const h of headers) if (!byKey.has(normalizeKey(h))) byKey.set(normalizeKey(h), h);
  const fields: Record<string, string | null> = {};
  const taken = new Set<string>();
  const specs = [...layer.fields, ...COORDINATE_FIELDS];
  for (const spec of specs) {
    const explicit = mapping.fields?.[spec.name];
    if (explicit !== undefined) {
      const header = headers.find((h) => h === explicit) ?? byKey.get(normalizeKey(explicit));
      if (!header) throw new ImportError(`The mapping names column "${explicit}" for ${spec.name}, but the file has no such column (it has: ${headers.join(', ')}).`);
      fields[spec.name] = header;
      taken.add(header);
    }
  }
  for (const spec of specs) {
    if (spec.name in fields) continue;
    const header = [spec.name, ...spec.aliases].map((a) => byKey.get(normalizeKey(a))).find((h) => h !== undefined && !taken.has(h));
    fields[spec.name] = header ?? null;
    if (header) taken.add(header);
  }
  return { fields, unused: headers.filter((h) => !taken.has(h)) };
}
