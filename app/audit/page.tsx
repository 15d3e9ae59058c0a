// 视频监控覆盖审计 (雪亮工程): coverage figures, KPIs, register findings and 补点.
import { Suspense } from 'react';
import { AuditWorkspace } from './audit-workspace';

export const dynamic = 'force-dynamic';

export default function AuditPage() {
  return (
    <Suspense>
      <AuditWorkspace />
    </Suspense>
  );
}
