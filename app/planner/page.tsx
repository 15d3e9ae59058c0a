// 热点研判: hotspot analysis for planners choosing rectification priority areas.
import { Suspense } from 'react';
import { readEnv } from '@/server/env';
import { basemapConfig } from '@/lib/basemaps';
import { BasemapProvider } from '@/app/map/basemap-select';
import { PlannerWorkspace } from './planner-workspace';
import { pageActor } from '@/server/auth/page';
import { Denied } from '@/app/components/denied';

export const dynamic = 'force-dynamic';

export default async function PlannerPage() {
  const access = await pageActor('/planner', 'data.read');
  if (access.denied) return <Denied reason={access.denied} />;
  return (
    <BasemapProvider config={basemapConfig(readEnv())}>
      <Suspense>
        <PlannerWorkspace />
      </Suspense>
    </BasemapProvider>
  );
}
