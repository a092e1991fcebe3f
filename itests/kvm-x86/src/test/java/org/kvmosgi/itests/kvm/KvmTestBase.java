package org.kvmosgi.itests.kvm;

import static org.junit.Assert.*;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;

import java.nio.file.Path;
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
import org.kvmosgi.testsupport.kit.Shell;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * What the KVM tests share: the kvm-x86 feature (its modules in /lib/modules, its
 * bundles kvm-api and kvmtool started), commands through a Gogo session, dmesg, the
 * installed kvm_x86_ops, and a cleanup that unloads the KVM modules.
 */
public abstract class KvmTestBase {

    @Inject
    protected BundleContext context;

    @Inject
    protected Syscalls sys;

    @Inject
    protected CommandProcessor processor;

    /** The platform on {@code host} with the kvm-x86 feature: modules laid out, its bundles provisioned. */
    static Option kvmX86(String host) {
        return kvmX86(host, "kvm-x86", "");
    }

    /**
     * The platform on {@code host} with an x86 layout's feature (kvm-x86, kvm-x86-monolithic,
     * kvm-x86-library) and a kernel command line. The system property {@code kvm.dispatch}
     * ({@code mvn -Dkvm.dispatch=ops ...}) adds {@code kvm.dispatch=} to it, so that the whole
     * suite runs under one style.
     */
    static Option kvmX86(String host, String feature, String cmdline) {
        Option platform = KvmOsgi.platform();
        Option h = KvmOsgi.host(host);
        Option modules = KvmOsgi.feature(feature);
        List<Option> opts = new ArrayList<>(List.of(platform, h, modules));
        String style = System.getProperty("kvm.dispatch");
        String line = (cmdline + (style == null ? "" : " kvm.dispatch=" + style)).trim();
        if (!line.isEmpty()) {
            opts.add(KvmOsgi.cmdline(line));
        }
        // test-support lays out a module set's modules; its bundles (the KVM headers, the VMM) we start here
        for (Path b : KvmOsgi.distribution().bundles(KvmOsgi.distribution().feature(feature))) {
            opts.add(bundle(b.toUri().toString()));
        }
        return composite(opts.toArray(new Option[0]));
    }

    @Before
    public void clearLog() {
        sys.syslog(true);
    }

    @After
    public void unloadKvm() {
        for (String m : List.of("kvmgt", "kvm_intel", "kvm_amd", "kvm")) {
            try {
                sys.deleteModule(m, Syscalls.O_NONBLOCK);
            } catch (ErrnoException e) {
                // not loaded
            }
        }
    }

    /** A command's stdout; a failing command's message comes back as "FAIL: msg". */
    protected String run(String line) throws Exception {
        Shell.Result r = new Shell(processor).run(line);
        return r.failure() == null ? r.out() : "FAIL: " + r.failure();
    }

    /** The kernel messages since the test began, without their timestamps. */
    protected List<String> dmesg() {
        List<String> out = new ArrayList<>();
        for (String l : sys.syslog(false)) {
            int i = l.indexOf("] ");
            out.add(i >= 0 ? l.substring(i + 2) : l);
        }
        return out;
    }

    /** /proc/modules fields of a module, or null. */
    protected String[] procModule(String module) throws ErrnoException {
        for (String line : sys.read("/proc/modules").split("\n")) {
            String[] f = line.split(" ");
            if (f[0].equals(module)) {
                return f;
            }
        }
        return null;
    }

    protected int refcnt(String module) throws ErrnoException {
        return Integer.parseInt(sys.read("/sys/module/" + module + "/refcnt").trim());
    }

    protected int errno(ThrowingCall call) {
        try {
            call.call();
            return 0;
        } catch (ErrnoException e) {
            return e.errno();
        }
    }

    protected interface ThrowingCall {
        void call() throws ErrnoException;
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
