// 数据导入: files from data officers into any layer, with preview, progress and report.
import { ImportWorkspace } from './import-workspace';
import { pageActor } from '@/server/auth/page';
import { Denied } from '@/app/components/denied';
import { readParams } from '@/lib/url-params';
import { IMPORT_PARAMS } from './import-params';

export const dynamic = 'force-dynamic';

export default async function ImportPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const access = await pageActor('/import', 'import.write');
  if (access.denied) return <Denied reason={access.denied} />;
  const { values, notices } = readParams(await searchParams, IMPORT_PARAMS);
  return <ImportWorkspace initialLayer={values.layer} notices={notices} />;
}
