// Raw-body upload and authenticated download of incident attachments (the JSON client does neither).
import { ApiError, currentToken } from '../../api/client';
import type { Attachment } from '../../api/types';

async function problemOf(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as { detail?: string } | null;
  return new ApiError(response.status, { status: response.status, detail: body?.detail ?? `The server answered ${response.status}` });
}

const auth = (): Record<string, string> => {
  const token = currentToken();
  return token ? { authorization: `Bearer ${token}` } : {};
};

/** Text files the browser cannot name (.log) are sent as text/plain; the server checks the content either way. */
export function mediaTypeOf(file: File): string {
  if (file.type) return file.type;
  return /\.(log|txt)$/i.test(file.name) ? 'text/plain' : 'application/octet-stream';
}

export async function uploadAttachment(incidentId: string, file: File, label: { tlp?: string; scope?: string }): Promise<Attachment> {
  const query = new URLSearchParams({ filename: file.name });
  if (label.tlp) query.set('tlp', label.tlp);
  if (label.scope) query.set('scope', label.scope);
  const response = await fetch(`/api/v1/incidents/${incidentId}/attachments?${query}`, { method: 'POST', headers: { ...auth(), 'content-type': mediaTypeOf(file) }, body: file });
  if (!response.ok) throw await problemOf(response);
  return (await response.json()) as Attachment;
}

export async function downloadAttachment(a: Attachment): Promise<void> {
  const response = await fetch(`/api/v1/incidents/${a.incidentId}/attachments/${a.id}/content`, { headers: auth() });
  if (!response.ok) throw await problemOf(response);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = a.filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
