/**
 * Reads shell steps from README.md, so the suite runs exactly what a user copies: the apply steps and the
 * upgrade notes' commands. Backslash-continued lines are joined; each resulting line is one command; `#` comment
 * lines are skipped.
 */
import * as fs from 'node:fs';

/** One README command, as written, and what the suite runs. */
export interface ReadmeCommand {
  /** The command as it stands in the README (continuations joined). */
  readonly text: string;
  /** What is run: `text` with the README's `<placeholder>`s replaced by test values. */
  readonly run: string;
  /** Why the suite does not run it (e.g. it needs a kubelet), or undefined. */
  readonly skip?: string;
}

/** Test values for the README's placeholders; fake, and never printed. */
const PLACEHOLDERS: Record<string, string> = {
  '<tenant id>': '00000000-0000-4000-8000-000000000001',
  '<app client id>': '00000000-0000-4000-8000-000000000002',
  '<client secret value>': 'not-a-real-secret-apiserver-suite',
};

/**
 * @param readmePath path of README.md
 * @returns the commands of the apply block (the first ```sh block with `kubectl apply --server-side`), in order
 * @throws Error when the block is missing, or a command holds a `<placeholder>` the suite has no value for
 */
export function readmeApplyCommands(readmePath: string): ReadmeCommand[] {
  const blocks = shBlocks(fs.readFileSync(readmePath, 'utf8'));
  const block = blocks.find((b) => b.includes('kubectl apply --server-side'));
  if (block === undefined) {
    throw new Error(`${readmePath}: no \`\`\`sh block with "kubectl apply --server-side" (the apply steps)`);
  }
  return commandsOf(block);
}

/**
 * @param readmePath path of README.md
 * @param heading the exact heading line, e.g. `### Upgrade notes: v5.0.4 to v7.1.1`
 * @returns the commands of the first ```sh block after that heading (and before the next heading)
 * @throws Error when the heading or its block is missing
 */
export function readmeCommandsUnder(readmePath: string, heading: string): ReadmeCommand[] {
  const text = fs.readFileSync(readmePath, 'utf8');
  const at = text.split('\n').indexOf(heading);
  if (at < 0) {
    throw new Error(`${readmePath}: no heading "${heading}"`);
  }
  const rest = text.split('\n').slice(at + 1);
  const end = rest.findIndex((l) => /^#{1,6} /.test(l));
  const section = (end < 0 ? rest : rest.slice(0, end)).join('\n');
  const [block] = shBlocks(section);
  if (block === undefined) {
    throw new Error(`${readmePath}: no \`\`\`sh block under "${heading}"`);
  }
  return commandsOf(block);
}

function shBlocks(text: string): string[] {
  return [...text.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

function commandsOf(block: string): ReadmeCommand[] {
  const lines: string[] = [];
  let current = '';
  for (const raw of block.split('\n')) {
    if (raw.trimEnd().endsWith('\\')) {
      current += raw.trim().slice(0, -1).trim() + ' ';
      continue;
    }
    const line = (current + raw.trim()).trim();
    current = '';
    if (line !== '' && !line.startsWith('#')) {
      lines.push(line);
    }
  }
  return lines.map((line) => {
    let run = line;
    for (const [k, v] of Object.entries(PLACEHOLDERS)) {
      run = run.split(k).join(v);
    }
    const left = run.match(/<[a-z][a-z ]*>/);
    if (left) {
      throw new Error(`README step "${line}": placeholder ${left[0]} has no test value in test/apiserver/readme.ts`);
    }
    const skip = / logs -f /.test(line) ? 'follows pod logs: no kubelet runs, so no pod ever starts' : undefined;
    return { text: line, run, skip };
  });
}
