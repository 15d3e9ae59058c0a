// 热点研判: hotspot analysis for planners choosing rectification priority areas.
import { Suspense } from 'react';
import { PlannerWorkspace } from './planner-workspace';

export const dynamic = 'force-dynamic';

export default function PlannerPage() {
  return (
    <Suspense>
      <PlannerWorkspace />
    </Suspense>
  );
}
