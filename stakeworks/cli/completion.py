"""`stakeworks completion bash|zsh|fish`: shell completion written from the parser itself.

Commands, sub-commands, options and fixed choices come from the argparse
parser, so the scripts never drift from the CLI. Account, contact and
executive names come from the store at TAB time through the hidden command
`stakeworks _complete accounts|contacts ACCOUNT|executives` (one name a line,
nothing at all on any error, so a TAB never prints a traceback or a message).

Hand-written rather than a library: shtab writes bash and zsh but no fish, and
argcomplete runs the whole CLI inside the shell's completion hook on every
TAB; here the scripts are plain shell and only names cost a (fast, Textual-free)
process.
"""

from __future__ import annotations

import argparse
import shlex
from dataclasses import dataclass, field

NAME_KINDS = {"account": "accounts", "contact": "contacts", "executive": "executives"}
FILE_DESTS = {"file", "db", "config", "output", "accounts_file", "backup", "path", "rejected"}


@dataclass
class Node:
    """One command level: `stakeworks`, `stakeworks sponsors`, ..."""

    path: str
    help: str = ""
    subcommands: dict[str, str] = field(default_factory=dict)  # name -> help
    positionals: list[str] = field(default_factory=list)  # kinds: account, contact, executive, file, choice:a|b, none
    options: list[str] = field(default_factory=list)


def _kind(action: argparse.Action) -> str:
    if action.choices:
        return "choice:" + "|".join(str(c) for c in action.choices)
    dest = action.dest
    if dest in NAME_KINDS:
        return dest
    if dest in FILE_DESTS or dest.endswith("_file"):
        return "file"
    return "none"


def walk(parser: argparse.ArgumentParser) -> tuple[list[Node], dict[str, str]]:
    """Every command level of the parser, and the kind of value each option takes."""
    nodes: list[Node] = []
    values: dict[str, str] = {}

    def visit(p: argparse.ArgumentParser, path: str, help_text: str) -> None:
        node = Node(path, help_text)
        nodes.append(node)
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                helps = {a.dest: a.help or "" for a in action._choices_actions}
                for name, sub in action.choices.items():
                    if name not in helps:  # hidden (the _complete command itself)
                        continue
                    node.subcommands[name] = helps.get(name, "")
                    visit(sub, f"{path} {name}".strip(), helps.get(name, ""))
            elif action.option_strings:
                if action.help == argparse.SUPPRESS:
                    continue
                node.options += [
                    o for o in action.option_strings if o.startswith("--") or len(action.option_strings) == 1
                ]
                if action.nargs != 0:
                    for o in action.option_strings:
                        values[o] = _kind(action)
            else:
                node.positionals.append(_kind(action))

    visit(parser, "", parser.description or "")
    return nodes, values


def _bash_assoc(name: str, items: dict[str, str]) -> str:
    body = " ".join(f"[{shlex.quote(k)}]={shlex.quote(v)}" for k, v in items.items())
    return f"declare -gA {name}=({body})"


def bash(parser: argparse.ArgumentParser, prog: str = "stakeworks") -> str:
    nodes, values = walk(parser)
    # Bash arrays take no empty key: the top level is "-".
    subs = {n.path or "-": " ".join(n.subcommands) for n in nodes if n.subcommands}
    pos = {n.path or "-": " ".join(n.positionals) for n in nodes if n.positionals}
    opts = {n.path or "-": " ".join(n.options) for n in nodes}
    return f"""\
# {prog} completion for bash. Add to ~/.bashrc:  eval "$({prog} completion bash)"
{_bash_assoc("_stakeworks_subs", subs)}
{_bash_assoc("_stakeworks_pos", pos)}
{_bash_assoc("_stakeworks_opts", opts)}
{_bash_assoc("_stakeworks_vals", values)}

_stakeworks_names() {{
    # Names from the store, one a line; matched case-insensitively, spaces kept.
    local line lower=${{cur,,}}
    while IFS= read -r line; do
        [[ ${{line,,}} == "$lower"* ]] && COMPREPLY+=("$line")
    done < <(command {prog} "${{store[@]}}" _complete "$@" 2>/dev/null)
    compopt -o filenames 2>/dev/null  # quote spaces and specials when inserting
}}

_stakeworks_complete_kind() {{
    local kind=$1
    case $kind in
        account|contact|executive)
            if [[ $kind == contact ]]; then _stakeworks_names contacts "$account"
            else _stakeworks_names "${{kind}}s"; fi ;;
        file) COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null ;;
        choice:*) local words=${{kind#choice:}}; COMPREPLY=($(compgen -W "${{words//|/ }}" -- "$cur")) ;;
    esac
}}

_stakeworks() {{
    local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}}
    cur=${{cur//\\\\ / }}; cur=${{cur#[\\"\\']}}
    local cmdpath=- account="" n=0 i w skip=0 lastopt=""
    local -a store=() kinds=()
    COMPREPLY=()
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${{COMP_WORDS[i]}}
        if ((skip)); then
            skip=0
            [[ $lastopt == --db || $lastopt == --config ]] && store+=("$lastopt" "$w")
            continue
        fi
        if [[ $w == -* ]]; then
            [[ -n ${{_stakeworks_vals[$w]+x}} ]] && skip=1 && lastopt=$w
            continue
        fi
        if ((n == 0)) && [[ " ${{_stakeworks_subs[$cmdpath]}} " == *" $w "* ]]; then
            [[ $cmdpath == - ]] && cmdpath=$w || cmdpath="$cmdpath $w"
            continue
        fi
        n=$((n + 1))
        read -r -a kinds <<< "${{_stakeworks_pos[$cmdpath]}}"
        [[ ${{kinds[n-1]}} == account ]] && account=${{w//\\\\ / }}
    done
    if ((skip)); then
        _stakeworks_complete_kind "${{_stakeworks_vals[$lastopt]}}"
        return
    fi
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "${{_stakeworks_opts[$cmdpath]}}" -- "$cur"))
        return
    fi
    if ((n == 0)) && [[ -n ${{_stakeworks_subs[$cmdpath]}} ]]; then
        COMPREPLY=($(compgen -W "${{_stakeworks_subs[$cmdpath]}}" -- "$cur"))
        [[ $cmdpath != - && -n ${{_stakeworks_pos[$cmdpath]}} ]] || return
        ((${{#COMPREPLY[@]}})) && return
    fi
    read -r -a kinds <<< "${{_stakeworks_pos[$cmdpath]}}"
    _stakeworks_complete_kind "${{kinds[n]}}"
}}
complete -F _stakeworks {prog}
"""


