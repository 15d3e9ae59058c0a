// 视频监控覆盖审计 (雪亮工程): coverage figures, KPIs, register findings and 补点.
import { Suspense } from 'react';
import { readEnv } from '@/server/env';
import { basemapConfig } from '@/lib/basemaps';
import { BasemapProvider } from '@/app/map/basemap-select';
import { AuditWorkspace } from './audit-workspace';
import { pageActor } from '@/server/auth/page';
import { Denied } from '@/app/components/denied';

export const dynamic = 'force-dynamic';

export default async function AuditPage() {
  const access = await pageActor('/audit', 'data.read');
  if (access.denied) return <Denied reason={access.denied} />;
  return (
    <BasemapProvider config={basemapConfig(readEnv())}>
      <Suspense>
        <AuditWorkspace />
      </Suspense>
    </BasemapProvider>
  );
}
