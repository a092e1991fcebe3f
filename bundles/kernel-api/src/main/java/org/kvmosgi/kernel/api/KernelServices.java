package org.kvmosgi.kernel.api;

import java.util.function.ToIntFunction;
import org.kvmosgi.kernel.api.dev.FileOperations;
import org.kvmosgi.kernel.api.dev.MiscDevice;
import org.osgi.annotation.versioning.ProviderType;

/** Kernel functions a module calls; resources they hand out are accounted to the caller. */
@ProviderType
public interface KernelServices {

    /** kmalloc: an allocation accounted to the calling module; null when it fails (-ENOMEM). */
    Allocation kmalloc(String what, long size);

    /**
     * misc_register: makes {@code /dev/NAME} appear, owned by {@code owner} (fops->owner),
     * which an open file pins. Returns null and logs on failure.
     */
    MiscDevice miscRegister(String name, String owner, FileOperations fops);

    /** misc_deregister. */
    void miscDeregister(MiscDevice device);

    /** try_module_get: false when the module is not live. */
    boolean tryModuleGet(String module);

    /** module_put. */
    void modulePut(String module);

    /**
     * try_module_get that hands back the instance it pinned, for a caller that keeps the
     * pointer (as kvm.ko keeps kvm->arch.kvm_ops, whose owner it pinned); null when the module
     * is not live. {@link #modulePut(String)} gives the pin back.
     */
    ModuleInstance tryModuleGetInstance(String module);

    /**
     * The oops of a call into the text of {@code freed} (a forced unload freed it) from the
     * kernel functions {@code callers}, innermost first; taints the kernel D. The caller
     * then fails the system call (-EFAULT): the model's one process cannot be killed.
     */
    void oopsInFreedText(ModuleInstance freed, java.util.List<String> callers);

    /**
     * kthread_run: starts {@code threadfn} in a kernel thread accounted to the calling
     * module; the function loops until {@link KThread#shouldStop()}. Null when it cannot
     * be started: -EAGAIN when the kernel's threads reach threads-max
     * (/proc/sys/kernel/threads-max), -ENOMEM when the host cannot start a thread.
     */
    KThread kthreadRun(String name, ToIntFunction<KThread> threadfn);

    /** request_module: runs {@code modprobe -q -- NAME}; 0 or a negative errno. */
    int requestModule(String name);
}