def zsh(parser: argparse.ArgumentParser, prog: str = "stakeworks") -> str:
    nodes, values = walk(parser)

    def assoc(name: str, items: dict[str, str]) -> str:
        body = " ".join(f"{shlex.quote(k)} {shlex.quote(v)}" for k, v in items.items())
        return f"typeset -gA {name}; {name}=({body})"

    subs = {n.path or "-": " ".join(n.subcommands) for n in nodes if n.subcommands}
    helps = {f"{n.path} {name}".strip(): h for n in nodes for name, h in n.subcommands.items()}
    pos = {n.path or "-": " ".join(n.positionals) for n in nodes if n.positionals}
    opts = {n.path or "-": " ".join(n.options) for n in nodes}
    return f"""\
#compdef {prog}
# {prog} completion for zsh. Add to ~/.zshrc (after compinit):  eval "$({prog} completion zsh)"
{assoc("_stakeworks_subs", subs)}
{assoc("_stakeworks_help", helps)}
{assoc("_stakeworks_pos", pos)}
{assoc("_stakeworks_opts", opts)}
{assoc("_stakeworks_vals", values)}

_stakeworks_kind() {{
    local kind=$1 account=$2
    local -a names
    case $kind in
        contact) names=("${{(@f)$(command {prog} "${{store[@]}}" _complete contacts "$account" 2>/dev/null)}}")
                 compadd -M 'm:{{a-z}}={{A-Z}}' -a names ;;
        account|executive) names=("${{(@f)$(command {prog} "${{store[@]}}" _complete "${{kind}}s" 2>/dev/null)}}")
                 compadd -M 'm:{{a-z}}={{A-Z}}' -a names ;;
        file) _files ;;
        choice:*) compadd -- ${{(s:|:)kind#choice:}} ;;
    esac
}}

_stakeworks() {{
    local cmdpath=- account="" n=0 i w skip=0 lastopt=""
    local -a store kinds described
    for ((i = 2; i < CURRENT; i++)); do
        w=${{words[i]}}
        if ((skip)); then
            skip=0
            [[ $lastopt == --db || $lastopt == --config ]] && store+=("$lastopt" "$w")
            continue
        fi
        if [[ $w == -* ]]; then
            (( ${{+_stakeworks_vals[$w]}} )) && skip=1 && lastopt=$w
            continue
        fi
        if ((n == 0)) && [[ " ${{_stakeworks_subs[$cmdpath]}} " == *" $w "* ]]; then
            [[ $cmdpath == - ]] && cmdpath=$w || cmdpath="$cmdpath $w"
            continue
        fi
        n=$((n + 1))
        kinds=(${{=_stakeworks_pos[$cmdpath]}})
        [[ ${{kinds[n]}} == account ]] && account=${{(Q)w}}
    done
    if ((skip)); then
        _stakeworks_kind "${{_stakeworks_vals[$lastopt]}}" "$account"
        return
    fi
    if [[ $PREFIX == -* ]]; then
        compadd -- ${{=_stakeworks_opts[$cmdpath]}}
        return
    fi
    if ((n == 0)) && [[ -n ${{_stakeworks_subs[$cmdpath]}} ]]; then
        local sub key
        described=()
        for sub in ${{=_stakeworks_subs[$cmdpath]}}; do
            [[ $cmdpath == - ]] && key=$sub || key="$cmdpath $sub"
            described+=("$sub:${{_stakeworks_help[$key]}}")
        done
        _describe -t commands 'command' described
        [[ $cmdpath != - && -n ${{_stakeworks_pos[$cmdpath]}} ]] || return
    fi
    kinds=(${{=_stakeworks_pos[$cmdpath]}})
    _stakeworks_kind "${{kinds[n+1]}}" "$account"
}}
compdef _stakeworks {prog}
"""


