#!/bin/bash
# Issue 17 items 1 and 5: commit-to-present latency, the same clients on zcomp and on
# weston 14, in this one boot, on vkms (real vblank events). Rows:
#   scanout     zc-dmabuf fullscreen, vkms dumb buffers (zcomp: the primary plane)
#   pixman      zc-shm fullscreen (wl_shm: never scanned out), composited by pixman
#   gl          the same, composited by the GL renderer (llvmpipe)
#   fifo        zc-dmabuf fullscreen with --fifo (set_barrier + wait_barrier on every
#               commit, no frame callbacks; weston offers no fifo: frame callbacks there)
# Compositors: "zcomp-old" is zcomp with --repaint-window=0 (a repaint at once and frame
# callbacks at the present: what zcomp did before the deadline scheduling), "zcomp" the
# default (a repaint at the deadline before the refresh, frame callbacks timed before it),
# weston 14 with its default repaint window (7 ms).
# Columns: latency p50/p99 (client: commit to wp_presentation_feedback.presented),
# missed (frames presented more than 1.25 refreshes after the first refresh they could
# have made), zero-copy (frames flagged ZERO_COPY), compositor CPU (utime + stime of the
# whole process, llvmpipe threads included) per presented frame.
# Numbers only: it fails on errors (a client or compositor failing), never on speed.
# zc-vm-timeout: 1200
set -u
. "$ZC_SOURCE_DIR/tests/vm/kms-lib.sh"
B=$ZC_BUILD_DIR
export MESA_SHADER_CACHE_DIR=$PWD/shader-cache
DEV=$(card_of_driver vkms) || { echo "no vkms card"; exit 1; }
FRAMES=${ZC_LATENCY_FRAMES:-120}
HZ=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
: > results
rc=0

# The connector's preferred mode: fullscreen buffers the size of it can be scanned out.
MODE=$(cat /sys/class/drm/"${DEV#/dev/dri/}"-Virtual-*/modes 2>/dev/null | head -1)
MODE=${MODE:-1024x768}
DMABUF=("$B/clients/zc-dmabuf" -S dumb -d vkms -s "$MODE" -b 3)
# Fullscreen: weston's kiosk shell makes every window fullscreen, so zcomp does too.
SHM=("$B/clients/zc-shm" --fullscreen)

# field NAME LINE: a client summary's value (zc-dmabuf "NAME V", zc-shm "NAME=V").
field() { sed -n "s/.*[ _]$1[ =]\([0-9.]*\).*/\1/p" <<<"$2" | head -1; }

# measure ROW COMPOSITOR PID CLIENT...: a warm-up run, then the measured one.
measure() {
  local row=$1 comp=$2 pid=$3 try out t0 t1 frames p50 p99 missed zc
  shift 3
  for try in 1 2 3 4 5; do
    timeout 120 "$@" --frames 10 > warmup.log 2>&1 && break
  done
  [ $try -lt 5 ] || { echo "$comp/$row: warm-up failed"; cat warmup.log; return 1; }
  t0=$(ticks "$pid")
  out=$(timeout 300 "$@" --frames "$FRAMES" 2>&1) ||
    { echo "$comp/$row: client failed"; echo "$out"; return 1; }
  t1=$(ticks "$pid")
  out=$(grep -E 'zc-(dmabuf|shm)' <<<"$out")
  echo "$comp/$row: $out"
  frames=$(field presented "$out")
  [ "${frames:-0}" -gt 0 ] || { echo "$comp/$row: nothing presented"; return 1; }
  if grep -q 'latency p50' <<<"$out"; then
    p50=$(sed -n 's/.*latency p50 \([0-9.]*\) ms.*/\1/p' <<<"$out")
    p99=$(sed -n 's/.* p99 \([0-9.]*\) ms.*/\1/p' <<<"$out")
    zc=$(sed -n 's/.* zero-copy \([0-9]*\) .*/\1/p' <<<"$out")
  else
    p50=$(sed -n 's/.*latency_p50=\([0-9.]*\)ms.*/\1/p' <<<"$out")
    p99=$(sed -n 's/.*latency_p99=\([0-9.]*\)ms.*/\1/p' <<<"$out")
    zc=-
  fi
  missed=$(sed -n 's/.*missed[ =]\([0-9]*\).*/\1/p' <<<"$out")
  echo "$row|$comp|$p50|$p99|$missed/$frames|$zc|$(echo "scale=2; ($t1 - $t0) * 1000 / $HZ / $frames" | bc)" >> results
}

# zcomp_rows NAME ROWS ZCOMP-ARGS...: one zcomp, the clients of ROWS (comma list).
zcomp_rows() {
  local name=$1 rows=$2 r=0
  shift 2
  zcomp_start "$DEV" "$OUT/$name.log" --log-level=info "$@" || return 1
  case ,$rows, in *,scanout,*) measure scanout "$name" "$ZCOMP_PID" "${DMABUF[@]}" || r=1 ;; esac
  case ,$rows, in *,fifo,*) measure fifo "$name" "$ZCOMP_PID" "${DMABUF[@]}" --fifo || r=1 ;; esac
  case ,$rows, in *,pixman,*) measure pixman "$name" "$ZCOMP_PID" "${SHM[@]}" || r=1 ;; esac
  case ,$rows, in *,gl,*) measure gl "$name" "$ZCOMP_PID" "${SHM[@]}" || r=1 ;; esac
  zcomp_stop || r=1
  grep 'repaints aimed' "$OUT/$name.log"
  return $r
}

# weston_rows NAME ROWS WESTON-ARGS...
weston_rows() {
  local name=$1 rows=$2 sock=weston-lat r=0
  shift 2
  command -v weston > /dev/null || { echo "weston is not installed (scripts/deps.sh)"; return 1; }
  weston_start "$DEV" $sock "$OUT/$name-$rows.log" "$@" || return 1
  local pid=$WESTON_PID
  case ,$rows, in *,scanout,*) WAYLAND_DISPLAY=$sock measure scanout "$name" $pid "${DMABUF[@]}" || r=1 ;; esac
  case ,$rows, in *,fifo,*) WAYLAND_DISPLAY=$sock measure fifo "$name" $pid "${DMABUF[@]}" --fifo || r=1 ;; esac
  case ,$rows, in *,pixman,*) WAYLAND_DISPLAY=$sock measure pixman "$name" $pid "${SHM[@]}" || r=1 ;; esac
  case ,$rows, in *,gl,*) WAYLAND_DISPLAY=$sock measure gl "$name" $pid "${SHM[@]}" || r=1 ;; esac
  kill $pid; wait $pid
  return $r
}

zcomp_rows zcomp-old scanout,fifo,pixman --repaint-window=0 || rc=1
zcomp_rows zcomp scanout,fifo,pixman || rc=1
zcomp_rows zcomp-old gl -r gl --repaint-window=0 || rc=1
zcomp_rows zcomp gl -r gl || rc=1
weston_rows weston pixman --renderer=pixman || rc=1
weston_rows weston scanout,fifo,gl || rc=1

echo "=== commit-to-present on vkms $MODE, $FRAMES frames a row (TCG guest: compare within the table)"
printf '%-8s %-10s %9s %9s %9s %9s %12s\n' row compositor 'p50 ms' 'p99 ms' missed zero-copy 'CPU ms/fr'
for row in scanout pixman gl fifo; do
  grep "^$row|" results | while IFS='|' read -r r c p50 p99 missed zc cpu; do
    printf '%-8s %-10s %9s %9s %9s %9s %12s\n' "$r" "$c" "$p50" "$p99" "$missed" "$zc" "$cpu"
  done
done
exit $rc
