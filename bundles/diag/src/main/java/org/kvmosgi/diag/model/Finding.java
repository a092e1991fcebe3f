package org.kvmosgi.diag.model;

import java.util.List;

/**
 * One node of a "why" answer: a statement, the facts that show it (dmesg lines, leaks,
 * counts) and the findings that explain it. A finding without causes is a root cause.
 */
public record Finding(String summary, List<String> evidence, List<Finding> causes) {
    public Finding {
        evidence = List.copyOf(evidence);
        causes = List.copyOf(causes);
    }

    public static Finding fact(String summary, String... evidence) {
        return new Finding(summary, List.of(evidence), List.of());
    }

    public boolean isRoot() {
        return causes.isEmpty();
    }

    /** The root causes below this finding, depth first. */
    public List<Finding> roots() {
        if (causes.isEmpty()) {
            return List.of(this);
        }
        return causes.stream().flatMap(c -> c.roots().stream()).toList();
    }
}
