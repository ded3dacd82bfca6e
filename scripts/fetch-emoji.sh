#!/usr/bin/env bash
# Fetches Google's Noto emoji at 64x64 (npm package emoji-datasource-google; the images are
# Google's Noto Emoji, Apache-2.0) into a folder for E4: java -jar target/wgan.jar --preset
# e4-wgan-gp --data DIR. Needs npm; wgan itself does not. The skin-tone variants (file names with
# a modifier, U+1F3FB to U+1F3FF) are left out: they repeat their base image in five tints.
# Transparent pixels are composited over white when wgan reads the images (docs/experiments.md).
set -euo pipefail
dir=${1:-out/emoji}
version=16.0.0
command -v npm > /dev/null || { echo "fetch-emoji: npm is needed (apt-get install npm)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# npm checks the tarball against the registry's SHA-512 integrity.
(cd "$tmp" && npm pack --silent "emoji-datasource-google@$version" > /dev/null)
tar -xzf "$tmp/emoji-datasource-google-$version.tgz" -C "$tmp" package/img/google/64
mkdir -p "$dir"
find "$tmp/package/img/google/64" -name '*.png' | grep -v -E -- '-1f3f[b-f]' | xargs cp -t "$dir"
cat > "$dir/SOURCE.txt" << NOTE
Google Noto Emoji, 64x64 PNG, from the npm package emoji-datasource-google@$version
(https://www.npmjs.com/package/emoji-datasource-google), skin-tone variants left out.
Images: Apache License 2.0 (https://github.com/googlefonts/noto-emoji).
NOTE
echo "fetch-emoji: $(find "$dir" -name '*.png' | wc -l) images in $dir"
