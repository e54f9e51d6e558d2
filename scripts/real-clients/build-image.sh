#!/usr/bin/env bash
# Builds the real-clients test image, `taskdeck-test/real-clients:latest`, with no image registry:
# Debian bookworm from Debian's packages (mmdebstrap: AWS CLI v2, botocore/boto3, PostgreSQL 15,
# Redis 7, BusyBox), plus the host's Node.js 20 with the AWS SDK for JavaScript v3 credential
# providers and OpenTelemetry's AWS resource detector from npm (versions pinned by this folder's
# package-lock.json) in /opt/clients (the working directory, so ES module imports resolve there).
# The probe scripts are not baked in: tests pass them as the container's command, so changing a
# probe never rebuilds the image.
# Cached: the image is tagged with a hash of everything that goes into it and rebuilt only when
# that changes. Needs root (mmdebstrap, docker).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
image=taskdeck-test/real-clients
log() { printf '[real-clients] %s\n' "$*" >&2; }

packages=awscli,python3-boto3,postgresql,postgresql-client,redis-server,redis-tools,busybox,ca-certificates,libstdc++6
node_bin=$(readlink -f "$(command -v node)")
hash=$( (cat "$here/build-image.sh" "$here/package-lock.json"; node --version) | sha256sum | cut -c1-16)

if docker image inspect "$image:$hash" >/dev/null 2>&1; then
  docker tag "$image:$hash" "$image:latest"
  log "$image:$hash is built"
  exit 0
fi
command -v mmdebstrap >/dev/null 2>&1 || {
  log "installing mmdebstrap"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >/dev/null
}

work=$(mktemp -d /tmp/taskdeck-real-clients-XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/clients"
cp "$here/package.json" "$here/package-lock.json" "$work/clients/"
log "npm ci for the Node.js clients"
(cd "$work/clients" && npm ci --omit=dev --no-audit --no-fund --loglevel=error)

log "mmdebstrap bookworm ($packages); a few minutes"
started=$(date +%s)
mmdebstrap --quiet --variant=apt --include="$packages" \
  --customize-hook="copy-in $node_bin /usr/local/bin" \
  --customize-hook="copy-in $work/clients /opt" \
  --customize-hook='chroot "$1" sh -c "chmod 1777 /tmp && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin"' \
  bookworm "$work/rootfs.tar"
docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING=1' \
  --change 'WORKDIR /opt/clients' \
  --change 'CMD ["/bin/sh"]' \
  "$work/rootfs.tar" "$image:$hash" >/dev/null
docker tag "$image:$hash" "$image:latest"
# Older builds of this image are only taking space.
for old in $(docker images "$image" --format '{{.Tag}}'); do
  case "$old" in latest | "$hash") ;; *) docker rmi "$image:$old" >/dev/null 2>&1 || true ;; esac
done
log "built $image:$hash in $(($(date +%s) - started)) s"
