// Field mapping: which source column feeds which field of the layer. Headers are matched
// against each field's Chinese and English aliases; a mapping file can name columns
// outright, give names to a file without a header row, map values (e.g. THEFT →
// criminal.theft), and set constants for fields the file lacks.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { COORDINATE_FIELDS, type LayerSpec } from './layers';
import { clip, normalizeKey } from './values';
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
    throw new ImportError(`Mapping file ${file} cannot be read as JSON: ${(err as Error).message}`, `映射文件 ${path.basename(file)} 不是有效的 JSON。`);
  }
  const parsed = MappingFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ImportError(`Mapping file ${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`, `映射文件 ${path.basename(file)} 的内容不正确(${issue.path.join('.') || '顶层'}):请对照文档检查映射文件的格式。`);
  }
  return parsed.data;
}

export interface ResolvedMapping {
  /** field name → source header (null: not in the file). */
  fields: Record<string, string | null>;
  unused: string[];
  /** Columns the mapping file names that the file does not have: field → the named column. */
  missingNamed: Record<string, string>;
}

/**
 * A header's lookup keys: the normalised header, then the same without a bracketed part,
 * a trailing unit or a coordinate-system tag (经度(°) → 经度, X坐标（米）→ x坐标,
 * lng_gcj02 → lng, 纬度[WGS84] → 纬度), so that such spellings find their field too.
 */
export function headerKeys(header: string): [string, string] {
  const exact = normalizeKey(header);
  const bare = normalizeKey(header.replace(/[(（[【<《][^)）\]】>》]*[)）\]】>》]/g, ''))
    .replace(/(°|度数|单位度|wgs84|wgs|gcj02|gcj|bd09|cgcs2000|国家2000|米|m)$/, '')
    .replace(/°/g, '');
  return [exact, bare || exact];
}

/**
 * Matches headers to the layer's fields (and the coordinate fields). Columns the mapping
 * names that the file lacks are an ImportError, unless `collectMissing` (the importer
 * reports them with every other missing column at once).
 */
export function resolveMapping(headers: string[], layer: LayerSpec, mapping: MappingFile, options: { collectMissing?: boolean } = {}): ResolvedMapping {
  const byKey = new Map<string, string>();
  const byBareKey = new Map<string, string>();
  for (const h of headers) {
    const [exact, bare] = headerKeys(h);
    if (!byKey.has(exact)) byKey.set(exact, h);
    if (!byBareKey.has(bare)) byBareKey.set(bare, h);
  }
  const fields: Record<string, string | null> = {};
  const missingNamed: Record<string, string> = {};
  const taken = new Set<string>();
  const specs = [...layer.fields, ...COORDINATE_FIELDS];
  for (const spec of specs) {
    const explicit = mapping.fields?.[spec.name];
    if (explicit !== undefined) {
      const header = headers.find((h) => h === explicit) ?? byKey.get(normalizeKey(explicit));
      if (!header) {
        missingNamed[spec.name] = explicit;
        fields[spec.name] = null;
        continue;
      }
      fields[spec.name] = header;
      taken.add(header);
    }
  }
  for (const spec of specs) {
    if (spec.name in fields) continue;
    const keys = [spec.name, ...spec.aliases].map(normalizeKey);
    const free = (h: string | undefined) => h !== undefined && !taken.has(h);
    const header = keys.map((k) => byKey.get(k)).find(free) ?? keys.map((k) => byBareKey.get(k)).find(free);
    fields[spec.name] = header ?? null;
    if (header) taken.add(header);
  }
  const named = Object.entries(missingNamed);
  if (named.length && !options.collectMissing) {
    throw new ImportError(
      `The mapping names ${named.map(([f, c]) => `column "${clip(c, 40)}" for ${f}`).join(', ')}, but the file has no such column (it has: ${headers.slice(0, 30).map((h) => clip(h, 40)).join(', ')}).`,
      `映射文件指定的列 ${named.map(([, c]) => `“${clip(c, 40)}”`).join('、')} 在文件中不存在(文件中的列:${headers.slice(0, 30).map((h) => clip(h, 40)).join('、')})。`,
    );
  }
  return { fields, unused: headers.filter((h) => !taken.has(h)), missingNamed };
}
