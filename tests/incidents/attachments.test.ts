import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttachmentStore } from '../../src/incidents/attachment-store.js';
import { checkMedia, cleanFilename } from '../../src/incidents/media.js';
import { type Api, startApi } from '../helpers/http.js';
import { type TestKernel, openTestKernel } from '../helpers/kernel.js';
import { type World, seedWorld } from '../helpers/world.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR fake picture body')]);
const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]);

describe('the media-type check', () => {
  it('accepts content that is what it says', () => {
    expect(checkMedia('image/png', PNG)).toEqual({ ok: true, mediaType: 'image/png' });
    expect(checkMedia('application/pdf', PDF)).toMatchObject({ ok: true });
    expect(checkMedia('image/jpeg', JPEG)).toMatchObject({ ok: true });
    expect(checkMedia('text/plain; charset=utf-8', Buffer.from('Nov 22 03:10 sshd: failed login\n'))).toEqual({ ok: true, mediaType: 'text/plain' });
    expect(checkMedia('application/json', Buffer.from('{"a":1}'))).toMatchObject({ ok: true });
  });
  it('refuses a lie about the type (422) and a type it does not take (415)', () => {
    expect(checkMedia('image/png', PDF)).toMatchObject({ ok: false, status: 422 });
    expect(checkMedia('image/jpeg', PNG)).toMatchObject({ ok: false, status: 422 });
    expect(checkMedia('text/plain', PNG)).toMatchObject({ ok: false, status: 422 });
    expect(checkMedia('text/plain', Buffer.from([0x41, 0x00, 0x42]))).toMatchObject({ ok: false, status: 422 });
    expect(checkMedia('application/json', Buffer.from('{not json'))).toMatchObject({ ok: false, status: 422 });
    expect(checkMedia('application/x-msdownload', Buffer.from('MZ'))).toMatchObject({ ok: false, status: 415 });
    expect(checkMedia(undefined, PNG)).toMatchObject({ ok: false, status: 415 });
    expect(checkMedia('text/plain', Buffer.alloc(0))).toMatchObject({ ok: false, status: 422 });
  });
  it('keeps only the base name of a file', () => {
    expect(cleanFilename('../../etc/passwd')).toBe('passwd');
    expect(cleanFilename('C:\\evidence\\pump "7".png')).toBe('pump 7.png');
    expect(cleanFilename('..')).toBeNull();
  });
});

