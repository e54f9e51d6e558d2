#!/usr/bin/env bash
# Prepares a bare Debian machine for Taskdeck's test suites, idempotently:
# installs docker.io, busybox-static, chromium, xvfb, docker-registry and mmdebstrap; starts dockerd when none
# answers; starts a local registry (plain on :5000, basic-auth on :5001); builds the tiny local test
# images the suites use (no registry is reachable from here, so they are built from /bin/busybox
# and, for the real-clients image, from Debian's packages with mmdebstrap).
set -euo pipefail

log() { printf '[ci-setup] %s\n' "$*" >&2; }
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

need_pkgs=()
command -v dockerd >/dev/null 2>&1 || need_pkgs+=(docker.io)
[ -x /bin/busybox ] || need_pkgs+=(busybox-static)
command -v chromium >/dev/null 2>&1 || need_pkgs+=(chromium)
command -v Xvfb >/dev/null 2>&1 || need_pkgs+=(xvfb)
command -v docker-registry >/dev/null 2>&1 || need_pkgs+=(docker-registry)
command -v htpasswd >/dev/null 2>&1 || need_pkgs+=(apache2-utils)
command -v mmdebstrap >/dev/null 2>&1 || need_pkgs+=(mmdebstrap)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  log "installing ${need_pkgs[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

# --- dockerd -------------------------------------------------------------------------------
# overlay2 when the backing filesystem supports it (a container create costs ~15 ms there against
# 35-500 ms on vfs, which copies the image for every container); vfs otherwise. Override with
# TASKDECK_STORAGE_DRIVER=vfs|overlay2.
start_dockerd() { # driver
  $SUDO mkdir -p /var/log
  # setsid: the daemon must outlive this script and the test run's process group.
  $SUDO setsid dockerd --iptables=false --storage-driver="$1" >/var/log/taskdeck-dockerd.log 2>&1 < /dev/null &
  for _ in $(seq 1 120); do
    docker info >/dev/null 2>&1 && return 0
    pgrep -x dockerd >/dev/null 2>&1 || return 1
    sleep 0.5
  done
  return 1
}
stop_dockerd() {
  $SUDO pkill -x dockerd 2>/dev/null || true
  for _ in $(seq 1 60); do pgrep -x dockerd >/dev/null 2>&1 || return 0; sleep 0.5; done
  $SUDO pkill -9 -x dockerd 2>/dev/null || true
}
if ! docker info >/dev/null 2>&1; then
  drivers=("${TASKDECK_STORAGE_DRIVER:-overlay2}")
  [ -z "${TASKDECK_STORAGE_DRIVER:-}" ] && drivers+=(vfs)
  started=
  for driver in "${drivers[@]}"; do
    log "starting dockerd (storage driver $driver)"
    if start_dockerd "$driver" && [ "$(docker info -f '{{.Driver}}' 2>/dev/null)" = "$driver" ]; then
      started=$driver; break
    fi
    log "dockerd with $driver did not come up: $(tail -1 /var/log/taskdeck-dockerd.log)"
    stop_dockerd
  done
  [ -n "$started" ] || { log "dockerd did not come up; see /var/log/taskdeck-dockerd.log"; tail -20 /var/log/taskdeck-dockerd.log >&2; exit 1; }
fi
log "docker $(docker version --format '{{.Server.Version}}') answers (storage driver $(docker info -f '{{.Driver}}'))"

