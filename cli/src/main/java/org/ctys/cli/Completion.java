package org.ctys.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ctys.spi.ActionSpec;
import org.ctys.spi.Plugin;
import org.ctys.spi.SuboptionSpec;

/** A bash completion script made from the option table and the plugins' tables. */
final class Completion {

    private Completion() {}

    static String bash(Plugins plugins) {
        List<String> options = new ArrayList<>();
        for (Opt o : Opt.values()) options.addAll(o.names());
        StringBuilder b = new StringBuilder();
        b.append("# bash completion for ctys; generated from the command model by org.ctys.cli.Docs, do not edit.\n");
        b.append("# Use: source bin/ctys-completion.bash (or copy it to /etc/bash_completion.d/ctys).\n");
        b.append("_ctys_actions() {\n    case \"${1^^}\" in\n");
        for (Plugin p : plugins.all()) {
            List<String> actions = p.actions().stream().map(a -> a.name().toLowerCase(Locale.ROOT)).toList();
            b.append("        ").append(String.join("|", names(p))).append(") echo \"").append(String.join(" ", actions))
                    .append("\" ;;\n");
        }
        b.append("    esac\n}\n");
        b.append("_ctys_suboptions() {\n    case \"${1^^}:${2^^}\" in\n");
        for (Plugin p : plugins.all()) {
            for (ActionSpec a : p.actions()) {
                List<String> subs = new ArrayList<>();
                for (SuboptionSpec s : a.suboptions()) {
                    if (s.unavailable() != null) continue;
                    subs.add(s.isFlag() ? s.name().toLowerCase(Locale.ROOT) : s.name().toLowerCase(Locale.ROOT) + ":");
                }
                for (String n : names(p)) {
                    b.append("        ").append(n).append(':').append(a.name()).append(") echo \"")
                            .append(String.join(" ", subs)).append("\" ;;\n");
                }
            }
        }
        b.append("    esac\n}\n");
        b.append("""
                _ctys() {
                    local cur prev type i
                    cur=${COMP_WORDS[COMP_CWORD]}
                    prev=${COMP_WORDS[COMP_CWORD-1]}
                    for ((i = 1; i < COMP_CWORD; i++)); do
                        [[ ${COMP_WORDS[i]} == -t ]] && type=${COMP_WORDS[i+1]}
                    done
                    case $prev in
                        -t) COMPREPLY=($(compgen -W "%s" -- "${cur,,}")); return ;;
                        -T) COMPREPLY=($(compgen -W "all %s" -- "${cur,,}")); return ;;
                        --output) COMPREPLY=($(compgen -W "text json stream" -- "$cur")); return ;;
                        -z) COMPREPLY=($(compgen -W "PTY NOPTY" -- "$cur")); return ;;
                        -b) COMPREPLY=($(compgen -W "sync async seq par" -- "$cur")); return ;;
                        --inventory|--log) COMPREPLY=($(compgen -f -- "$cur")); return ;;
                        -a)
                            if [[ $cur == *=* ]]; then
                                local action=${cur%%%%=*} rest=${cur#*=} head="" s
                                [[ $rest == *,* ]] && head=${rest%%,*}, && rest=${rest##*,}
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
                        COMPREPLY=($(compgen -W "%s" -- "$cur"))
                    else
                        COMPREPLY=($(compgen -A hostname -- "$cur"))
                    fi
                }
                complete -F _ctys ctys
                """.formatted(types(plugins), types(plugins), String.join(" ", options)));
        return b.toString();
    }

    private static List<String> names(Plugin p) {
        List<String> n = new ArrayList<>();
        n.add(p.type());
        n.addAll(p.aliases());
        return n;
    }

    private static String types(Plugins plugins) {
        List<String> t = new ArrayList<>();
        for (Plugin p : plugins.all()) for (String n : names(p)) t.add(n.toLowerCase(Locale.ROOT));
        return String.join(" ", t);
    }
}
