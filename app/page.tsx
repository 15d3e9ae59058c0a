// The map workspace: the county's base map with the layer panel and legend.
import { Suspense } from 'react';
import { readEnv } from '@/server/env';
import { basemapConfig } from '@/lib/basemaps';
import { BasemapProvider } from './map/basemap-select';
import { MapWorkspace } from './map/map-workspace';
import { pageActor } from '@/server/auth/page';
import { Denied } from '@/app/components/denied';

// The basemaps (BASEMAPS, BASEMAP_URL) are configured at run time, not at build time.
export const dynamic = 'force-dynamic';

export default async function HomePage() {
  const access = await pageActor('/', 'map.read');
  if (access.denied) return <Denied reason={access.denied} />;
  return (
    <BasemapProvider config={basemapConfig(readEnv())}>
      <Suspense>
        <MapWorkspace />
      </Suspense>
    </BasemapProvider>
  );
}
