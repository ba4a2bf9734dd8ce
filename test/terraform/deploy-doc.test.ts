// docs/deploy.md stays runnable: every Terraform variable and output it names exists in terraform/, every terraform
// and gcloud command and flag it uses exists (gcloud's own static command tree), and it enables the APIs Terraform does.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasTerraform, loadModule, REPO_ROOT, TERRAFORM_ROOT, type TerraformModule } from './hcl.js';

let doc: string;
let root: TerraformModule;
let commands: string[];

beforeAll(async () => {
  doc = await readFile(join(REPO_ROOT, 'docs', 'deploy.md'), 'utf8');
  root = await loadModule(TERRAFORM_ROOT);
  commands = shellCommands(doc);
});

/**
 * The commands of every ```sh block: continuation lines joined, comments dropped, each `$(...)` taken out as a command
 * of its own, the rest split at `&&`, `||`, `|`, `;` and the shell keywords.
 */
function shellCommands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  const found: string[] = [];
  for (const raw of blocks.flatMap((block) => block.replace(/\\\n\s*/g, ' ').split('\n'))) {
    let line = raw.replace(/\s+#\s.*$/, '').trim();
    // Innermost substitutions first: `$(terraform output -raw x)` becomes a command and leaves a word behind.
    for (let inner = /\$\(([^()]*)\)/.exec(line); inner; inner = /\$\(([^()]*)\)/.exec(line)) {
      found.push(...(inner[1] ?? '').split(/&&|\|\||\||;/));
      line = line.replace(inner[0], 'VALUE');
    }
    found.push(...line.split(/&&|\|\||\||;/));
  }
  return found
    .map((part) =>
      part
        .trim()
        .replace(/^(if|then|else|fi|done|do|for \S+ in .*)(\s+|$)/, '')
        .trim(),
    )
    .map((part) => part.replace(/^(then|do)\s+/, '').trim())
    .filter((part) => part !== '' && !/^(fi|done|\[ .*\])$/.test(part));
}

/** The words of a command up to its first flag or argument that is not a sub-command name. */
function words(command: string): string[] {
  return command.split(/\s+/).filter((word) => word !== '');
}

function hclBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```hcl\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

describe('variables and outputs named in docs/deploy.md', () => {
  it('every name set in an hcl example is a variable', () => {
    const names = hclBlocks(doc).flatMap((block) =>
      [...block.matchAll(/^([a-z_]+)\s*=/gm)].map((match) => match[1]),
    );
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((name) => !root.variables.has(name ?? ''))).toEqual([]);
  });

  it('every -var NAME=, var.NAME and row of the variables table is a variable', () => {
    const fromFlags = [...doc.matchAll(/-var[ =]([a-z_]+)=/g)].map((match) => match[1]);
    const fromReferences = [...doc.matchAll(/\bvar\.([a-z_]+)/g)].map((match) => match[1]);
    const table = doc.slice(doc.indexOf('| Variable | Default | Meaning |'));
    const fromTable = [...table.slice(0, table.indexOf('\n\n')).matchAll(/^\| `([a-z_]+)` \|/gm)].map(
      (match) => match[1],
    );
    expect(fromTable.length).toBeGreaterThan(5);
    const names = [...fromFlags, ...fromReferences, ...fromTable];
    expect(names.filter((name) => !root.variables.has(name ?? ''))).toEqual([]);
  });

  it('every variable a sentence names in backquotes with an = or as a setting is declared', () => {
    // `mode = "folder"`, `enable_apis = true`: settings spelled out in prose.
    const settings = [...doc.matchAll(/`([a-z_]+) = [^`]+`/g)].map((match) => match[1]);
    expect(settings.length).toBeGreaterThan(3);
    expect(settings.filter((name) => !root.variables.has(name ?? ''))).toEqual([]);
  });

  it('every terraform output it reads is an output of terraform/', () => {
    const read = [...doc.matchAll(/terraform output (?:-(?:raw|json) )?([a-z_]+)/g)].map((match) => match[1]);
    const named = [...doc.matchAll(/the `([a-z_]+)` output/g)].map((match) => match[1]);
    expect(read.length).toBeGreaterThan(5);
    expect([...read, ...named].filter((name) => !root.outputs.has(name ?? ''))).toEqual([]);
  });

  it('the keys it reads from map outputs are the keys those outputs have', () => {
    const functionNames = root.outputs.get('function_names')?.value as Record<string, unknown>;
    for (const match of doc.matchAll(/terraform output -json function_names \| jq -r \.([A-Za-z]+)/g)) {
      expect(Object.keys(functionNames)).toContain(match[1]);
    }
    // The webhook secrets map is keyed by channel, as webhook_channels spells them.
    const validation = JSON.stringify(root.variables.get('webhook_channels'));
    for (const match of doc.matchAll(/webhook_secrets \| jq -r '\.(?:"([a-z-]+)"|([a-z-]+)) \/\/ empty'/g)) {
      expect(validation).toContain(`\\"${match[1] ?? match[2]}\\"`);
    }
  });

  it('the shell variables the commands use are all set in step 1 or step 2', () => {
    const exported = new Set(
      [...doc.matchAll(/^export ([A-Z_]+)=/gm), ...doc.matchAll(/^([A-Z_]+)=\$\(/gm)].map(
        (match) => match[1],
      ),
    );
    const used = new Set(
      shellCommands(doc).flatMap((command) =>
        [...command.matchAll(/\$\{?([A-Z_]+)\}?/g)].map((match) => match[1]),
      ),
    );
    // Webhook URLs are the operator's secrets: never written into the document.
    const external = new Set(['SLACK_WEBHOOK_URL', 'CHAT_WEBHOOK_URL', 'PAYMENTS_WEBHOOK_URL']);
    expect([...used].filter((name) => !exported.has(name) && !external.has(name ?? ''))).toEqual([]);
  });
});

