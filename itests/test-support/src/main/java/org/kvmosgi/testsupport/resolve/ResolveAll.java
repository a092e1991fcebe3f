package org.kvmosgi.testsupport.resolve;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The activator of a tiny bundle {@code KvmOsgi.module(...)} adds after a module bundle
 * it installs without starting: it resolves every installed bundle, so that the module
 * bundle is RESOLVED (not INSTALLED) when Pax Exam checks, with
 * {@code pax.exam.osgi.unresolved.fail=true}, that everything resolved.
 */
public final class ResolveAll implements BundleActivator {
    @Override
    public void start(BundleContext context) {
        context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(null);
    }

    @Override
    public void stop(BundleContext context) {
        // nothing to undo
    }
}
