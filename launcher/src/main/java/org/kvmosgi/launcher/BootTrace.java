package org.kvmosgi.launcher;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;

/**
 * {@code KVMSH_BOOT_TRACE=1 ./kvmsh ...}: where a boot's time goes. The launcher marks its
 * phases (from the process's start to the framework's stop); a synchronous bundle listener
 * times each bundle's start and stop. The table goes to stderr when kvmsh ends.
 */
final class BootTrace implements SynchronousBundleListener {
    /** The environment variable that turns the trace on. */
    static final String VARIABLE = "KVMSH_BOOT_TRACE";

    private record Mark(String what, long nanos) {}

    private final long origin = System.nanoTime();
    private final long processMillis;
    private final List<Mark> phases = new ArrayList<>();
    private final List<Mark> bundles = new ArrayList<>();
    private final Map<Long, Long> since = new ConcurrentHashMap<>();
    private long last = origin;

    private BootTrace() {
        Instant started = ProcessHandle.current().info().startInstant().orElse(Instant.now());
        processMillis = Duration.between(started, Instant.now()).toMillis();
    }

    /** The trace when the environment asks for one, else null. */
    static BootTrace fromEnvironment() {
        String v = System.getenv(VARIABLE);
        return v == null || v.isEmpty() || v.equals("0") ? null : new BootTrace();
    }

    /** The phase that ends now. */
    synchronized void phase(String what) {
        long now = System.nanoTime();
        phases.add(new Mark(what, now - last));
        last = now;
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        Bundle b = event.getBundle();
        switch (event.getType()) {
        case BundleEvent.STARTING, BundleEvent.STOPPING -> since.put(b.getBundleId(), System.nanoTime());
        case BundleEvent.STARTED, BundleEvent.STOPPED -> {
            Long t0 = since.remove(b.getBundleId());
            if (t0 != null) {
                synchronized (this) {
                    bundles.add(new Mark((event.getType() == BundleEvent.STARTED ? "start " : "stop  ")
                            + b.getSymbolicName(), System.nanoTime() - t0));
                }
            }
        }
        default -> {
            // installs and resolves are part of the phases
        }
        }
    }

    synchronized void print(PrintStream err) {
        err.printf("kvmsh boot trace (ms)%n%8d  JVM start to main%n", processMillis);
        for (Mark m : phases) {
            err.printf("%8.1f  %s%n", m.nanos / 1e6, m.what);
        }
        err.printf("%8.1f  total in main%n", (last - origin) / 1e6);
        for (Mark m : bundles) {
            err.printf("%8.1f    %s%n", m.nanos / 1e6, m.what);
        }
    }
}
