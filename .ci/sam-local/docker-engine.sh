#!/usr/bin/env bash
# A Docker engine of its own for `sam local`, with everything it keeps under one state folder.
#
#   docker-engine.sh start <state-dir>   install what is missing, start dockerd, print DOCKER_HOST=...
#   docker-engine.sh stop <state-dir>    stop that dockerd and its containerd; nothing is left running
#
# start installs Debian's docker.io, qemu-user-static and binfmt-support with apt when they are missing,
# lets the kernel run arm64 binaries through qemu (the functions are arm64, the machine may not be),
# and starts dockerd with its pid file, data root, exec root and socket all under <state-dir>, so that
# it shares nothing with any other engine on the machine and `rm -rf <state-dir>` after stop removes
# every image and container it held. dockerd runs with --iptables=false --ip-masq=false: it touches no
# firewall rule; containers still reach the host at the bridge's gateway (172.17.0.1 by default).
# Both subcommands are idempotent: start on a running engine prints its DOCKER_HOST again, stop on a
# stopped one does nothing. Every step prints the seconds it took. Needs root (apt, mount, dockerd).
set -euo pipefail

usage() {
  echo "usage: $0 start|stop <state-dir>" >&2
  exit 2
}
[ $# -eq 2 ] || usage
command=$1
state_dir=$2
case "$command" in start | stop) ;; *) usage ;; esac
mkdir -p "$state_dir"
state_dir=$(cd "$state_dir" && pwd -P)

pidfile="$state_dir/dockerd.pid"
socket="$state_dir/docker.sock"
data_root="$state_dir/data"
exec_root="$state_dir/exec"
log_file="$state_dir/dockerd.log"
# dockerd 20.10 starts its own containerd under the exec root and writes its pid there.
containerd_pidfile="$exec_root/containerd/containerd.pid"
containerd_socket="$exec_root/containerd/containerd.sock"
docker_host="unix://$socket"

# A unix socket's path is limited to 107 bytes; fail clearly instead of dockerd's terse error.
if [ ${#socket} -gt 100 ]; then
  echo "docker-engine: state dir path too long for a socket ($socket)" >&2
  exit 1
fi

step_started=0
step() {
  step_started=$SECONDS
  echo "docker-engine: $*"
}
done_step() { echo "docker-engine:   ... $((SECONDS - step_started)) s"; }

# The pid in a pid file when that process is alive and runs the named program, else nothing.
live_pid() {
  local file=$1 program=$2 pid exe
  [ -s "$file" ] || return 0
  pid=$(tr -dc '0-9' <"$file")
  [ -n "$pid" ] || return 0
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null || true)
  case "$exe" in */"$program" | */"$program (deleted)") echo "$pid" ;; esac
}

engine_answers() { docker -H "$docker_host" info >/dev/null 2>&1; }

wait_for_exit() { # pid seconds
  local pid=$1 limit=$2 waited=0
  while [ -d "/proc/$pid" ] && [ $waited -lt $((limit * 10)) ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  [ ! -d "/proc/$pid" ]
}

stop_pid() { # pid name
  local pid=$1 name=$2
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_for_exit "$pid" 30; then
    echo "docker-engine: $name ($pid) still running after 30 s, killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
    wait_for_exit "$pid" 10 || {
      echo "docker-engine: $name ($pid) did not exit" >&2
      return 1
    }
  fi
}

# containerd-shim processes of this engine's containerd (a shim outlives a killed containerd).
shim_pids() {
  local proc pid
  for proc in /proc/[0-9]*; do
    pid=${proc#/proc/}
    case "$(readlink "$proc/exe" 2>/dev/null || true)" in */containerd-shim*) ;; *) continue ;; esac
    local cmdline
    cmdline=$(tr '\0' ' ' <"$proc/cmdline" 2>/dev/null || true)
    case "$cmdline" in *"$containerd_socket"*) echo "$pid" ;; esac
  done
}

