package org.kvmosgi.diag.command;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.felix.service.command.Descriptor;
import org.kvmosgi.console.api.CommandFailure;
import org.kvmosgi.console.api.Words;
import org.kvmosgi.diag.model.Checks;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code invariants}: the kernel's consistency rules and user space's (see {@link Checks}),
 * one violation a line; fails when one is violated.
 */
@Component(service = InvariantsCommand.class, property = {"osgi.command.scope=diag",
        "osgi.command.function=invariants"})
public class InvariantsCommand {
    static final String KERNEL = "/sys/kernel/debug/kvmosgi/invariants";

    @Reference
    Syscalls sys;
    private BundleContext context;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
    }

    @Descriptor("check the kernel's consistency (refcounts, symbols, services, devices, leaks, /dev/kvm, ops, BUGs)")
    public void invariants(String... args) {
        args = Words.of(args);
        if (args != null && args.length > 0) {
            throw new CommandFailure("invariants: usage: invariants (takes no arguments)");
        }
        List<String> kernel = KernelAccess.read(sys, KERNEL, "invariants").lines().filter(l -> !l.isBlank()).toList();
        List<String> violations = Checks.check(KernelAccess.snapshot(sys, context), kernel, opsOwners(context),
                sys.syslog(false));
        if (violations.isEmpty()) {
            System.out.println("invariants: all hold");
            return;
        }
        violations.forEach(System.out::println);
        throw new CommandFailure("invariants: " + violations.size() + " violated", 1);
    }

    /**
     * The ops tables in use: exported symbols named {@code *_ops} (kvm_x86_ops, ...) whose
     * value tells its owner through a public {@code name()} or {@code getName()} ("" or
     * null when none is installed). Read by reflection: the diag bundle must not need KVM's headers to run.
     * Public for the explorer, which runs these checks without a shell.
     */
    public static Map<String, String> opsOwners(BundleContext context) {
        Map<String, String> out = new TreeMap<>();
        ServiceReference<?>[] refs;
        try {
            refs = context.getServiceReferences((String) null, "(kernel.symbol=*_ops)");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (refs == null) {
            return out;
        }
        for (ServiceReference<?> ref : refs) {
            Object ops = context.getService(ref);
            if (ops == null) {
                continue;
            }
            try {
                String owner = ownerOf(ops);
                if (owner != null) {
                    out.put(String.valueOf(ref.getProperty("kernel.symbol")), owner);
                }
            } finally {
                context.ungetService(ref);
            }
        }
        return out;
    }

    /** name() or getName() through a public interface of the value, or null when it has neither. */
    static String ownerOf(Object ops) {
        for (String method : new String[] {"name", "getName"}) {
            String owner = call(ops, method);
            if (owner != null) {
                return owner;
            }
        }
        return null;
    }

    private static String call(Object ops, String method) {
        for (Class<?> c = ops.getClass(); c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                try {
                    Method m = i.getMethod(method);
                    if (m.getReturnType() == String.class && m.getParameterCount() == 0) {
                        Object v = m.invoke(ops);
                        return v == null ? "" : v.toString();
                    }
                } catch (NoSuchMethodException e) {
                    // not this interface
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
