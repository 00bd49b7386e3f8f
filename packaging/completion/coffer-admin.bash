# bash completion for coffer-admin (man 8 coffer-admin): every command and option of
# `coffer-admin --help` and of each command's --help.
declare -gA _coffer_admin_commands=(
  [_]="user session share audit stats tls backup fsck gc versions trash"
  [user]="add invite list disable enable delete quota"
  [session]="list revoke"
  [share]="list revoke"
  [tls]="init"
  [backup]="create list verify restore"
  [versions]="prune"
  [trash]="expire"
)
declare -gA _coffer_admin_options=(
  [_]="--config:file --data:dir --json --version --help"
  [user add]="--admin --password-file:file --quota:"
  [user invite]="--admin"
  [audit]="--since: --limit:"
  [tls init]="--dir:dir --name: --days:"
  [backup create]="--keep:"
  [backup verify]="--snapshot:"
  [backup restore]="--data:dir --snapshot:"
  [fsck]="--repair"
  [gc]="--grace:"
  [versions prune]="--now: --dry-run --user:"
  [trash expire]="--now: --dry-run"
)
declare -gA _coffer_admin_operands=(
  [backup create]=dir
  [backup list]=dir
  [backup verify]=dir
  [backup restore]=dir
)
_coffer_admin() { _coffer_complete _coffer_admin; }
complete -F _coffer_admin coffer-admin
