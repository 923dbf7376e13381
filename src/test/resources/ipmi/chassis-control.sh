#!/bin/bash
# ipmi_sim's chassis_control program for one simulated BMC, written into its work directory by
# IpmiSim. ipmi_sim runs it through popen(), so it must answer at once: the BMC waits meanwhile.
#
#   chassis-control <mc> get <parm>...           prints "<parm>:<value>" per parm (power, boot)
#   chassis-control <mc> set <parm> <value>...   power 0|1, reset 1, boot none|pxe|default|cdrom|bios,
#                                                shutdown 1 (ACPI soft off), identify "<interval> <force>"
#
# The power state lives in the file "power", the boot device in "boot"; every set is appended to
# actions.log ("power 1", "reset", "boot pxe", "shutdown", "identify 15 0"). A soft off powers
# off after SOFT_OFF_MS milliseconds, or never when it is -1 (an OS that ignores ACPI); the delay
# is settled whenever the power is read, so no process outlives the call.
set -u
PATH=/usr/sbin:/usr/bin:/sbin:/bin
dir='@DIR@'
soft_off_ms=@SOFT_OFF_MS@

exec 9>>"$dir/chassis.lock"
flock 9

now_ms() { date +%s%3N; }

power() {
    if [[ -f $dir/soft-off-at ]] && (( $(now_ms) >= $(<"$dir/soft-off-at") )); then
        echo 0 > "$dir/power"
        rm -f "$dir/soft-off-at"
    fi
    cat "$dir/power"
}

record() { echo "$*" >> "$dir/actions.log"; }

fail() { echo "$*"; exit 1; }

(( $# >= 2 )) || fail "usage: $0 <mc> get|set <parm> [<value>]..."
op=$2
shift 2
case $op in
get)
    for parm in "$@"; do
        case $parm in
        power) echo "power:$(power)" ;;
        boot) echo "boot:$(<"$dir/boot")" ;;
        *) fail "cannot get $parm" ;;
        esac
    done
    ;;
set)
    while (( $# )); do
        (( $# >= 2 )) || fail "no value for $1"
        parm=$1
        val=$2
        shift 2
        case $parm in
        power)
            [[ $val == [01] ]] || fail "invalid power value $val"
            rm -f "$dir/soft-off-at"
            echo "$val" > "$dir/power"
            record "power $val"
            ;;
        reset)
            record reset
            ;;
        boot)
            echo "$val" > "$dir/boot"
            record "boot $val"
            ;;
        shutdown)
            record shutdown
            if [[ $(power) == 1 ]]; then
                if (( soft_off_ms == 0 )); then
                    echo 0 > "$dir/power"
                elif (( soft_off_ms > 0 )) && [[ ! -f $dir/soft-off-at ]]; then
                    echo $(( $(now_ms) + soft_off_ms )) > "$dir/soft-off-at"
                fi
            fi
            ;;
        identify)
            record "identify $val"
            ;;
        *)
            fail "cannot set $parm"
            ;;
        esac
    done
    ;;
*)
    fail "unknown operation $op"
    ;;
esac
