# bash completion for coffer (man 1 coffer): every command and option of `coffer --help` and
# of each command's --help.
declare -gA _coffer_client_commands=(
  [_]="login logout register passwd sessions account mount unmount status sync versions restore ls trash share unshare shares whois trust link fernet"
  [sessions]="revoke"
  [account]="delete"
  [trash]="list restore empty"
  [share]="rotate"
  [link]="list revoke"
  [fernet]="genkey encrypt decrypt"
)
declare -gA _coffer_client_options=(
  [_]="--profile:dir --version --help"
  [login]="--server: --user: --password-file:file --device: --accept-fingerprint:"
  [logout]="--force"
  [register]="--server: --invite: --password-file:file --device: --accept-fingerprint:"
  [passwd]="--password-file:file --new-password-file:file"
  [sessions]="--json"
  [sessions revoke]="--all-others --password-file:file"
  [account delete]="--password-file:file --yes-delete-everything"
  [mount]="--foreground -o:"
  [unmount]="--timeout:"
  [status]="--json"
  [sync]="--timeout:"
  [versions]="--json"
  [restore]="--version: --to:file"
  [ls]="--at: --json"
  [trash list]="--json"
  [trash restore]="--to:file"
  [trash empty]="--older-than:"
  [share]="--read --write --manage"
  [unshare]="--rotate"
  [shares]="--json"
  [whois]="--json"
  [link]="--expires: --max-downloads: --password --password-file:file --base-url: --json"
  [link list]="--json"
  [fernet encrypt]="--key-file:file --now:"
  [fernet decrypt]="--key-file:file --ttl: --now:"
)
declare -gA _coffer_client_operands=(
  [mount]=dir
  [unmount]=dir
  [versions]=file
  [restore]=file
  [ls]=dir
  [trash restore]=file
  [share]=file
  [share rotate]=file
  [unshare]=file
  [link]=file
)
_coffer_client() { _coffer_complete _coffer_client; }
complete -F _coffer_client coffer
