#!/usr/bin/env bash
# Checks C and C++ formatting against the .clang-format of each language
# area: the files this branch changed since it left main, or, on main itself
# (nothing changed) or with --all, every file.  Exit 0 clean, 1 a file
# needs clang-format, 77 no clang-format 19 (skipped).
#
#   scripts/check-format.sh [--all] [--fix]
set -euo pipefail
cd "$(dirname "$0")/.."
all= fix=
for a in "$@"; do
  case $a in
    --all) all=1 ;;
    --fix) fix=1 ;;
    *) echo "usage: $0 [--all] [--fix]" >&2; exit 2 ;;
  esac
done
cf=$(command -v clang-format-19 || true)
if [ -z "$cf" ] && command -v clang-format >/dev/null && clang-format --version | grep -q "version 19"; then
  cf=$(command -v clang-format)
fi
[ -n "$cf" ] || { echo "SKIP: clang-format 19 not found (apt install clang-format-19)"; exit 77; }

pattern='\.(c|h|cpp)$'
files=()
if [ -z "$all" ]; then
  base=
  for ref in main origin/main; do
    base=$(git merge-base HEAD "$ref" 2>/dev/null) && break
  done
  if [ -n "$base" ]; then
    changed=$(git diff --name-only --diff-filter=ACMR "$base" HEAD)
    while IFS= read -r f; do files+=("$f"); done < <(grep -E "$pattern" <<<"$changed" || true)
  fi
  [ ${#files[@]} -gt 0 ] && echo "checking the ${#files[@]} C/C++ files changed since $(git rev-parse --short "$base")"
fi
if [ ${#files[@]} -eq 0 ]; then
  tracked=$(git ls-files)
  while IFS= read -r f; do files+=("$f"); done < <(grep -E "$pattern" <<<"$tracked")
  echo "checking all ${#files[@]} C/C++ files"
fi
if [ -n "$fix" ]; then
  "$cf" -i "${files[@]}"
  exit 0
fi
bad=()
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  "$cf" --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ ${#bad[@]} -gt 0 ]; then
  echo "not formatted (run: scripts/check-format.sh --fix, or $cf -i FILE):"
  printf '  %s\n' "${bad[@]}"
  exit 1
fi
echo "formatted"
