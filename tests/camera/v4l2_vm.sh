#!/usr/bin/env bash
# A USB webcam's path on a real kernel: Debian's own vivid driver (a V4L2 webcam with raw formats only, so
# MJPEG is asked and YUYV granted) in a VM (tests/vm/run.sh), read by the daemon's Camera, unplugged with
# vivid's Disconnect control and back. Usage: v4l2_vm.sh CHECK CACHE_DIR
set -euo pipefail
here=$(dirname "$(realpath "$0")")
exec "$here/../vm/run.sh" "$2" 'vivid node_types=0x1 num_inputs=1 input_types=0' -- \
  "$(realpath "$1")" /dev/video0 640 480 "YUYV 640x480" v4l2-disconnect:/dev/video0
