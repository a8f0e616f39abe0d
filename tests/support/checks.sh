# Sourced by the shell tests: `check DESCRIPTION COMMAND...` runs the command, prints "pass:" or
# "FAIL:" with the description, and sets failed=1 on a failure; a test ends with `exit $failed`.
failed=0
check() {
  local what=$1; shift
  if "$@"; then echo "pass: $what"; else echo "FAIL: $what"; failed=1; fi
}
