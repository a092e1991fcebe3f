package org.kvmosgi.diag.model;

import java.util.function.Consumer;

/**
 * Prints a {@link Finding} root cause first, as Felix's {@code rootcause} does: the
 * answer in one line, then each chain of causes from its root up to the answer.
 *
 * <pre>
 * mod_importer is not loaded
 *   root cause: mod_exporter: its last load failed with -ENOMEM (Cannot allocate memory) at mod_exporter:init, host intel
 *       dmesg: mod_exporter: out of memory
 *   so: mod_importer: its last load failed with -ENOENT ... at loader:simplify_symbols
 * </pre>
 */
public final class WhyPrinter {
    private final Consumer<String> out;

    public WhyPrinter(Consumer<String> out) {
        this.out = out;
    }

    public void print(Finding f) {
        out.accept(f.summary());
        f.evidence().forEach(e -> out.accept("    " + e));
        for (Finding c : f.causes()) {
            branch(c);
        }
    }

    private void branch(Finding f) {
        // the deepest causes come first: what the user must fix is on top
        for (Finding c : f.causes()) {
            branch(c);
        }
        out.accept("  " + (f.isRoot() ? "root cause: " : "so: ") + f.summary());
        f.evidence().forEach(e -> out.accept("      " + e));
    }
}
