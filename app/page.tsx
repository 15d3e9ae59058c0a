// The map workspace: the county's base map with the layer panel and legend.
import { Suspense } from 'react';
import { readEnv } from '@/server/env';
import { MapWorkspace } from './map/map-workspace';

// The optional raster basemap is configured at run time, not at build time.
export const dynamic = 'force-dynamic';

export default function HomePage() {
  const { BASEMAP_URL } = readEnv();
  return (
    <Suspense>
      <MapWorkspace rasterUrl={BASEMAP_URL} />
    </Suspense>
  );
}
