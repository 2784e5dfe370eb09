import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { CliError, loadCliConfig, readSecret } from '../kernel/cli-error.js';
import type { Kernel } from '../kernel/kernel.js';
import { startProgress } from '../kernel/progress.js';
import { type Distribution, type Tlp, DISTRIBUTION_SCOPES, TLP_LABELS, checkInitialSharing, defaultsFromSettings, loadSharingWorld, tlpRank } from '../kernel/sharing/index.js';
import { MIN_EVERY_SECONDS, checkFeedUrl } from './feeds/model.js';
import type { CtiService } from './service.js';
import type { ImportResult } from './store/import.js';

const lazy = () => import('./cli-lazy.js');

/**
 * The store from the command line: `vigil stix import|export`, `vigil misp import|export`, `vigil feeds …`. Each
 * acts as an organisation (`--org <slug>`), with its rights, and is audited like the API.
 */
interface Session {
  kernel: Kernel;
  cti: CtiService;
  org: { id: string; slug: string; settings: string };
  viewer: { orgId: string; groupIds: Set<string> };
  actor: { orgId: string; userId: null; tokenId: null; address: null };
}

async function session<T>(slug: string, fn: (s: Session) => Promise<T>): Promise<T> {
  const { openKernel, migrations, CtiService } = await lazy();
  const kernel = await openKernel(loadCliConfig(), { migrations });
  const cti = new CtiService(kernel, { matching: false, refreshMs: 0 });
  try {
    const org = await kernel.store.db.selectFrom('organisations').select(['id', 'slug', 'settings']).where('slug', '=', slug).executeTakeFirst();
    if (!org) throw new CliError(`no organisation "${slug}" (see vigil --help for how organisations are created)`, 2);
    const groups = await kernel.store.db.selectFrom('sharing_group_members').select('group_id').where('org_id', '=', org.id).execute();
    return await fn({ kernel, cti, org, viewer: { orgId: org.id, groupIds: new Set(groups.map((g) => g.group_id)) }, actor: { orgId: org.id, userId: null, tokenId: null, address: null } });
  } finally {
    await cti.stop();
    await kernel.close();
  }
}

interface SharingOptions {
  tlp?: Tlp;
  scope?: (typeof DISTRIBUTION_SCOPES)[number];
  group?: string;
  orgs?: string;
}

const sharingOptions = (command: Command): Command =>
  command
    .addOption(new Option('--tlp <label>', 'label of objects without a TLP marking (default: the organisation default)').choices([...TLP_LABELS]))
    .addOption(new Option('--scope <scope>', 'distribution asked for; each object label may narrow it').choices([...DISTRIBUTION_SCOPES]))
    .option('--group <id>', 'sharing group id, with --scope group')
    .option('--orgs <ids>', 'comma-separated organisation ids, with --scope orgs');

async function sharingOf(s: Session, o: SharingOptions): Promise<{ defaultTlp: Tlp; distribution: Distribution }> {
  const defaults = defaultsFromSettings(JSON.parse(s.org.settings));
  let distribution: Distribution = defaults.distribution;
  if (o.scope === 'group') {
    if (!o.group) throw new CliError('--scope group needs --group <id>', 2);
    distribution = { scope: 'group', groupId: o.group };
  } else if (o.scope === 'orgs') {
    const orgIds = (o.orgs ?? '').split(',').map((x) => x.trim()).filter(Boolean);
    if (orgIds.length === 0) throw new CliError('--scope orgs needs --orgs <id,…>', 2);
    distribution = { scope: 'orgs', orgIds };
  } else if (o.scope) distribution = { scope: o.scope } as Distribution;
  const decision = checkInitialSharing({ ownerOrgId: s.org.id, tlp: 'clear', distribution }, s.org.id, await loadSharingWorld(s.kernel.store.db));
  if (!decision.allowed) throw new CliError(decision.reason, 2);
  return { defaultTlp: o.tlp ?? defaults.tlp, distribution };
}

