package org.ctys.spi;

import java.util.List;

/**
 * A fully validated command: which action of which plugin, its suboptions, the resolved
 * targets (empty means the local host) and the generic options.
 */
public record ActionRequest(String type, ActionSpec action, Suboptions suboptions, List<Target> targets,
                            GenericOptions options) {

    public ActionRequest {
        targets = List.copyOf(targets);
    }

    public String actionName() { return action.name(); }
}
