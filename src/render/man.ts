import { COMMAND_HELP, COMMAND_NAMES, MAIN_HELP, MAN, type CommandHelp, type CommandName } from '../messages/help.js';

/**
 * Manual pages in roff (man(7) macros), from the same help texts as `git swarm help <command>`:
 * git turns `git swarm --help` into `man git-swarm`. Written at build time (scripts/write-man.ts).
 */

/**
 * Text as roff prints it literally: `\` is the escape character, `-` would be typeset as a hyphen
 * (breaking copy and paste of options), and a line starting with `.` or `'` is a request.
 */
export function roffText(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .replace(/^[.']/gm, '\\&$&');
}

const bold = (text: string) => `\\fB${roffText(text)}\\fR`;
const section = (title: string) => `.SH ${roffText(title)}`;

/** A paragraph refilled by roff: the terminal's line breaks are not the page's. */
const paragraph = (text: string) => roffText(text.replace(/\s*\n\s*/g, ' '));

/** Lines kept as they are (a synopsis). */
const verbatim = (lines: readonly string[]) => ['.nf', ...lines.map(roffText), '.fi'];

function header(page: string, version: string): string {
  const arg = (s: string) => `"${roffText(s).replace(/"/g, '\\(dq')}"`;
  // No hyphenation and a ragged right margin: option names and paths stay whole, as in the terminal.
  return `.TH ${arg(page.toUpperCase())} 1 "" ${arg(MAN.source(version))} ${arg(MAN.manual)}\n.nh\n.ad l`;
}

function optionsSection(options: CommandHelp['options']): string[] {
  return (options ?? []).flatMap(([flag, text]) => ['.TP', bold(flag), paragraph(text)]);
}

const exitStatus = () => [section(MAN.exitStatus), ...MAIN_HELP.exitCodes.flatMap(([code, meaning]) => ['.TP', bold(code), paragraph(meaning)])];

export const manPageName = (command: CommandName | null) => (command === null ? MAIN_HELP.name : `${MAIN_HELP.name}-${command}`);

/** git-swarm(1): every command with its synopsis, description and options. */
export function mainManPage(version: string): string {
  const commands = COMMAND_NAMES.flatMap((name) => {
    const h: CommandHelp = COMMAND_HELP[name];
    return [`.SS ${roffText(`git swarm ${name}`)}`, ...verbatim([h.synopsis]), '.PP', paragraph(h.description), ...optionsSection(h.options)];
  });
  return [
    header(MAIN_HELP.name, version),
    section(MAN.name),
    `${roffText(MAIN_HELP.name)} \\- ${paragraph(MAIN_HELP.summary)}`,
    section(MAN.synopsis),
    ...verbatim(MAIN_HELP.synopsis),
    section(MAN.description),
    paragraph(MAIN_HELP.description),
    section(MAN.commands),
    ...commands,
    ...exitStatus(),
    section(MAN.seeAlso),
    COMMAND_NAMES.map((name) => `${bold(manPageName(name))}(1)`).join(', '),
    '',
  ].join('\n');
}

/** git-swarm-<command>(1). */
export function commandManPage(name: CommandName, version: string): string {
  const h: CommandHelp = COMMAND_HELP[name];
  return [
    header(manPageName(name), version),
    section(MAN.name),
    `${roffText(manPageName(name))} \\- ${paragraph(h.summary)}`,
    section(MAN.synopsis),
    ...verbatim([h.synopsis]),
    section(MAN.description),
    paragraph(h.description),
    ...(h.options?.length ? [section(MAN.options), ...optionsSection(h.options)] : []),
    ...exitStatus(),
    section(MAN.seeAlso),
    `${bold(MAIN_HELP.name)}(1)`,
    '',
  ].join('\n');
}

/** Every page, by file name: git-swarm.1 and git-swarm-<command>.1 for each command. */
export function manPages(version: string): Map<string, string> {
  const pages = new Map([[`${manPageName(null)}.1`, mainManPage(version)]]);
  for (const name of COMMAND_NAMES) pages.set(`${manPageName(name)}.1`, commandManPage(name, version));
  return pages;
}
