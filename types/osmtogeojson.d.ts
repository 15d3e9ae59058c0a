// osmtogeojson ships no types; this is the part of its API the importer uses.
declare module 'osmtogeojson' {
  import type { FeatureCollection } from 'geojson';
  export default function osmtogeojson(data: Document | object, options?: { flatProperties?: boolean }): FeatureCollection;
}
