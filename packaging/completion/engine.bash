# The completion engine the packaged completions share (CMake puts it before each program's
# table: build/packaging/completion/PROGRAM). A program's table is three associative arrays,
# keyed by the command path ("_" for the program itself, "trash list" for a subcommand):
#   <prefix>_commands[PATH]  its subcommands
#   <prefix>_options[PATH]   its options: --flag, --opt: (a value), --opt:file, --opt:dir
#   <prefix>_operands[PATH]  what its operands are: file, dir, or nothing to offer
# The program's options (path "_") are offered after any command too: CLI11's fallthrough
# accepts them there.

# _coffer_option_spec PREFIX PATH OPTION: prints the option's spec (--opt:kind) if PATH or the
# program knows it.
_coffer_option_spec() {
  local -n options_of="$1_options"
  local spec
  for spec in ${options_of[${2:-_}]} ${options_of[_]}; do
    if [[ ${spec%%:*} == "$3" ]]; then
      printf '%s\n' "$spec"
      return
    fi
  done
}

# _coffer_complete_kind KIND WORD: files, folders or nothing.
_coffer_complete_kind() {
  case $1 in
    file) _filedir ;;
    dir) _filedir -d ;;
  esac
}

# _coffer_complete PREFIX: completes the current word of a command line against PREFIX's table.
_coffer_complete() {
  local cur prev words cword
  _init_completion -n = || return
  local -n commands_of="$1_commands"
  local -n operands_of="$1_operands"
  local -n options_here="$1_options"
  local path="" i word spec
  for ((i = 1; i < cword; i++)); do
    word=${words[i]}
    if [[ $word == -* ]]; then
      spec=$(_coffer_option_spec "$1" "$path" "${word%%=*}")
      [[ $spec == *:* && $word != *=* ]] && ((i++))
      continue
    fi
    if [[ " ${commands_of[${path:-_}]} " == *" $word "* ]]; then
      path=${path:+$path }$word
    fi
  done

  if [[ $cur == --*=* ]]; then
    spec=$(_coffer_option_spec "$1" "$path" "${cur%%=*}")
    cur=${cur#*=}
    _coffer_complete_kind "${spec#*:}"
    return
  fi
  if [[ $prev == -* ]]; then
    spec=$(_coffer_option_spec "$1" "$path" "$prev")
    if [[ $spec == *:* ]]; then
      _coffer_complete_kind "${spec#*:}"
      return
    fi
  fi
  if [[ $cur == -* ]]; then
    local names=() option
    for option in ${options_here[${path:-_}]} ${path:+${options_here[_]}}; do names+=("${option%%:*}"); done
    mapfile -t COMPREPLY < <(compgen -W "${names[*]}" -- "$cur")
    return
  fi
  if [[ -n ${commands_of[${path:-_}]} ]]; then
    mapfile -t COMPREPLY < <(compgen -W "${commands_of[${path:-_}]}" -- "$cur")
    return
  fi
  _coffer_complete_kind "${operands_of[${path:-_}]}"
}