describe('APIs', () => {
  it('the API table and the manual enable commands name exactly the APIs Terraform enables', () => {
    const required = root.locals.required_apis as string[];
    const table = [...doc.matchAll(/^\| `([a-z]+\.googleapis\.com)` \|/gm)].map((match) => match[1]);
    expect([...table].sort()).toEqual([...required].sort());
    const enabled = commands
      .filter((command) => command.startsWith('gcloud services enable'))
      .flatMap((command) => words(command).filter((word) => word.endsWith('.googleapis.com')));
    expect([...new Set(enabled)].sort()).toEqual([...required].sort());
  });
});

describe.skipIf(!hasTerraform)(
  `terraform commands${hasTerraform ? '' : ' (skipped: terraform not installed)'}`,
  () => {
    it('every terraform sub-command and flag exists', () => {
      const terraform = commands.filter((command) => command.startsWith('terraform '));
      expect(terraform.length).toBeGreaterThan(5);
      const problems: string[] = [];
      for (const command of terraform) {
        const [, sub, ...rest] = words(command);
        // destroy is `apply -destroy` and takes apply's options.
        const text = `${terraformHelp(sub ?? '')}${sub === 'destroy' ? terraformHelp('apply') : ''}`;
        if (!text.includes(`Usage: terraform [global options] ${sub}`)) {
          problems.push(`terraform ${sub}: no such command`);
          continue;
        }
        for (const flag of rest
          .filter((word) => word.startsWith('-'))
          .map((word) => word.split('=')[0] ?? word)) {
          if (!new RegExp(`^\\s+${flag.replace(/[-]/g, '\\-')}\\b`, 'm').test(text))
            problems.push(`terraform ${sub} ${flag}`);
        }
      }
      expect(problems).toEqual([]);
    });
  },
);

function terraformHelp(command: string): string {
  const help = spawnSync('terraform', [command, '-help'], {
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1' },
  });
  return `${help.stdout}${help.stderr}`;
}

interface GcloudTree {
  readonly commands: Record<string, GcloudTree>;
  readonly flags: Record<string, unknown>;
}