# The state machine that reads the command line, and the completions it drives: the same for
# every parser (`{prog}` is filled in).
_FISH_FUNCTIONS = """\
# Prints: the command path, the kind of the word being typed, the account typed before it,
# how many arguments came after the command path, then any --db/--config to pass on.
function __stakeworks_state
    set -l words (commandline -opc)
    set -e words[1]
    set -l cmdpath ''
    set -l n 0
    set -l account ''
    set -l skip 0
    set -l store
    set -l lastopt ''
    for w in $words
        if test $skip -eq 1
            set skip 0
            contains -- $lastopt --db --config; and set store $store $lastopt $w
            continue
        end
        if string match -q -- '-*' $w
            if test -n "(__stakeworks_val $w)"
                set skip 1
                set lastopt $w
            end
            continue
        end
        if test $n -eq 0; and contains -- $w (__stakeworks_subs $cmdpath)
            set cmdpath (string trim -- "$cmdpath $w")
            continue
        end
        set n (math $n + 1)
        set -l kinds (__stakeworks_pos $cmdpath)
        if test (count $kinds) -ge $n; and test "$kinds[$n]" = account
            set account $w
        end
    end
    set -l kind none
    if test $skip -eq 1
        set kind (__stakeworks_val $lastopt)
        set n -1
    else
        set -l kinds (__stakeworks_pos $cmdpath)
        set -l next (math $n + 1)
        test (count $kinds) -ge $next; and set kind $kinds[$next]
    end
    printf '%s\\n' $cmdpath $kind $account $n $store
end

function __stakeworks_is --argument-names want
    set -l state (__stakeworks_state)
    string match -q -- $want $state[2]
end

function __stakeworks_at --argument-names want
    set -l state (__stakeworks_state)
    test "$state[1]" = "$want"; and test $state[4] -eq 0
end

function __stakeworks_names --argument-names what
    set -l state (__stakeworks_state)
    if test $what = contacts
        command {prog} $state[5..-1] _complete contacts $state[3] 2>/dev/null
    else
        command {prog} $state[5..-1] _complete $what 2>/dev/null
    end
end

function __stakeworks_choices
    set -l state (__stakeworks_state)
    string split '|' -- (string replace 'choice:' '' -- $state[2])
end

complete -c {prog} -f
complete -c {prog} -f -n '__stakeworks_is account' -a '(__stakeworks_names accounts)'
complete -c {prog} -f -n '__stakeworks_is contact' -a '(__stakeworks_names contacts)'
complete -c {prog} -f -n '__stakeworks_is executive' -a '(__stakeworks_names executives)'
complete -c {prog} -F -n '__stakeworks_is file'
complete -c {prog} -f -n '__stakeworks_is "choice:*"' -a '(__stakeworks_choices)'
"""


def fish(parser: argparse.ArgumentParser, prog: str = "stakeworks") -> str:
    nodes, values = walk(parser)
    q = shlex.quote

    def switch(name: str, cases: dict[str, list[str]]) -> list[str]:
        out = [f"function {name}", '    switch "$argv[1]"']
        for key, items in cases.items():
            out += [
                f"        case {q(key) if key else chr(34) * 2}",
                f"            printf '%s\\n' {' '.join(q(i) for i in items)}",
            ]
        return [*out, "    end", "end", ""]

    lines = [
        f"# {prog} completion for fish. Save as ~/.config/fish/completions/{prog}.fish, or:",
        f"#   {prog} completion fish | source",
        f"complete -c {prog} -e",
        "",
        *switch("__stakeworks_subs", {n.path: list(n.subcommands) for n in nodes if n.subcommands}),
        *switch("__stakeworks_pos", {n.path: n.positionals for n in nodes if n.positionals}),
        *switch("__stakeworks_val", {o: [k] for o, k in values.items()}),
        *_FISH_FUNCTIONS.format(prog=prog).splitlines(),
    ]
    for n in nodes:
        at = q("__stakeworks_at " + (q(n.path) if n.path else "''"))
        for name, help_text in n.subcommands.items():
            lines.append(f"complete -c {prog} -f -n {at} -a {q(name)} -d {q(help_text or name)}")
        for opt in n.options:
            if opt.startswith("--"):
                lines.append(f"complete -c {prog} -n {at} -l {q(opt[2:])}")
    return "\n".join(lines) + "\n"


SHELLS = {"bash": bash, "zsh": zsh, "fish": fish}
