# bash completion for ctys; generated from the command model by org.ctys.cli.Docs, do not edit.
# Use: source bin/ctys-completion.bash (or copy it to /etc/bash_completion.d/ctys).
_ctys_actions() {
    case "${1^^}" in
        BOOT) echo "create list cancel" ;;
        CLI) echo "create" ;;
        CONSOLE) echo "create list" ;;
        GTERM) echo "create" ;;
        KVM) echo "create cancel list enumerate" ;;
        PM) echo "create cancel list" ;;
        SERIAL) echo "create" ;;
        SOL) echo "create" ;;
        VNC) echo "create" ;;
        XEN) echo "create cancel list enumerate" ;;
        XTERM) echo "create" ;;
    esac
}
_ctys_suboptions() {
    case "${1^^}:${2^^}" in
        BOOT:CREATE) echo "script: via: timeout: keep console: server: watchdog" ;;
        BOOT:LIST) echo "server:" ;;
        BOOT:CANCEL) echo "job: all server:" ;;
        CLI:CREATE) echo "cmd: timeout:" ;;
        CONSOLE:CREATE) echo "spy force replay: since: server:" ;;
        CONSOLE:LIST) echo "server:" ;;
        GTERM:CREATE) echo "label:" ;;
        KVM:CREATE) echo "label: file: reuse connect console: force ping: sshping: timeout:" ;;
        KVM:CANCEL) echo "label: all poweroff reboot reset suspend resume pause force timeout:" ;;
        KVM:LIST) echo "" ;;
        KVM:ENUMERATE) echo "" ;;
        PM:CREATE) echo "label: tcp: mac: wol: ipmi broadcast: port: if: bmac: console: reuse connect resume ping: sshping: boot: timeout:" ;;
        PM:CANCEL) echo "label: stack force self poweroff: reboot reset init: suspend pause timeout: wol if: broadcast: ipmi" ;;
        PM:LIST) echo "" ;;
        SERIAL:CREATE) echo "dev: speed: parity: bits: stop: flow:" ;;
        SOL:CREATE) echo "force" ;;
        VNC:CREATE) echo "label: display: start reuse connect foreground" ;;
        XEN:CREATE) echo "label: file: reuse connect console: force ping: sshping: timeout:" ;;
        XEN:CANCEL) echo "label: all poweroff reboot reset suspend resume pause force timeout:" ;;
        XEN:LIST) echo "" ;;
        XEN:ENUMERATE) echo "" ;;
        XTERM:CREATE) echo "label:" ;;
    esac
}
_ctys() {
    local cur prev type i
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    for ((i = 1; i < COMP_CWORD; i++)); do
        [[ ${COMP_WORDS[i]} == -t ]] && type=${COMP_WORDS[i+1]}
    done
    case $prev in
        -t) COMPREPLY=($(compgen -W "boot cli console gterm kvm pm serial sol vnc xen xterm" -- "${cur,,}")); return ;;
        -T) COMPREPLY=($(compgen -W "all boot cli console gterm kvm pm serial sol vnc xen xterm" -- "${cur,,}")); return ;;
        --output) COMPREPLY=($(compgen -W "text json stream" -- "$cur")); return ;;
        -z) COMPREPLY=($(compgen -W "PTY NOPTY" -- "$cur")); return ;;
        -b) COMPREPLY=($(compgen -W "sync async seq par" -- "$cur")); return ;;
        --inventory|--log) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        -a)
            if [[ $cur == *=* ]]; then
                local action=${cur%%=*} rest=${cur#*=} head="" s
                [[ $rest == *,* ]] && head=${rest%,*}, && rest=${rest##*,}
                COMPREPLY=()
                for s in $(_ctys_suboptions "$type" "$action"); do
                    [[ $s == "${rest,,}"* ]] && COMPREPLY+=("$action=$head$s")
                done
                compopt -o nospace 2>/dev/null
            else
                COMPREPLY=($(compgen -W "$(_ctys_actions "$type")" -- "${cur,,}"))
            fi
            return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "-t -T -a -l -b -J -F --accept-new-host-keys -d -n --dry-run -z -Y -X --output --max-output --inventory --parallel --timeout --log -v --verbose -q --quiet --version -h --help" -- "$cur"))
    else
        COMPREPLY=($(compgen -A hostname -- "$cur"))
    fi
}
complete -F _ctys ctys
