#!/bin/sh
# In the VM: a simulated GPIO chip of 32 lines through configfs, then CHECK on its line 17.
set -e
mount -t configfs configfs /sys/kernel/config
mkdir -p /sys/kernel/config/gpio-sim/door/bank0
echo 32 > /sys/kernel/config/gpio-sim/door/bank0/num_lines
echo 1 > /sys/kernel/config/gpio-sim/door/live
chip=$(cat /sys/kernel/config/gpio-sim/door/bank0/chip_name)
dev=$(cat /sys/kernel/config/gpio-sim/door/dev_name)
echo "gpio-sim: $chip on $dev"
"$1" "$chip" "/sys/devices/platform/$dev/$chip/sim_gpio17/pull"
