// 数据导入: files from data officers into any layer, with preview, progress and report.
import { ImportWorkspace } from './import-workspace';
import { pageActor } from '@/server/auth/page';
import { Denied } from '@/app/components/denied';

export const dynamic = 'force-dynamic';

export default async function ImportPage() {
  const access = await pageActor('/import', 'import.write');
  if (access.denied) return <Denied reason={access.denied} />;
  return <ImportWorkspace />;
}
