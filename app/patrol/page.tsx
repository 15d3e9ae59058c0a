// 巡防研判: patrol dosage at hotspots, Koper compliance, 见警率, route coverage and suggested routes.
import { Suspense } from 'react';
import { readEnv } from '@/server/env';
import { basemapConfig } from '@/lib/basemaps';
import { BasemapProvider } from '@/app/map/basemap-select';
import { PatrolWorkspace } from './patrol-workspace';
import { pageActor } from '@/server/auth/page';
import { Denied } from '@/app/components/denied';

export const dynamic = 'force-dynamic';

export default async function PatrolPage() {
  const access = await pageActor('/patrol', 'data.read');
  if (access.denied) return <Denied reason={access.denied} />;
  return (
    <BasemapProvider config={basemapConfig(readEnv())}>
      <Suspense>
        <PatrolWorkspace />
      </Suspense>
    </BasemapProvider>
  );
}
