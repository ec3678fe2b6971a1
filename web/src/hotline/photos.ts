import { ApiProblem, apiHeaders } from '../api';

/** Uploads one photo as multipart field `photo`; answers its id and address. */
export async function uploadPhoto(file: File): Promise<{ id: string; url: string }> {
  const body = new FormData();
  body.append('photo', file);
  const response = await fetch('/api/v1/hotline/photos', { method: 'POST', body, credentials: 'same-origin',
    headers: apiHeaders() });
  // An error body that is not JSON (a proxy's page): the status alone says what happened.
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok)
    throw new ApiProblem(response.status, String(json.code ?? response.status), String(json.title ?? response.statusText),
      typeof json.detail === 'string' ? json.detail : undefined, typeof json.field === 'string' ? json.field : undefined);
  return json as unknown as { id: string; url: string };
}
