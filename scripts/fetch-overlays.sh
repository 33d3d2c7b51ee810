#!/usr/bin/env bash
# Downloads the SimplerEnv "visual matching" overlay photos (inpainted real-robot backgrounds,
# simplerenv-tasks.md §1.4) from the public ManiSkill2_real2sim repository into a cache directory.
# The project does not ship them (Apache-2.0, © the SimplerEnv authors; the LICENSE is fetched alongside).
#
#   scripts/fetch-overlays.sh            # into ${VLASER_CACHE_DIR:-~/.cache/vlaser-eval}/overlays
#   VLASER_OVERLAY_DIR=/data/ov scripts/fetch-overlays.sh
#
# VLASER_OVERLAY_BASE_URL overrides the source (a mirror, or file:// for offline copies).
set -euo pipefail
commit=ef7a4d4fdf4b69f2c2154db5b15b9ac8dfe10682
base=${VLASER_OVERLAY_BASE_URL:-https://raw.githubusercontent.com/simpler-env/ManiSkill2_real2sim/$commit/data/real_inpainting}
dest=${VLASER_OVERLAY_DIR:-${VLASER_CACHE_DIR:-$HOME/.cache/vlaser-eval}/overlays}
files=(bridge_real_eval_1.png bridge_sink.png google_coke_can_real_eval_1.png google_move_near_real_eval_1.png)
for c in a0 a1 a2 b0 b1 b2 c0 c1 c2; do files+=("open_drawer_$c.png"); done

mkdir -p "$dest"
fetch() {  # url → file, via curl or wget, atomically
  local tmp="$2.part"
  if command -v curl >/dev/null; then curl -fsSL --retry 3 -o "$tmp" "$1"
  elif command -v wget >/dev/null; then wget -q -O "$tmp" "$1"
  else echo "fetch-overlays: need curl or wget" >&2; exit 2; fi
  mv "$tmp" "$2"
}
n=0
for f in "${files[@]}"; do
  if [ -s "$dest/$f" ]; then continue; fi
  fetch "$base/$f" "$dest/$f" || { echo "fetch-overlays: cannot download $base/$f" >&2; rm -f "$dest/$f.part"; exit 1; }
  # Every file must be a PNG (a proxy error page is not).
  if [ "$(head -c 8 "$dest/$f" | od -An -tx1 | tr -d ' \n')" != "89504e470d0a1a0a" ]; then
    echo "fetch-overlays: $base/$f is not a PNG" >&2; rm -f "$dest/$f"; exit 1
  fi
  n=$((n + 1))
done
# The licence of the photos (the repository's root LICENSE).
license_url=${base%/data/real_inpainting}/LICENSE
[ -s "$dest/LICENSE" ] || fetch "$license_url" "$dest/LICENSE" 2>/dev/null || echo "fetch-overlays: note: LICENSE not fetched from $license_url" >&2
echo "fetch-overlays: $n downloaded, ${#files[@]} present in $dest"
