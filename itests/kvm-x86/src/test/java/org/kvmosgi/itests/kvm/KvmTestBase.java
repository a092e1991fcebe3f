package org.kvmosgi.itests.kvm;

import static org.junit.Assert.assertNotNull;
import static org.ops4j.pax.exam.CoreOptions.composite;

import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.After;
import org.junit.Before;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kvm.api.x86.KvmX86OpsView;
import org.kvmosgi.testsupport.KvmOsgi;
import org.kvmosgi.testsupport.kit.Kernel;
import org.kvmosgi.testsupport.kit.Shell;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * What the KVM tests share: the kvm-x86 feature (its modules in /lib/modules, its
 * bundles kvm-api and kvmtool started), test-support's kit on the injected services
 * ({@code sh} runs shell lines, {@code kernel} reads dmesg and /proc/modules), the
 * installed kvm_x86_ops, and a cleanup that unloads the KVM modules.
 */
public abstract class KvmTestBase {

    @Inject
    protected BundleContext context;

    @Inject
    protected Syscalls sys;

    @Inject
    protected CommandProcessor processor;

    protected Shell sh;
    protected Kernel kernel;

    /** The platform on {@code host} with the kvm-x86 feature: modules laid out, its bundles provisioned. */
    static Option kvmX86(String host) {
        return kvmX86(host, "kvm-x86", "");
    }

    /**
     * The platform on {@code host} with an x86 layout's feature (kvm-x86, kvm-x86-monolithic,
     * kvm-x86-library) and a kernel command line. The system property {@code kvm.dispatch}
     * (set by the pom's executions {@code dispatch-ops}, {@code dispatch-direct}) adds
     * {@code kvm.dispatch=} to it, so that the whole suite runs under each style.
     */
    static Option kvmX86(String host, String feature, String cmdline) {
        List<Option> opts = new ArrayList<>(List.of(KvmOsgi.platform(), KvmOsgi.host(host), KvmOsgi.feature(feature),
                KvmOsgi.featureBundles(feature)));
        String style = System.getProperty("kvm.dispatch");
        String line = (cmdline + (style == null ? "" : " kvm.dispatch=" + style)).trim();
        if (!line.isEmpty()) {
            opts.add(KvmOsgi.cmdline(line));
        }
        return composite(opts.toArray(new Option[0]));
    }

    @Before
    public void kitAndClearLog() {
        sh = new Shell(processor);
        kernel = new Kernel(sys);
        kernel.clearDmesg();
    }

    @After
    public void unloadKvm() {
        kernel.unload("kvmgt", "kvm_intel", "kvm_amd", "kvm");
    }

    /** The installed kvm_x86_ops, through kvm.ko's exported symbol {@code kvm_x86_ops}. */
    protected KvmX86OpsView ops() throws Exception {
        ServiceReference<?>[] refs = context.getAllServiceReferences(null, "(kernel.symbol=kvm_x86_ops)");
        assertNotNull("kvm_x86_ops is exported while kvm is loaded", refs);
        return (KvmX86OpsView) context.getService(refs[0]);
    }

    protected boolean devKvmExists() {
        try {
            sys.close(sys.open("/dev/kvm"));
            return true;
        } catch (ErrnoException e) {
            return false;
        }
    }
}
