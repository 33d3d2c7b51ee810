#!/usr/bin/env bash
# Downloads SimplerEnv's own robot, object and cabinet meshes (with their textures, collision meshes and model
# databases) from the public ManiSkill2_real2sim repository at the commit SimplerEnv pins, verifies every file
# against scripts/simpler-assets.sha256, and writes them under an asset root that mirrors the repository's paths.
# The project does not ship them (Apache-2.0, © the SimplerEnv authors; LICENSE is fetched alongside).
#
#   scripts/fetch-assets.sh                      # into ${VLASER_CACHE_DIR:-~/.cache/vlaser-eval}/simpler-assets
#   VLASER_ASSETS_DIR=/data/simpler scripts/fetch-assets.sh
#
# VLASER_ASSETS_BASE_URL overrides the source (a mirror, or file:// for an offline copy). Files already present
# with the right checksum are kept; the overlay photos are fetched by scripts/fetch-overlays.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
commit=ef7a4d4fdf4b69f2c2154db5b15b9ac8dfe10682
base=${VLASER_ASSETS_BASE_URL:-https://raw.githubusercontent.com/simpler-env/ManiSkill2_real2sim/$commit}
dest=${VLASER_ASSETS_DIR:-${VLASER_CACHE_DIR:-$HOME/.cache/vlaser-eval}/simpler-assets}
list="$here/simpler-assets.sha256"

command -v sha256sum >/dev/null || { echo "fetch-assets: need sha256sum (coreutils)" >&2; exit 2; }
download() {  # url → file, via curl or wget; 1 when the source does not have it
  if command -v curl >/dev/null; then curl -fsSL --retry 3 -o "$2" "$1" 2>/dev/null
  elif command -v wget >/dev/null; then wget -q -O "$2" "$1"
  else echo "fetch-assets: need curl or wget" >&2; exit 2; fi
}
verified() {  # file sha256 size → 0 when the file matches
  [ -f "$1" ] && [ "$(stat -c %s "$1")" = "$3" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]
}

got=0 kept=0 absent=()
while read -r sha size path; do
  case "$sha" in ''|'#'*) continue ;; esac
  out="$dest/$path"
  if [ "$sha" != "-" ] && verified "$out" "$sha" "$size"; then kept=$((kept + 1)); continue; fi
  mkdir -p "$(dirname "$out")"
  if ! download "$base/$path" "$out.part"; then
    rm -f "$out.part"
    if [ "$sha" = "-" ]; then absent+=("$path"); continue; fi
    echo "fetch-assets: cannot download $base/$path" >&2; exit 1
  fi
  if [ "$sha" = "-" ]; then
    # No pinned checksum exists for blobs missing from public mirrors; a Git LFS pointer is not a mesh.
    if head -c 64 "$out.part" | grep -q "git-lfs"; then rm -f "$out.part"; absent+=("$path"); continue; fi
    echo "fetch-assets: note: $path has no pinned checksum (absent from the mirrors the list was made from); kept unverified" >&2
  elif ! verified "$out.part" "$sha" "$size"; then
    echo "fetch-assets: $base/$path: checksum or size mismatch (expected $size bytes, sha256 $sha)" >&2
    rm -f "$out.part"; exit 1
  fi
  mv "$out.part" "$out"
  got=$((got + 1))
done < "$list"
for p in "${absent[@]}"; do echo "fetch-assets: note: $p is not available from $base (its model falls back, see docs/rendering.md)" >&2; done
echo "fetch-assets: $got downloaded, $kept already present, ${#absent[@]} unavailable, in $dest"
