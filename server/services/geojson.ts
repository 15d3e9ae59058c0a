// zod schemas for the GeoJSON the services return. Geometry is built by PostGIS and
// passed through; properties are checked so that a schema change fails loudly.
import { z } from 'zod';

const Position = z.array(z.number()).min(2);
export const GeometrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Point'), coordinates: Position }),
  z.object({ type: z.literal('LineString'), coordinates: z.array(Position) }),
  z.object({ type: z.literal('MultiLineString'), coordinates: z.array(z.array(Position)) }),
  z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(Position)) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(Position))) }),
]);

export type Geometry = z.infer<typeof GeometrySchema>;

export function featureCollectionSchema<P extends z.ZodType>(properties: P) {
  return z.object({
    type: z.literal('FeatureCollection'),
    features: z.array(z.object({ type: z.literal('Feature'), geometry: GeometrySchema, properties })),
  });
}
