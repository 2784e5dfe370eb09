import { type Command, Option } from 'commander';
import { ROLES, type Role, passwordProblem } from '../kernel/auth/index.js';
import { CliError, loadCliConfig, readSecret } from '../kernel/cli-error.js';
import { SYSTEM_ACTOR } from '../kernel/kernel.js';
import { openVigil } from '../server.js';
import { ORGANISATION_KINDS, SECTORS, SLUG_PATTERN, type OrganisationKind, type Sector } from './model.js';
import { createApiToken, createOrganisation, createUser, findOrganisation, findUserByEmail } from './queries.js';

export function registerOrganisationCli(program: Command): void {
  const user = program.command('user').description('People who sign in to Vigil');
  user
    .command('add')
    .description('Add a user; with --admin and an organisation that does not exist yet, also create it (the first administrator of a new Vigil)')
    .requiredOption('--email <email>', 'sign-in email')
    .requiredOption('--org <slug>', 'organisation slug')
    .option('--name <name>', 'display name (default: the email)')
    .addOption(new Option('--role <role>', 'role within the organisation').choices([...ROLES]).default('analyst'))
    .option('--admin', 'shorthand for --role admin; creates the organisation if it does not exist')
    .option('--org-name <name>', 'name of the organisation to create with --admin')
    .addOption(new Option('--org-sector <sector>', 'sector of the organisation to create').choices([...SECTORS]).default('city'))
    .addOption(new Option('--org-kind <kind>', 'kind of the organisation to create').choices([...ORGANISATION_KINDS]).default('authority'))
    .addHelpText('after', '\nThe password is asked for on a terminal, or read from the first line of standard input:\n  echo "$PASSWORD" | vigil user add --admin --email ops@city.example --org city')
    .action(async (o: { email: string; org: string; name?: string; role: Role; admin?: boolean; orgName?: string; orgSector: Sector; orgKind: OrganisationKind }) => {
      const role: Role = o.admin ? 'admin' : o.role;
      if (!new RegExp(SLUG_PATTERN).test(o.org)) throw new CliError(`--org must be a slug (lower-case letters, digits, dashes), not "${o.org}"`, 2);
      const kernel = await openVigil(loadCliConfig());
      try {
        const db = kernel.store.db;
        if (await findUserByEmail(db, o.email)) throw new CliError(`a user with email ${o.email} already exists`);
        let org = await findOrganisation(db, o.org);
        if (!org && !o.admin) throw new CliError(`no organisation "${o.org}"; use --admin to create it with its first administrator`);
        const password = await readSecret(`Password for ${o.email}: `);
        const weak = passwordProblem(password);
        if (weak) throw new CliError(weak, 2);
        const created = await kernel.write(SYSTEM_ACTOR, async (w) => {
          org ??= await createOrganisation(w, { slug: o.org, name: o.orgName ?? o.org, sector: o.orgSector, kind: o.orgKind });
          return createUser(w, { orgId: org.id, email: o.email, name: o.name ?? o.email, role, password });
        });
        process.stdout.write(`added ${created.email} as ${created.role} of ${org!.slug}\n`);
      } finally {
        await kernel.close();
      }
    });

  const token = program.command('token').description('API tokens for machines (sensors, integrations)');
  token
    .command('create')
    .description('Create an API token for an organisation; the secret is printed once, only its hash is kept')
    .requiredOption('--org <slug>', 'organisation slug')
    .requiredOption('--name <name>', 'what the token is for, e.g. "SCADA gateway"')
    .addOption(new Option('--role <role>', 'role the token acts with').choices([...ROLES]).default('operator'))
    .option('--expires-days <days>', 'expire after this many days', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new CliError('--expires-days must be a whole number of days', 2);
      return n;
    })
    .action(async (o: { org: string; name: string; role: Role; expiresDays?: number }) => {
      const kernel = await openVigil(loadCliConfig());
      try {
        const org = await findOrganisation(kernel.store.db, o.org);
        if (!org) throw new CliError(`no organisation "${o.org}"`);
        const { token: secret, apiToken } = await kernel.write({ ...SYSTEM_ACTOR, orgId: org.id }, (w) =>
          createApiToken(w, { orgId: org.id, name: o.name, role: o.role, expiresAt: o.expiresDays ? w.now + o.expiresDays * 86_400_000 : null }),
        );
        process.stderr.write(`token ${apiToken.id} for ${org.slug} (${apiToken.role}); store it now, it is not shown again:\n`);
        process.stdout.write(`${secret}\n`);
      } finally {
        await kernel.close();
      }
    });
}