function printResult(result: ImportResult): void {
  const r = result.report;
  for (const reason of r.bundleReasons) process.stderr.write(`bundle ${reason.path}: ${reason.message}\n`);
  for (const o of r.objects) if (!o.valid) for (const reason of o.reasons) process.stderr.write(`#${o.index} ${o.id ?? ''} [${reason.code}] ${reason.path}: ${reason.message}\n`);
  if (r.truncated) process.stderr.write(`(only the first ${r.objects.length} invalid objects are listed)\n`);
  process.stdout.write(`${result.status === 'complete' ? 'imported' : 'rejected'}: ${result.total} objects, ${result.stored} stored, ${result.duplicates} already held, ${result.invalid} invalid, ${result.narrowed} kept to the organisation by their label (import ${result.id})\n`);
}

export function registerStoreCli(stix: Command, misp: Command, program: Command): void {
  sharingOptions(
    stix
      .command('import')
      .description('import a STIX 2.1 bundle into the store as an organisation (all or nothing unless --partial)')
      .argument('<bundle>', 'path to a bundle (.json), read as a stream')
      .requiredOption('--org <slug>', 'the importing organisation')
      .option('--partial', 'keep the valid objects when some are invalid')
      .option('-q, --quiet', 'no progress lines'),
  ).action(async (path: string, o: SharingOptions & { org: string; partial?: boolean; quiet?: boolean }) => {
    await session(o.org, async (s) => {
      const progress = startProgress({ label: `import ${path}`, unit: 'objects', quiet: o.quiet });
      const result = await s.cti.importStix(readable(path), {
        ownerOrgId: s.org.id, actor: s.actor, viewer: s.viewer, source: 'cli', ...(await sharingOf(s, o)), partial: o.partial === true,
        onProgress: (n) => progress.update(n),
      });
      progress.done(`${result.total} objects read`);
      printResult(result);
      if (result.status === 'rejected') throw new CliError(`nothing imported: ${result.reason}`);
    });
  });

  stix
    .command('export')
    .description('write what an organisation may see as a STIX 2.1 bundle (every version unless --latest); AMBER or stricter is audited')
    .requiredOption('--org <slug>', 'the organisation whose view is exported')
    .option('--type <types>', 'comma-separated STIX types')
    .option('--id <ids>', 'comma-separated STIX ids')
    .option('--latest', 'only the latest version of each object')
    .option('-o, --output <file>', 'write here instead of standard output')
    .action(async (o: { org: string; type?: string; id?: string; latest?: boolean; output?: string }) => {
      await session(o.org, async (s) => {
        const { selectObjects, visibleScope, servedObject } = await lazy();
        const out: NodeJS.WritableStream | WriteStream = o.output ? createWriteStream(o.output) : process.stdout;
        const list = (x?: string) => x?.split(',').map((v) => v.trim()).filter(Boolean);
        const perLabel: Record<string, number> = {};
        let afterSeq = 0;
        let first = true;
        await write(out, `{"type":"bundle","id":"bundle--${crypto.randomUUID()}","objects":[`);
        for (;;) {
          const page = await selectObjects(s.kernel.store.db, {
            scope: visibleScope(s.viewer), ...(list(o.type) ? { types: list(o.type)! } : {}), ...(list(o.id) ? { ids: list(o.id)! } : {}),
            versions: [{ kind: o.latest ? 'last' : 'all' }], afterSeq, limit: 1000,
          });
          let chunk = '';
          for (const row of page.rows) {
            perLabel[row.tlp] = (perLabel[row.tlp] ?? 0) + 1;
            chunk += (first ? '' : ',') + servedObject(row);
            first = false;
          }
          if (chunk) await write(out, chunk);
          if (!page.more) break;
          afterSeq = page.rows[page.rows.length - 1]!.seq;
        }
        await write(out, ']}\n');
        if (o.output) await new Promise<void>((resolve) => (out as WriteStream).end(resolve));
        if (Object.keys(perLabel).some((tlp) => tlpRank(tlp as Tlp) >= tlpRank('amber'))) {
          await s.kernel.write(s.actor, (w) => w.audit({ action: 'stix.export', targetKind: 'stix-object', details: { objects: perLabel, via: 'cli', types: o.type ?? null } }));
        }
        process.stderr.write(`exported ${Object.values(perLabel).reduce((a, b) => a + b, 0)} objects\n`);
      });
    });

  sharingOptions(
    misp
      .command('import')
      .description('import a MISP event into the store as an organisation (distribution levels mapped unless --scope is given)')
      .argument('<event>', 'path to a MISP event, {"Event": {...}}')
      .requiredOption('--org <slug>', 'the importing organisation')
      .option('--partial', 'keep the valid objects when some are invalid'),
  ).action(async (path: string, o: SharingOptions & { org: string; partial?: boolean }) => {
    const json = await readJson(path);
    await session(o.org, async (s) => {
      const { importMispEvent } = await lazy();
      const sharing = await sharingOf(s, o);
      const outcome = await importMispEvent(s.cti, json, {
        ownerOrgId: s.org.id, actor: s.actor, viewer: s.viewer, source: 'misp', defaultTlp: sharing.defaultTlp, ...(o.scope ? { distribution: sharing.distribution } : {}), partial: o.partial === true,
      });
      for (const p of outcome.problems) process.stderr.write(`${p.path}: ${p.message}\n`);
      for (const k of outcome.skipped) process.stderr.write(`skipped ${k.uuid}: ${k.reason}\n`);
      if (!outcome.result) throw new CliError(`${path} is not a MISP event Vigil can read`);
      printResult(outcome.result);
      if (outcome.result.status === 'rejected') throw new CliError(`nothing imported: ${outcome.result.reason}`);
    });
  });

  misp
    .command('export')
    .description('write a MISP event back out of the store (the report made from it and what it refers to)')
    .argument('<uuid>', 'the event uuid')
    .requiredOption('--org <slug>', 'the organisation whose view is exported')
    .option('-o, --output <file>', 'write here instead of standard output')
    .action(async (uuid: string, o: { org: string; output?: string }) => {
      await session(o.org, async (s) => {
        const { exportMispEvent } = await lazy();
        const found = await exportMispEvent(s.kernel.store.db, s.viewer, uuid, s.kernel.clock());
        if (!found) throw new CliError(`${o.org} sees no MISP event ${uuid} in the store`);
        if (Object.keys(found.labels).some((tlp) => tlpRank(tlp as Tlp) >= tlpRank('amber'))) {
          await s.kernel.write(s.actor, (w) => w.audit({ action: 'misp.export', targetKind: 'misp-event', targetId: uuid, details: { objects: found.labels, via: 'cli' } }));
        }
        const text = `${JSON.stringify(found.event, null, 2)}\n`;
        if (o.output) await write(createWriteStream(o.output), text, true);
        else process.stdout.write(text);
      });
    });

  const feeds = program.command('feeds').description('TAXII 2.1 collections and MISP feeds an organisation pulls on a schedule');
  const add = feeds.command('add').description('add a feed');
  for (const kind of ['taxii', 'misp'] as const) {
    let command = add
      .command(kind)
      .description(kind === 'taxii' ? 'a TAXII 2.1 collection: <url> is the API root (…/taxii2/api/) or discovery (…/taxii2/) URL' : 'a MISP feed: <url> is the folder with manifest.json')
      .argument('<url>', 'where the feed is');
    if (kind === 'taxii') command = command.requiredOption('--collection <id>', 'the collection id (or alias)');
    sharingOptions(
      command
        .requiredOption('--org <slug>', 'the organisation that pulls it and holds what comes')
        .option('--name <name>', 'a name for the feed')
        .option('--user <name>', 'HTTP Basic user name (with --token as the password)')
        .option('--token <secret>', 'token or password for the remote (Bearer without --user); "-" reads it from standard input or a prompt, out of the process list')
        .option('--every <duration>', 'how often to pull: 90s, 15m, 1h, 1d', '1h'),
    ).action(async (url: string, o: SharingOptions & { org: string; collection?: string; name?: string; user?: string; token?: string; every: string }) => {
      const problem = checkFeedUrl(url);
      if (problem) throw new CliError(`${url}: ${problem}`, 2);
      const everySeconds = duration(o.every);
      const secret = o.token === '-' ? await readSecret(`Token or password for ${url}: `) : o.token;
      await session(o.org, async (s) => {
        const { createFeed } = await lazy();
        const sharing = await sharingOf(s, o);
        const feed = await s.kernel.write(s.actor, (w) =>
          createFeed(w, s.org.id, {
            kind, url, collectionId: o.collection ?? null, username: o.user ?? null, secret: secret ?? null, everySeconds, tlp: sharing.defaultTlp, distribution: sharing.distribution,
            ...(o.name ? { name: o.name } : {}),
          }),
        );
        process.stdout.write(`added feed ${feed.id} (${kind} ${url}), pulled every ${everySeconds} s by the server\n`);
      });
    });
  }

  feeds
    .command('list')
    .description("an organisation's feeds, with their last pull and error")
    .requiredOption('--org <slug>', 'the organisation')
    .option('--json', 'as JSON')
    .action(async (o: { org: string; json?: boolean }) => {
      await session(o.org, async (s) => {
        const { listFeeds } = await lazy();
        const list = await listFeeds(s.kernel.store.db, s.org.id);
        if (o.json) return void process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        for (const f of list) {
          process.stdout.write(`${f.id}  ${f.kind}  ${f.url}${f.collectionId ? ` [${f.collectionId}]` : ''}  every ${f.everySeconds}s  received ${f.objectsReceived}  last success ${f.lastSuccessAt ?? 'never'}${f.lastError ? `  error: ${f.lastError}` : ''}\n`);
        }
        if (list.length === 0) process.stdout.write('no feeds\n');
      });
    });

  feeds
    .command('pull')
    .description('pull a feed now (the server also pulls it on its schedule)')
    .argument('<id>', 'the feed id')
    .requiredOption('--org <slug>', 'the organisation that owns the feed')
    .action(async (id: string, o: { org: string }) => {
      await session(o.org, async (s) => {
        const { getFeedRow } = await lazy();
        const row = await getFeedRow(s.kernel.store.db, id);
        if (!row || row.owner_org_id !== s.org.id) throw new CliError(`${o.org} has no feed ${id}`);
        const outcome = await s.cti.feeds.pull(id);
        process.stdout.write(`${outcome.pages} pages, ${outcome.objects} objects: ${outcome.stored} stored, ${outcome.duplicates} already held, ${outcome.invalid} invalid${outcome.caughtUp ? ', caught up' : ', more to come'}\n`);
        if (outcome.error) throw new CliError(`the pull stopped: ${outcome.error}`);
      });
    });

  feeds
    .command('remove')
    .description('remove a feed (what it brought stays in the store)')
    .argument('<id>', 'the feed id')
    .requiredOption('--org <slug>', 'the organisation that owns the feed')
    .action(async (id: string, o: { org: string }) => {
      await session(o.org, async (s) => {
        const { getFeedRow, deleteFeed } = await lazy();
        await s.kernel.write(s.actor, async (w) => {
          const row = await getFeedRow(w.tx, id);
          if (!row || row.owner_org_id !== s.org.id) throw new CliError(`${o.org} has no feed ${id}`);
          await deleteFeed(w, row);
        });
        process.stdout.write(`removed feed ${id}\n`);
      });
    });
}

async function* readable(path: string): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 2);
  }
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new CliError(`cannot read ${path} as JSON: ${(error as Error).message}`, 2);
  }
}

function write(out: NodeJS.WritableStream, text: string, end = false): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error | null) => (error ? reject(new CliError(`cannot write: ${error.message}`)) : resolve());
    if (end) out.end(text, () => resolve());
    else if (!out.write(text)) out.once('drain', () => resolve());
    else done();
  });
}

/** "90", "90s", "15m", "1h", "1d" → seconds, at least MIN_EVERY_SECONDS. */
export function duration(text: string): number {
  const m = /^(\d+)\s*([smhd]?)$/.exec(text.trim());
  if (!m) throw new CliError(`--every must be a duration such as 90s, 15m, 1h or 1d, not "${text}"`, 2);
  const seconds = Number(m[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  if (seconds < MIN_EVERY_SECONDS) throw new CliError(`--every must be at least ${MIN_EVERY_SECONDS} seconds`, 2);
  return seconds;
}
