import type { CommandUnknownOpts as Command } from '@commander-js/extra-typings';

/** What completion needs to know of the command line, read from commander itself. */
export interface CompletionSpec {
  name: string;
  commands: Array<{ name: string; description: string; options: Array<{ flag: string; takesValue: boolean; description: string; choices?: string[] }> }>;
}

export function describeProgram(program: Command): CompletionSpec {
  return {
    name: program.name(),
    commands: program.commands
      .filter((c) => c.name() !== 'help')
      .map((c) => ({
        name: c.name(),
        description: c.description(),
        options: [...c.options, ...program.options]
          .filter((o) => o.long)
          .map((o) => ({ flag: o.long as string, takesValue: o.required || o.optional, description: o.description, choices: o.argChoices })),
      })),
  };
}

const shortLine = (text: string) => (text.split('\n')[0] ?? '').replace(/\s+/g, ' ').slice(0, 90);

function bash(spec: CompletionSpec): string {
  const fn = `_${spec.name.replace(/\W/g, '_')}`;
  const cases = spec.commands
    .filter((c) => c.name !== 'completion')
    .map((c) => `    ${c.name}) opts="${c.options.map((o) => o.flag).join(' ')} --help" ;;`)
    .join('\n');
  const fileFlags = [...new Set(spec.commands.flatMap((c) => c.options.filter((o) => o.takesValue && !o.choices).map((o) => o.flag)))];
  const choices = spec.commands.flatMap((c) => c.options.filter((o) => o.choices).map((o) => `    ${o.flag}) COMPREPLY=( $(compgen -W "${o.choices!.join(' ')}" -- "$cur") ); return ;;`));
  return `# bash completion for ${spec.name}: source this file, or put it in /etc/bash_completion.d/
${fn}() {
  local cur prev cmd opts
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  cmd="\${COMP_WORDS[1]}"
  if [[ \${COMP_CWORD} -eq 1 ]]; then
    COMPREPLY=( $(compgen -W "${spec.commands.map((c) => c.name).join(' ')} --help --version" -- "$cur") )
    return
  fi
  case "$prev" in
${[...new Set(choices)].join('\n')}
    ${fileFlags.join('|')}) COMPREPLY=( $(compgen -f -- "$cur") ); return ;;
  esac
  case "$cmd" in
${cases}
    completion) COMPREPLY=( $(compgen -W "bash zsh fish" -- "$cur") ); return ;;
    *) opts="--help" ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
  else
    COMPREPLY=( $(compgen -f -- "$cur") )
  fi
}
complete -o filenames -F ${fn} ${spec.name}
`;
}

function zsh(spec: CompletionSpec): string {
  const esc = (t: string) => shortLine(t).replace(/[[\]:'\\]/g, (ch) => (ch === "'" ? "'\\''" : `\\${ch}`));
  const commands = spec.commands.map((c) => `    '${c.name}:${esc(c.description)}'`).join('\n');
  const cases = spec.commands
    .map((c) => {
      const args = c.options.map((o) => {
        const value = o.takesValue ? (o.choices ? `:value:(${o.choices.join(' ')})` : ':value:_files') : '';
        return `'${o.flag}[${esc(o.description)}]${value}'`;
      });
      if (c.name === 'completion') args.push("':shell:(bash zsh fish)'");
      else args.push("'*:file:_files'");
      return `    ${c.name}) _arguments ${args.join(' ')} ;;`;
    })
    .join('\n');
  return `#compdef ${spec.name}
# zsh completion for ${spec.name}: put this file as _${spec.name} in a folder of $fpath
_${spec.name.replace(/\W/g, '_')}() {
  local -a commands
  commands=(
${commands}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    return
  fi
  shift words
  (( CURRENT-- ))
  case $words[1] in
${cases}
  esac
}
_${spec.name.replace(/\W/g, '_')} "$@"
`;
}

function fish(spec: CompletionSpec): string {
  const esc = (t: string) => shortLine(t).replace(/'/g, "\\'");
  const lines = [`# fish completion for ${spec.name}: put this file in ~/.config/fish/completions/`, `complete -c ${spec.name} -f`];
  for (const c of spec.commands) lines.push(`complete -c ${spec.name} -n '__fish_use_subcommand' -a ${c.name} -d '${esc(c.description)}'`);
  for (const c of spec.commands) {
    for (const o of c.options) {
      const value = o.takesValue ? (o.choices ? ` -x -a '${o.choices.join(' ')}'` : ' -r -F') : '';
      lines.push(`complete -c ${spec.name} -n '__fish_seen_subcommand_from ${c.name}' -l ${o.flag.replace(/^--/, '')}${value} -d '${esc(o.description)}'`);
    }
  }
  lines.push(`complete -c ${spec.name} -n '__fish_seen_subcommand_from completion' -x -a 'bash zsh fish'`);
  return `${lines.join('\n')}\n`;
}

export function completionScript(shell: 'bash' | 'zsh' | 'fish', spec: CompletionSpec): string {
  return shell === 'bash' ? bash(spec) : shell === 'zsh' ? zsh(spec) : fish(spec);
}
