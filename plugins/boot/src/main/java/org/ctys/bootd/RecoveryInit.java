package org.ctys.bootd;

/**
 * The programs of the recovery system, busybox sh scripts: {@code /init} (PID 1: the steps of one
 * job, in order), the functions it uses ({@link #FUNCTIONS}, a file of their own so they can be
 * tried on any machine with busybox) and udhcpc's script (busybox ships none).
 *
 * <p>Every stage and every failure is one {@code ctys-recovery: ...} line on the console, which
 * SOL shows. The token travels only inside the TLS connection: openssl reads the request from a
 * file after the handshake, and with {@code -verify_return_error} a certificate that does not
 * verify ends the handshake before that.
 */
final class RecoveryInit {
    /** Where /init finds {@link #FUNCTIONS}. */
    static final String FUNCTIONS_PATH = "/lib/ctys/recovery.sh";
    static final String UDHCPC_SCRIPT_PATH = "/etc/udhcpc.script";

    private RecoveryInit() {}

    /** PID 1. */
    static final String INIT = """
            #!/bin/sh
            # PID 1 of the ctys recovery system: fetch this machine's one job over verified HTTPS, run it,
            # post its result, power off (ctys.keep=1: stay up with a shell on the console).
            export PATH=/sbin:/bin:/usr/sbin:/usr/bin
            mount -t proc proc /proc
            mount -t sysfs sysfs /sys
            mount -t devtmpfs devtmpfs /dev
            . @FUNCTIONS@
            TMP=/run/ctys
            mkdir -p -m 700 $TMP
            say "started, kernel $(uname -r)"
            # read now (quietly) only to prefer the card with the job's MAC; reported after DHCP
            read_job /proc/cmdline /etc/ctys/job

            load_nic_drivers
            say "network drivers: $(loaded_modules)"
            nic=$(choose_nic "$mac") || finish "no network card has a link"
            nicmac=$(cat /sys/class/net/$nic/address)
            say "dhcp on $nic ($nicmac)"
            udhcpc -i "$nic" -s @UDHCPC@ -n -q -t 5 -T 2 > $TMP/dhcp.log 2>&1 || finish "no DHCP lease on $nic"
            say "address $(ip -4 -o addr show dev "$nic" | awk '{print $4}')"

            [ -n "$origin" ] || finish "no job"
            server=$(cat /etc/ctys/server)
            check_job "$server" || finish "the job is unusable"
            say "job $job from $origin: server $host at $addr, port $port"
            printf '127.0.0.1 localhost\\n%s %s\\n' "$addr" "$host" > /etc/hosts

            say "fetching the script (certificate checked for $host against /etc/ctys/ca.crt)"
            http_request GET "/job/$job/script" > $TMP/request
            exchange $TMP/request $TMP/response || finish "$why"
            [ "$(http_code $TMP/response)" = 200 ] || finish "the server refused the script: $(http_refusal $TMP/response)"
            http_complete $TMP/response || finish "the script arrived cut short"
            http_body $TMP/response > $TMP/script
            # the result goes with the token the script came with (inside TLS), never with the job's own
            token=$(result_token $TMP/response) || finish "the server sent no usable result token with the script"
            say "script fetched ($(wc -c < $TMP/script) bytes), running it"
            (cd /tmp && sh $TMP/script) < /dev/null > $TMP/output 2>&1
            rc=$?
            say "script exit $rc ($(wc -c < $TMP/output) bytes of output)"

            say "posting the result"
            { echo "exit $rc"; cat $TMP/output; } > $TMP/result
            http_request POST "/job/$job/result" $TMP/result > $TMP/request
            exchange $TMP/request $TMP/response || finish "$why"
            [ "$(http_code $TMP/response)" = 200 ] || finish "the server refused the result: $(http_refusal $TMP/response)"
            say "result posted"
            finish
            """.replace("@FUNCTIONS@", FUNCTIONS_PATH).replace("@UDHCPC@", UDHCPC_SCRIPT_PATH);