describe('the attachment store', () => {
  it('stores content once under its SHA-256 and leaves no temporary file', async () => {
    const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'vigil-att-'));
    const store = new AttachmentStore(dir);
    const a = await store.put(PNG);
    const b = await store.put(PNG);
    expect(a).toEqual(b);
    expect(a.sha256).toBe(createHash('sha256').update(PNG).digest('hex'));
    expect((await store.read(a.sha256)).equals(PNG)).toBe(true);
    expect(fs.readdirSync(path.join(dir, a.sha256.slice(0, 2)))).toEqual([a.sha256]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('attachments through the API', () => {
  let t: TestKernel;
  let api: Api;
  let world: World;
  let incidentId: string;
  const upload = (body: Buffer, contentType: string | undefined, query: string, token = world.token.owner) =>
    api.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${incidentId}/attachments${query}`,
      headers: { authorization: `Bearer ${token}`, ...(contentType ? { 'content-type': contentType } : {}) },
      payload: body,
    });

  beforeAll(async () => {
    t = await openTestKernel('sqlite', { VIGIL_ATTACHMENT_MAX_BYTES: '4096' });
    api = await startApi(t.kernel);
    world = await seedWorld(t.kernel);
    const res = await api.call('POST', '/api/v1/incidents', world.token.owner, { title: 'Pump 7 vandalised', severity: 'high', tlp: 'amber', distribution: { scope: 'orgs', orgIds: [world.org.listed, world.org.member] } });
    incidentId = res.body.id;
  });
  afterAll(async () => {
    await api?.close();
    await t?.cleanup();
  });

  it('stores a picture by its hash under the data directory and gives it back byte for byte', async () => {
    const res = await upload(PNG, 'image/png', '?filename=pump-7.png');
    expect(res.statusCode, res.body).toBe(201);
    const attachment = res.json();
    expect(attachment).toMatchObject({ filename: 'pump-7.png', mediaType: 'image/png', size: PNG.length, label: null, authorOrgId: world.org.owner });
    const onDisk = path.join(t.config.dataDir, 'attachments', attachment.sha256.slice(0, 2), attachment.sha256);
    expect(fs.readFileSync(onDisk).equals(PNG)).toBe(true);
    const download = await api.app.inject({ method: 'GET', url: `/api/v1/incidents/${incidentId}/attachments/${attachment.id}/content`, headers: { authorization: `Bearer ${world.token.listed}` } });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('image/png');
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.rawPayload.equals(PNG)).toBe(true);
    const list = await api.call('GET', `/api/v1/incidents/${incidentId}/attachments`, world.token.member);
    expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([attachment.id]);
    const timeline = await api.call('GET', `/api/v1/incidents/${incidentId}/timeline`, world.token.owner);
    expect(timeline.body.items.some((e: { kind: string; data: any }) => e.kind === 'attachment' && e.data.attachmentId === attachment.id)).toBe(true);
    const audit = await t.kernel.store.db.selectFrom('audit_log').select('action').where('target_id', '=', incidentId).execute();
    expect(audit.map((a) => a.action)).toContain('incident.attachment');
  });

  it('refuses files over the limit, of a mismatched or unknown type, or without a name, and stores nothing', async () => {
    const before = (await api.call('GET', `/api/v1/incidents/${incidentId}/attachments`, world.token.owner)).body.items.length;
    const big = await upload(Buffer.alloc(5000, 0x41), 'text/plain', '?filename=big.log');
    expect(big.statusCode).toBe(413);
    expect(big.json().detail).toMatch(/VIGIL_ATTACHMENT_MAX_BYTES/);
    expect((await upload(PDF, 'image/png', '?filename=x.png')).statusCode).toBe(422);
    expect((await upload(Buffer.from('MZ...'), 'application/x-msdownload', '?filename=x.exe')).statusCode).toBe(415);
    expect((await upload(Buffer.from('log line'), 'text/plain', '')).statusCode).toBe(422);
    expect((await api.call('GET', `/api/v1/incidents/${incidentId}/attachments`, world.token.owner)).body.items.length).toBe(before);
  });

  it('labels evidence more strictly than the incident, never more loosely', async () => {
    const strict = await upload(Buffer.from('{"reading":7}'), 'application/json', `?filename=reading.json&tlp=red&scope=orgs&orgs=${world.org.listed}`);
    expect(strict.statusCode, strict.body).toBe(201);
    expect(strict.json().label).toEqual({ tlp: 'red', distribution: { scope: 'orgs', orgIds: [world.org.listed] } });
    const seen = async (token: string) => (await api.call('GET', `/api/v1/incidents/${incidentId}/attachments`, token)).body.items.map((a: { id: string }) => a.id);
    expect(await seen(world.token.listed)).toContain(strict.json().id);
    expect(await seen(world.token.member)).not.toContain(strict.json().id);
    const hidden = await api.app.inject({ method: 'GET', url: `/api/v1/incidents/${incidentId}/attachments/${strict.json().id}/content`, headers: { authorization: `Bearer ${world.token.member}` } });
    expect(hidden.statusCode).toBe(404);
    expect((await upload(Buffer.from('x'), 'text/plain', '?filename=loose.txt&tlp=green')).statusCode).toBe(422);
    expect((await upload(Buffer.from('x'), 'text/plain', '?filename=wide.txt&scope=community')).statusCode).toBe(422);
    // A partner who sees the incident adds evidence too; an organisation that does not see it cannot.
    expect((await upload(Buffer.from('patrol report'), 'text/plain', '?filename=patrol.txt', world.token.listed)).statusCode).toBe(201);
    expect((await upload(Buffer.from('x'), 'text/plain', '?filename=x.txt', world.token.community)).statusCode).toBe(404);
  });
});
