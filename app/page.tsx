// The map workspace: the county's base map with the layer panel and legend.
import { Suspense } from 'react';
import { readEnv } from '@/server/env';
import { MapWorkspace } from './map/map-workspace';
import { pageActor } from '@/server/auth/page';
import { Denied } from '@/app/components/denied';

// The optional raster basemap is configured at run time, not at build time.
export const dynamic = 'force-dynamic';

export default async function HomePage() {
  const access = await pageActor('/', 'map.read');
  if (access.denied) return <Denied reason={access.denied} />;
  const { BASEMAP_URL } = readEnv();
  return (
    <Suspense>
      <MapWorkspace rasterUrl={BASEMAP_URL} />
    </Suspense>
  );
}