    /** What /init uses; each function can be tried alone with busybox sh. */
    static final String FUNCTIONS = """
            # Functions of the ctys recovery system's /init.
            CA=${CA:-/etc/ctys/ca.crt}

            say() { echo "ctys-recovery: $*"; }

            # finish [WHY]: the last stage: says why (a failure, "no job"), then powers off, or with keep=1 stays up
            finish() {
              [ -n "$1" ] && say "$1"
              rm -f "$TMP/request"
              if [ "$keep" = 1 ]; then
                say "keep: the system stays up, a shell on the console"
                while :; do setsid cttyhack sh -i; sleep 1; done
              fi
              say "power off"
              sync
              poweroff -f
              while :; do sleep 60; done
            }

            job_value() {
              case $1 in
                url) url=$2;; addr) addr=$2;; job) job=$2;; mac) mac=$2;; token) token=$2;; keep) keep=$2;;
              esac
            }

            # read_job CMDLINE JOBFILE: url addr job mac token keep, and origin (empty: no job); the job file of
            # a CD image first, else the ctys.* words of the kernel command line (PXE); ctys.keep=1 from either
            read_job() {
              url= addr= job= mac= token= keep= origin=
              if [ -r "$2" ]; then
                origin=$2
                while IFS='=' read -r k v; do job_value "$k" "$v"; done < "$2"
              fi
              for w in $(cat "$1" 2>/dev/null); do
                case $w in
                  ctys.keep=1) keep=1;;
                  ctys.*=*) if [ "$origin" != "$2" ]; then k=${w%%=*}; job_value "${k#ctys.}" "${w#*=}"; origin="the kernel command line"; fi;;
                esac
              done
            }

            # check_job SERVER: the job is whole and names the server this image trusts; sets host and port
            check_job() {
              for v in url addr job token; do
                eval "[ -n \\"\\$$v\\" ]" || { say "the job from $origin has no $v"; return 1; }
              done
              case $url in
                https://*:*) ;;
                *) say "the job's url '$url' is not https://NAME:PORT"; return 1;;
              esac
              host=${url#https://}; host=${host%%/*}; port=${host##*:}; host=${host%:*}
              case $port in ''|*[!0-9]*) say "the job's url '$url' has no port number"; return 1;; esac
              [ "$host" = "$1" ] || { say "the job names the server $host, this image trusts only $1"; return 1; }
            }

            # load_nic_drivers: modprobe by each device's modalias; PCI first, then the virtio devices virtio_pci made
            load_nic_drivers() {
              for bus in pci virtio; do
                for f in /sys/bus/$bus/devices/*/modalias; do
                  [ -r "$f" ] && modprobe -q "$(cat "$f")"
                done
              done
            }

            loaded_modules() { cut -d' ' -f1 /proc/modules | tr '\\n' ' '; }

            # choose_nic [MAC]: brings every card up, waits (10 s at most) for a link; prints the card with MAC if it has
            # one, else the first card with a link
            choose_nic() {
              want=$(echo "$1" | tr 'A-F-' 'a-f:')
              for d in /sys/class/net/*; do [ "${d##*/}" = lo ] || ip link set "${d##*/}" up; done
              i=0
              while [ $i -lt 100 ]; do
                first=
                for d in /sys/class/net/*; do
                  [ "${d##*/}" = lo ] && continue
                  [ "$(cat $d/carrier 2>/dev/null)" = 1 ] || continue
                  [ "$(cat $d/address)" = "$want" ] && { echo "${d##*/}"; return 0; }
                  [ -n "$first" ] || first=${d##*/}
                done
                [ -n "$first" ] && [ $i -ge 10 ] && { echo "$first"; return 0; }
                sleep 0.1
                i=$((i + 1))
              done
              [ -n "$first" ] && { echo "$first"; return 0; }
              return 1
            }

            # http_request METHOD PATH [BODYFILE]: the request, HTTP/1.0 (the server closes after its answer)
            http_request() {
              printf '%s %s HTTP/1.0\\r\\nHost: %s:%s\\r\\nAuthorization: Bearer %s\\r\\nX-Ctys-Mac: %s\\r\\nConnection: close\\r\\n' \\
                "$1" "$2" "$host" "$port" "$token" "$nicmac"
              if [ -n "$3" ]; then
                printf 'Content-Type: text/plain\\r\\nContent-Length: %s\\r\\n\\r\\n' "$(wc -c < "$3")"
                cat "$3"
              else
                printf '\\r\\n'
              fi
            }

            # exchange REQUEST RESPONSE: one request over TLS to $host:$port, the certificate checked against the site
            # CA and the name; false with the reason in $why when no answer came
            exchange() {
              timeout 60 openssl s_client -connect "$host:$port" -servername "$host" -verify_hostname "$host" \\
                -CAfile "$CA" -verify_return_error -quiet < "$1" > "$2" 2> "$TMP/tls.err"
              tls=$?
              rm -f "$1"
              [ -s "$2" ] && return 0
              why=$(tls_failure "$TMP/tls.err" "$tls")
              return 1
            }

            # tls_failure ERRFILE STATUS: one line saying why openssl got no answer
            tls_failure() {
              detail=$(grep -m 1 -E 'verify error|verify failed|errno|error:' "$1" | tr -d '\\r')
              if grep -q -E 'verify error|certificate verify failed' "$1"; then
                echo "the server's certificate does not verify for $host against $CA ($detail): the token was not sent"
              elif [ "$2" = 143 ] || [ "$2" = 124 ]; then
                echo "no answer from $host ($addr) port $port within 60 s"
              else
                echo "cannot talk TLS to $host ($addr) port $port: ${detail:-openssl exit $2}"
              fi
            }

            http_code() { head -n 1 "$1" | tr -d '\\r' | cut -d' ' -f2; }

            # http_body RESPONSE: what follows the first empty line, byte for byte
            http_body() {
              head_bytes=$(awk '{ n += length($0) + 1 } /^\\r?$/ { print n; exit }' "$1")
              [ -n "$head_bytes" ] && tail -c +$((head_bytes + 1)) "$1"
            }

            # http_header RESPONSE NAME: the value of the header NAME (any case) of the response's head, or nothing
            http_header() {
              tr -d '\r' < "$1" | awk -v name="$2" '/^$/ { exit } NR > 1 { i = index($0, ":")
                if (i > 1 && tolower(substr($0, 1, i - 1)) == tolower(name)) { v = substr($0, i + 1); sub(/^[ \t]+/, "", v); sub(/[ \t]+$/, "", v); print v; exit } }'
            }

            # result_token RESPONSE: the token the script's answer carries for the result (base64url), or false
            result_token() {
              t=$(http_header "$1" @RESULT@)
              case $t in ''|*[!A-Za-z0-9_-]*) return 1;; esac
              echo "$t"
            }

            # http_complete RESPONSE: the body is as long as Content-Length says (a connection cut short is no script)
            http_complete() {
              length=$(tr -d '\\r' < "$1" | awk 'tolower($1) == "content-length:" { print $2; exit } /^$/ { exit }')
              [ -z "$length" ] || [ "$length" = "$(http_body "$1" | wc -c)" ]
            }

            # http_refusal RESPONSE: the status line and the first line of the body
            http_refusal() { echo "$(head -n 1 "$1" | tr -d '\\r'): $(http_body "$1" | head -n 1)"; }
            """.replace("@RESULT@", TokenRules.RESULT_TOKEN);

    /** udhcpc's script: the address and default route of the lease, nothing else (no DNS: /etc/hosts names the server). */
    static final String UDHCPC_SCRIPT = """
            #!/bin/sh
            case $1 in
              deconfig) ip -4 addr flush dev "$interface"; ip link set "$interface" up;;
              bound|renew)
                ip -4 addr flush dev "$interface"
                ip addr add "$ip/${mask:-24}" dev "$interface"
                [ -n "$router" ] && ip route add default via "${router%% *}" dev "$interface"
                ;;
            esac
            exit 0
            """;
}
