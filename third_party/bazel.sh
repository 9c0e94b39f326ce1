#!/usr/bin/env bash
# Runs Bazel with a writable output root: $HOME may be unset (Bazel then uses
# the passwd entry) or unwritable, in which case the cache goes under $TMPDIR.
startup=()
if [[ -n "${BAZEL_OUTPUT_USER_ROOT:-}" ]]; then
  startup+=(--output_user_root="$BAZEL_OUTPUT_USER_ROOT")
elif ! { home="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}"; mkdir -p "$home/.cache" 2>/dev/null && [[ -w "$home/.cache" ]]; }; then
  startup+=(--output_user_root="${TMPDIR:-/tmp}/bazel-$(id -u)")
fi
exec bazel "${startup[@]}" "$@" </dev/null
