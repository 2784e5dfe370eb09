import { readFile, writeFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { CliError, loadCliConfig } from '../../kernel/cli-error.js';
import type { Distribution, Tlp, Viewer } from '../../kernel/sharing/index.js';
import { TLP_LABELS } from '../../kernel/sharing/policy.js';
import { PlaybookFormatError, formatProblem, readPlaybookYaml, writePlaybookYaml } from './yaml.js';

const lazy = () => import('./cli-lazy.js');

/**
 * `vigil playbook import|export` against the database: an organisation's playbooks in and out as YAML,
 * acting as that organisation (`--org <slug>`) and audited like the API.
 */
export function registerPlaybookStoreCli(program: Command): void {
  const playbook = program.commands.find((c) => c.name() === 'playbook') ?? program.command('playbook').description('Standard operating procedures (SOP playbooks)');
  playbook
    .command('import')
    .description("Add a playbook to an organisation, or a new version of the organisation's playbook with the same id")
    .argument('<file>', 'playbook YAML file')
    .requiredOption('--org <slug>', 'the organisation that owns the playbook')
    .addOption(new Option('--tlp <label>', 'label (default: the organisation default)').choices([...TLP_LABELS]))
    .addOption(new Option('--scope <scope>', 'who may use it (default: the organisation default)').choices(['owner', 'community', 'public']))
    .action(async (file: string, o: { org: string; tlp?: Tlp; scope?: 'owner' | 'community' | 'public' }) => {
      process.stdout.write(await importPlaybookFile(file, o));
    });
  playbook
    .command('export')
    .description('Write a playbook as YAML (to stdout, or --out)')
    .argument('<slug>', "the playbook's id")
    .option('--org <slug>', "the organisation whose playbook (default: the first with that id, e.g. a shipped template)")
    .option('--out <file>', 'write to this file')
    .action(async (slug: string, o: { org?: string; out?: string }) => {
      const yaml = await exportPlaybook(slug, o.org);
      if (o.out) await writeFile(o.out, yaml);
      else process.stdout.write(yaml);
    });
}

async function withStore<T>(orgSlug: string | undefined, fn: (s: { kernel: import('../../kernel/kernel.js').Kernel; org: { id: string; settings: string } | null; viewer: Viewer }) => Promise<T>): Promise<T> {
  const { openKernel, migrations, groupsOfOrganisation } = await lazy();
  const kernel = await openKernel(loadCliConfig(), { migrations });
  try {
    let org: { id: string; settings: string } | null = null;
    if (orgSlug) {
      org = (await kernel.store.db.selectFrom('organisations').select(['id', 'settings']).where('slug', '=', orgSlug).executeTakeFirst()) ?? null;
      if (!org) throw new CliError(`no organisation "${orgSlug}"`, 2);
    }
    const viewer: Viewer = org ? { orgId: org.id, groupIds: await groupsOfOrganisation(kernel.store.db, org.id) } : { orgId: null, groupIds: new Set() };
    return await fn({ kernel, org, viewer });
  } finally {
    await kernel.close();
  }
}

export async function importPlaybookFile(file: string, o: { org: string; tlp?: Tlp; scope?: 'owner' | 'community' | 'public' }): Promise<string> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`cannot read ${file}: ${error.code ?? error.message}`);
  });
  let playbook;
  try {
    playbook = readPlaybookYaml(text, file);
  } catch (error) {
    if (!(error instanceof PlaybookFormatError)) throw error;
    throw new CliError(`${file}: ${error.problems.length} problem(s)\n${error.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
  }
  const { createPlaybook, replacePlaybook, findPlaybookBySlug, ownSlugTaken, loadSharingWorld, checkInitialSharing, defaultsFromSettings } = await lazy();
  return withStore(o.org, async ({ kernel, org, viewer }) => {
    const defaults = defaultsFromSettings(JSON.parse(org!.settings));
    const distribution: Distribution = o.scope ? { scope: o.scope } : defaults.distribution;
    const sharing = { ownerOrgId: org!.id, tlp: o.tlp ?? defaults.tlp, distribution };
    const actor = { orgId: org!.id, userId: null, tokenId: null, address: null };
    const stored = await kernel.write(actor, async (w) => {
      if (await ownSlugTaken(w.tx, org!.id, playbook.id)) {
        const current = (await findPlaybookBySlug(w.tx, viewer, playbook.id))!;
        return { p: await replacePlaybook(w, current, playbook), created: false };
      }
      const decision = checkInitialSharing(sharing, org!.id, await loadSharingWorld(w.tx));
      if (!decision.allowed) throw new CliError(decision.reason, 2);
      return { p: await createPlaybook(w, playbook, sharing), created: true };
    });
    return `${stored.created ? 'imported' : 'updated'} ${stored.p.slug} version ${stored.p.version} (${stored.p.steps.length} steps) as ${stored.p.id} for ${o.org}\n`;
  });
}

export async function exportPlaybook(slug: string, orgSlug?: string): Promise<string> {
  const { findPlaybookBySlug, definitionOf } = await lazy();
  return withStore(orgSlug, async ({ kernel, org, viewer }) => {
    let found;
    if (org) found = await findPlaybookBySlug(kernel.store.db, viewer, slug);
    else {
      // Without an organisation: the operator's view of the whole store, oldest first (the shipped templates).
      const { storedOf } = await import('./store.js');
      const row = await kernel.store.db.selectFrom('playbooks').selectAll().where('slug', '=', slug).orderBy('created_at').executeTakeFirst();
      found = row ? storedOf(row) : null;
    }
    if (!found) throw new CliError(`no playbook "${slug}"${orgSlug ? ` visible to ${orgSlug}` : ''}`, 2);
    return writePlaybookYaml(definitionOf(found));
  });
}
