package org.kvmosgi.kvmtool.command;

import java.util.Dictionary;
import java.util.Hashtable;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kvmtool.vmm.VmTable;
import org.osgi.annotation.bundle.Header;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Registers the commands as Gogo services: {@code vm create ...} (function {@code vm})
 * and each subcommand as {@code vm:create}, {@code vm:run}, ... The bundle is the VMM
 * process: stopping it closes its VMs' fds, as a process exit does.
 */
@Header(name = "Bundle-Activator", value = "${@class}")
public final class Activator implements BundleActivator {
    private final VmTable vms = new VmTable();

    @Override
    public void start(BundleContext context) {
        Kvmtool tool = new Kvmtool(() -> {
            ServiceReference<Syscalls> ref = context.getServiceReference(Syscalls.class);
            return ref == null ? null : context.getService(ref);
        }, vms);
        VmCommand vm = new VmCommand(tool);
        register(context, vm, "kvmtool", "vm");
        register(context, vm.create(), "vm", "create");
        register(context, vm.run(), "vm", "run");
        register(context, vm.list(), "vm", "list");
        register(context, vm.stat(), "vm", "stat");
        register(context, vm.destroy(), "vm", "destroy");
        register(context, vm.vcpu(), "vm", "vcpu");
        register(context, vm.lock(), "vm", "lock");
    }

    private static void register(BundleContext context, Object command, String scope, String function) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.command.scope", scope);
        props.put("osgi.command.function", new String[] {function});
        context.registerService(Object.class, command, props);
    }

    @Override
    public void stop(BundleContext context) {
        vms.closeAll();
    }
}