child_pids() { # parent-pid
  local status
  for status in /proc/[0-9]*/status; do
    if [ "$(awk '$1 == "PPid:" { print $2 }' "$status" 2>/dev/null || true)" = "$1" ]; then
      status=${status#/proc/}
      echo "${status%/status}"
    fi
  done
}

start() {
  local missing=() package
  for package in docker.io qemu-user-static binfmt-support; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$package")
    fi
  done
  if [ ${#missing[@]} -gt 0 ]; then
    step "installing ${missing[*]}"
    # Keep apt from starting Debian's own docker service (with its default /var/lib/docker): a
    # policy-rc.d that forbids starting services, only for as long as this install runs.
    local own_policy=
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
      chmod 755 /usr/sbin/policy-rc.d
      own_policy=yes
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$state_dir/apt.log" 2>&1; then
      [ -z "$own_policy" ] || rm -f /usr/sbin/policy-rc.d
      tail -n 20 "$state_dir/apt.log" >&2
      exit 1
    fi
    [ -z "$own_policy" ] || rm -f /usr/sbin/policy-rc.d
    done_step
  fi

  if [ "$(uname -m)" != aarch64 ]; then
    step "letting the kernel run arm64 binaries with qemu"
    if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
      mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
    fi
    if [ "$(head -n 1 /proc/sys/fs/binfmt_misc/qemu-aarch64 2>/dev/null || true)" != enabled ]; then
      update-binfmts --enable qemu-aarch64
    fi
    done_step
  fi

  local pid
  pid=$(live_pid "$pidfile" dockerd)
  if [ -n "$pid" ] && engine_answers; then
    echo "docker-engine: dockerd already running ($pid)"
    echo "DOCKER_HOST=$docker_host"
    return 0
  fi

  step "starting dockerd in $state_dir"
  if [ -z "$pid" ]; then
    # A pid file left by a dockerd that died (its containerd may live on): clear it all.
    local containerd_pid
    containerd_pid=$(live_pid "$containerd_pidfile" containerd)
    [ -z "$containerd_pid" ] || stop_pid "$containerd_pid" containerd
    rm -f "$pidfile" "$socket"
    mkdir -p "$data_root" "$exec_root"
    # setsid: the engine outlives this script and the shell that ran it, in a session of its own.
    setsid dockerd \
      --pidfile "$pidfile" \
      --data-root "$data_root" \
      --exec-root "$exec_root" \
      -H "$docker_host" \
      --iptables=false \
      --ip-masq=false \
      </dev/null >>"$log_file" 2>&1 &
    pid=$!
  fi
  local waited=0
  until engine_answers; do
    if [ ! -d "/proc/$pid" ]; then
      echo "docker-engine: dockerd exited; the end of $log_file:" >&2
      tail -n 20 "$log_file" >&2
      exit 1
    fi
    if [ $waited -ge 600 ]; then
      echo "docker-engine: dockerd ($pid) did not answer within 60 s; the end of $log_file:" >&2
      tail -n 20 "$log_file" >&2
      exit 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  done_step
  echo "DOCKER_HOST=$docker_host"
}

stop() {
  local pid containerd_pid shim
  pid=$(live_pid "$pidfile" dockerd)
  # Read before dockerd goes: dockerd removes its containerd's pid file when it stops it.
  containerd_pid=$(live_pid "$containerd_pidfile" containerd)
  if [ -n "$pid" ]; then
    step "stopping dockerd ($pid)"
    # dockerd stops its containers (10 s grace each) and its containerd on SIGTERM.
    stop_pid "$pid" dockerd
    done_step
  else
    echo "docker-engine: no dockerd running for $state_dir"
  fi
  if [ -n "$containerd_pid" ] && [ -d "/proc/$containerd_pid" ]; then
    step "stopping containerd ($containerd_pid)"
    stop_pid "$containerd_pid" containerd
    done_step
  fi
  # Left only when dockerd or containerd was killed: a shim per container, still the parent of that
  # container's first process. Killing that process ends its pid namespace, so the whole container.
  for shim in $(shim_pids); do
    step "stopping a leftover container and its containerd-shim ($shim)"
    local child
    for child in $(child_pids "$shim"); do kill -KILL "$child" 2>/dev/null || true; done
    stop_pid "$shim" containerd-shim
    done_step
  done
  # Mounts dockerd leaves only when it was killed (overlay layers, netns), so that rm -rf works.
  local mountpoint
  for mountpoint in $(awk -v dir="$state_dir/" 'index($2, dir) == 1 { print $2 }' /proc/mounts | sort -r); do
    umount "$mountpoint" 2>/dev/null || umount -l "$mountpoint"
  done
  rm -f "$pidfile" "$socket"
}

"$command"
