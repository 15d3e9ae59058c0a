// 数据导入: files from data officers into any layer, with preview, progress and report.
import { ImportWorkspace } from './import-workspace';

export const dynamic = 'force-dynamic';

export default function ImportPage() {
  return <ImportWorkspace />;
}
