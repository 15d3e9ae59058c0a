// 热点研判: hotspot analysis for planners choosing rectification priority areas.
import { Suspense } from 'react';
import { PlannerWorkspace } from './planner-workspace';
import { pageActor } from '@/server/auth/page';
import { Denied } from '@/app/components/denied';

export const dynamic = 'force-dynamic';

export default async function PlannerPage() {
  const access = await pageActor('/planner', 'data.read');
  if (access.denied) return <Denied reason={access.denied} />;
  return (
    <Suspense>
      <PlannerWorkspace />
    </Suspense>
  );
}