/** gcloud's static completion tree (every command and its flags), shipped with the SDK. */
function gcloudTree(): GcloudTree | undefined {
  const found = spawnSync('gcloud', ['info', '--format=value(installation.sdk_root)'], { encoding: 'utf8' });
  const sdkRoot = found.status === 0 ? found.stdout.trim() : '';
  const file = join(sdkRoot, 'data', 'cli', 'gcloud_completions.py');
  if (!sdkRoot || !existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  return JSON.parse(text.slice(text.indexOf('{'))) as GcloudTree;
}

const tree = gcloudTree();

describe.skipIf(!tree)(
  `gcloud commands${tree ? '' : ' (skipped: no gcloud SDK with its command tree)'}`,
  () => {
    it('every gcloud command and flag exists in gcloud 528', () => {
      const gcloud = commands.filter((command) => command.startsWith('gcloud '));
      expect(gcloud.length).toBeGreaterThan(15);
      const problems: string[] = [];
      for (const command of gcloud) {
        let node = tree as GcloudTree;
        const path: string[] = [];
        const rest = words(command).slice(1);
        // Walk the command groups as long as the words name them.
        while (rest.length > 0 && node.commands[rest[0] as string]) {
          path.push(rest[0] as string);
          node = node.commands[rest.shift() as string] as GcloudTree;
        }
        if (Object.keys(node.commands).length > 0) {
          problems.push(`gcloud ${path.join(' ')}: "${rest[0]}" is not a command`);
          continue;
        }
        const flags = rest
          .filter((word) => word.startsWith('--'))
          .map((word) => word.split('=')[0] as string);
        for (const flag of flags) {
          // A boolean flag --x is also accepted as --no-x.
          const positive = flag.replace(/^--no-/, '--');
          const known = (name: string) => name in node.flags || name in (tree as GcloudTree).flags;
          if (!known(flag) && !(flag !== positive && node.flags[positive] === 'bool')) {
            problems.push(`gcloud ${path.join(' ')} ${flag}`);
          }
        }
      }
      expect(problems).toEqual([]);
    });

    it('names the quota-project step, without which Service Usage refuses user credentials', () => {
      expect(commands).toContain('gcloud auth application-default set-quota-project "$PROJECT_ID"');
    });
  },
);

describe('commands that must not fail', () => {
  it('the Chat secret command runs only when google-chat is configured (Slack alone must not fail)', () => {
    const chat = doc.split('\n').find((line) => line.includes('$CHAT_WEBHOOK_URL'));
    expect(chat).toMatch(/^if \[ -n "\$CHAT_SECRET" \]; then .* fi$/);
    const slack = doc.split('\n').find((line) => line.includes('$SLACK_WEBHOOK_URL'));
    expect(slack).toMatch(/^if \[ -n "\$SLACK_SECRET" \]; then .* fi$/);
  });

  it('the smoke test names pubsub.topics.publish and how to get it', () => {
    const step = doc.slice(doc.indexOf('## 9. Smoke test'), doc.indexOf('## 10.'));
    expect(step).toContain('`pubsub.topics.publish`');
    expect(step).toContain('--role=roles/pubsub.publisher');
  });

  it('folder mode asks for Organization Role Administrator on the organisation', () => {
    const folder = doc.slice(doc.indexOf('- **folder**'), doc.indexOf('- **organization**'));
    expect(folder).toContain('gcloud organizations add-iam-policy-binding "$ORG_ID"');
    expect(folder).toContain('--role=roles/iam.organizationRoleAdmin');
  });

  it('the report is called with an identity token', () => {
    expect(doc).toContain(
      'curl -sS -H "Authorization: Bearer $(gcloud auth print-identity-token)" "$(terraform output -raw report_url)',
    );
  });

  it('links only to files that exist', () => {
    const links = [...doc.matchAll(/\]\((\.\.\/[^)#]+)\)/g)].map((match) => match[1] ?? '');
    expect(links.length).toBeGreaterThan(1);
    expect(
      links.filter((link) => !existsSync(join(dirname(join(REPO_ROOT, 'docs', 'deploy.md')), link))),
    ).toEqual([]);
  });
});
