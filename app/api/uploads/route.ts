// POST /api/uploads (multipart, field "file"): stores the file for the import page and
// answers { uploadId, name, size }. The import itself starts through tRPC imports.start.
import { saveUpload } from '@/server/import/uploads';
import { ImportError } from '@/server/import/errors';

export const dynamic = 'force-dynamic';

export async function POST(req: Request): Promise<Response> {
  let form: FormData;
  try {
    form = await req.formData();
  } catch {
    return Response.json({ error: 'Expected a multipart form with a file.' }, { status: 400 });
  }
  const file = form.get('file');
  if (!(file instanceof File) || file.size === 0) return Response.json({ error: 'No file in the upload (form field "file"), or the file is empty.' }, { status: 400 });
  try {
    const upload = await saveUpload(file);
    return Response.json({ uploadId: upload.id, name: upload.name, size: upload.size });
  } catch (err) {
    const status = err instanceof ImportError ? 400 : 500;
    return Response.json({ error: (err as Error).message }, { status });
  }
}
