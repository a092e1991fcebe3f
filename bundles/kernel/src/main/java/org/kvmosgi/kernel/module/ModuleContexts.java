package org.kvmosgi.kernel.module;

import org.kvmosgi.kernel.api.host.Host;
import org.kvmosgi.kernel.dev.Devices;
import org.kvmosgi.kernel.inject.FailFunction;
import org.kvmosgi.kernel.kmod.RequestModule;
import org.kvmosgi.kernel.printk.KernelLog;

/**
 * What a module's init and exit reach of the kernel (printk, the host, its fault points,
 * misc devices, module references, request_module): the load and the unload make each
 * module's {@link ModuleContextImpl} from it.
 */
public final class ModuleContexts {
    final KernelLog log;
    final Host host;
    final FailFunction failFunction;
    final Devices devices;
    final References refs;
    final RequestModule requestModule;
    /** nr_threads and threads-max of the modules' kernel threads. */
    final KThreads kthreads = new KThreads();

    public ModuleContexts(KernelLog log, Host host, FailFunction failFunction, Devices devices, References refs,
            RequestModule requestModule) {
        this.log = log;
        this.host = host;
        this.failFunction = failFunction;
        this.devices = devices;
        this.refs = refs;
        this.requestModule = requestModule;
    }

    /** The context {@code mod}'s init or exit runs with. */
    ModuleContextImpl of(KModule mod) {
        return new ModuleContextImpl(this, mod);
    }
}
