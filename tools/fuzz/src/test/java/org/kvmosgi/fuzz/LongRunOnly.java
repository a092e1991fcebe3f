package org.kvmosgi.fuzz;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/** The long property runs only when asked for ({@code -Dfuzz.long=true}): the build keeps to its seeded minute. */
public class LongRunOnly implements SkipExecutionHook {
    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        return Boolean.getBoolean("fuzz.long") ? SkipResult.doNotSkip() : SkipResult.skip("-Dfuzz.long=true runs it");
    }
}
