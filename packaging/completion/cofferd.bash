# bash completion for cofferd (man 8 cofferd): every option of `cofferd --help`.
declare -gA _cofferd_commands=()
declare -gA _cofferd_options=(
  [_]="--config:file --data:dir --listen: --web-root:dir --check --version --help"
)
declare -gA _cofferd_operands=()
_cofferd() { _coffer_complete _cofferd; }
complete -F _cofferd cofferd
