package org.kvmosgi.kvm.x86.linked;

import java.util.function.ToIntFunction;
import org.kvmosgi.kvm.api.x86.KvmSymbols;
import org.kvmosgi.kvm.api.x86.KvmX86InitOps;
import org.kvmosgi.kvm.x86.core.X86Arch;
import org.kvmosgi.kvm.x86.hw.CoreExports;
import org.kvmosgi.kvm.x86.hw.CoreLink;

/**
 * A vendor's calls into arch/x86 linked into the same module (the monolithic and library
 * layouts): plain calls of {@code x86}'s functions; kvm_init/kvm_exit go to virt/kvm,
 * wherever the layout linked it.
 */
public final class DirectLink implements CoreLink {
    private final X86Arch x86;
    private final CoreExports exports;
    private final ToIntFunction<String> virtKvmInit;
    private final Runnable virtKvmExit;

    public DirectLink(X86Arch x86, ToIntFunction<String> virtKvmInit, Runnable virtKvmExit) {
        this.x86 = x86;
        this.virtKvmInit = virtKvmInit;
        this.virtKvmExit = virtKvmExit;
        this.exports = new CoreExports(x86::emulateCpuid, x86::emulateHalt, x86::emulateHypercall, x86::emulateRdmsr,
                x86::emulateWrmsr, x86::skipEmulatedInstruction, x86::emulateInstruction, x86::completeInsnGp,
                x86, x86::getCr8, x86::setCr8, x86::mmuPageFault);
    }

    @Override
    public CoreExports exports() {
        return exports;
    }

    @Override
    public int vendorInit(KvmX86InitOps ops) {
        return x86.vendorInit(ops);
    }

    @Override
    public void vendorExit() {
        x86.vendorExit();
    }

    @Override
    public int kvmInit(KvmSymbols.VcpuFactory cache, String module) {
        return x86.kvmInit(cache, module, virtKvmInit);
    }

    @Override
    public void kvmExit() {
        x86.kvmExit(virtKvmExit);
    }
}