# --- local registries ----------------------------------------------------------------------
REG_DIR=/var/lib/taskdeck-test-registry
start_registry() { # name port extra-yaml
  local name=$1 port=$2 auth=$3
  if curl -fsS -o /dev/null "http://127.0.0.1:${port}/v2/" 2>/dev/null || curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:${port}/v2/" 2>/dev/null | grep -q 401; then
    return 0
  fi
  $SUDO mkdir -p "$REG_DIR/$name"
  {
    echo "version: 0.1"
    echo "storage: { filesystem: { rootdirectory: $REG_DIR/$name/data }, delete: { enabled: true } }"
    echo "http: { addr: '127.0.0.1:${port}' }"
    if [ "$auth" = yes ]; then
      echo "auth: { htpasswd: { realm: taskdeck-test, path: $REG_DIR/$name/htpasswd } }"
    fi
  } | $SUDO tee "$REG_DIR/$name/config.yml" >/dev/null
  if [ "$auth" = yes ]; then
    $SUDO htpasswd -Bbc "$REG_DIR/$name/htpasswd" taskdeck s3cret-pass >/dev/null 2>&1
  fi
  log "starting registry $name on 127.0.0.1:${port}"
  $SUDO setsid docker-registry serve "$REG_DIR/$name/config.yml" >"/var/log/taskdeck-registry-$name.log" 2>&1 < /dev/null &
  for _ in $(seq 1 60); do
    code=$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:${port}/v2/" 2>/dev/null || true)
    case "$code" in 200|401) return 0 ;; esac
    sleep 0.25
  done
  log "registry $name did not start"; tail -20 "/var/log/taskdeck-registry-$name.log" >&2; exit 1
}
command -v curl >/dev/null 2>&1 || { $SUDO apt-get install -y -qq curl >/dev/null; }
start_registry plain 5000 no
start_registry auth 5001 yes

# --- test images ---------------------------------------------------------------------------
build_rootfs() { # dir
  local root=$1
  rm -rf "$root"; mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/root" "$root/home" "$root/proc" "$root/sys" "$root/dev" "$root/data"
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] && continue
    ln -sf busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/sh\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
}

if ! docker image inspect taskdeck-test/busybox:latest >/dev/null 2>&1; then
  log "building taskdeck-test/busybox:latest"
  tmp=$(mktemp -d)
  build_rootfs "$tmp/rootfs"
  tar -C "$tmp/rootfs" -c . | docker import \
    -c 'CMD ["/bin/sh"]' -c 'ENV PATH=/bin' - taskdeck-test/busybox:latest >/dev/null
  rm -rf "$tmp"
fi
# A second tag with an image HEALTHCHECK that always fails: proves the task definition's check wins.
if ! docker image inspect taskdeck-test/busybox-imagecheck:latest >/dev/null 2>&1; then
  log "building taskdeck-test/busybox-imagecheck:latest"
  tmp=$(mktemp -d)
  printf 'FROM taskdeck-test/busybox:latest\nHEALTHCHECK --interval=1s CMD exit 1\n' > "$tmp/Dockerfile"
  DOCKER_BUILDKIT=0 docker build -q -t taskdeck-test/busybox-imagecheck:latest "$tmp" >/dev/null 2>&1
  rm -rf "$tmp"
fi
# Push to the local registries so pull/digest tests have a real source.
if ! curl -fsS "http://127.0.0.1:5000/v2/taskdeck/busybox/tags/list" 2>/dev/null | grep -q latest; then
  log "pushing to local registry 127.0.0.1:5000"
  docker tag taskdeck-test/busybox:latest 127.0.0.1:5000/taskdeck/busybox:latest
  docker push -q 127.0.0.1:5000/taskdeck/busybox:latest >/dev/null
  docker rmi 127.0.0.1:5000/taskdeck/busybox:latest >/dev/null
fi
if ! curl -fsS -u taskdeck:s3cret-pass "http://127.0.0.1:5001/v2/taskdeck/private/tags/list" 2>/dev/null | grep -q latest; then
  log "pushing to authenticated registry 127.0.0.1:5001"
  docker tag taskdeck-test/busybox:latest 127.0.0.1:5001/taskdeck/private:latest
  echo s3cret-pass | docker login -u taskdeck --password-stdin 127.0.0.1:5001 >/dev/null 2>&1
  docker push -q 127.0.0.1:5001/taskdeck/private:latest >/dev/null
  docker logout 127.0.0.1:5001 >/dev/null 2>&1 || true
  docker rmi 127.0.0.1:5001/taskdeck/private:latest >/dev/null
fi
# Real clients and real servers from Debian's packages and npm (issue 12): AWS CLI v2, botocore,
# the AWS SDK for JavaScript v3, OpenTelemetry's ECS detector, PostgreSQL, Redis. Cached by content.
bash "$(dirname "$0")/real-clients/build-image.sh"
log "ready"
