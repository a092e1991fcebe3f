package org.kvmosgi.kvmtool.vmm;

import static org.kvmosgi.kvm.api.KvmIoctl.*;
import static org.kvmosgi.kvm.api.KvmRunLayout.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kvm.api.KvmCpuid2;
import org.kvmosgi.kvm.api.KvmEnableCap;
import org.kvmosgi.kvm.api.KvmMpState;
import org.kvmosgi.kvm.api.KvmExitReason;
import org.kvmosgi.kvm.api.KvmIoctl;
import org.kvmosgi.kvm.api.KvmRegs;
import org.kvmosgi.kvm.api.KvmStat;
import org.kvmosgi.kvm.api.KvmUserspaceMemoryRegion;
import org.kvmosgi.kvm.api.ppc.KvmPpc;
import org.kvmosgi.kvm.api.ppc.KvmPpcRegs;
import org.kvmosgi.kvm.api.x86.X86;
import org.kvmosgi.kvmtool.guest.Arch;
import org.kvmosgi.kvmtool.guest.GuestAsm;
import org.kvmosgi.kvmtool.guest.PpcWorkload;
import org.kvmosgi.kvmtool.guest.Workload;

/**
 * A VM as a VMM process holds it: the /dev/kvm, VM and vCPU fds, guest RAM, and the
 * vCPUs' kvm_run mappings; everything through system calls. Its device model answers
 * the exits that come back to user space (PM timer, serial, isa-debug-exit, the MMIO
 * test register; on PowerPC the PAPR console and power-off hypercalls).
 */
public final class Vm implements AutoCloseable {
    /** Guest RAM at GPA 0. */
    public static final int DEFAULT_MEM = 64 * 1024;
    /** ACPI PM timer frequency (3.579545 MHz). */
    private static final double PM_TIMER_HZ = 3_579_545.0;

    public final String name;
    private final Syscalls sys;
    private final int kvmFd;
    private final int vmFd;
    private final ByteBuffer ram;
    private final boolean irqchip;
    /** KVM_SET_MP_STATE's argument for a reset vCPU. */
    private final KvmMpState runnable = new KvmMpState(KvmMpState.KVM_MP_STATE_RUNNABLE);
    private final Arch arch;
    private final long type;
    private final List<int[]> vcpuFds = new ArrayList<>();
    private final List<ByteBuffer> runs = new ArrayList<>();
    private final long startNanos = System.nanoTime();
    private int mmioRegister;
    /** KVM_HINTS_REALTIME as the VMM gives it to the vCPUs (KVM_CPUID_FEATURES.EDX bit 0). */
    private volatile boolean realtimeHint;
    private final StringBuilder serial = new StringBuilder();

    private Vm(String name, Syscalls sys, int kvmFd, int vmFd, ByteBuffer ram, boolean irqchip, Arch arch, long type) {
        this.name = name;
        this.arch = arch;
        this.type = type;
        this.sys = sys;
        this.kvmFd = kvmFd;
        this.vmFd = vmFd;
        this.ram = ram;
        this.irqchip = irqchip;
    }

    /** A failed step: which call and its errno. */
    public static final class VmmException extends Exception {
        private static final long serialVersionUID = 1L;
        public final int errno;

        public VmmException(String message, int errno) {
            super(message, null, false, false);
            this.errno = errno;
        }
    }

    /**
     * Opens /dev/kvm, checks the API version, creates the VM, its RAM slot and vCPUs.
     * A failure closes what was opened.
     */
    public static Vm create(Syscalls sys, String name, int vcpus, int memBytes, boolean irqchip) throws VmmException {
        return create(sys, name, vcpus, memBytes, irqchip, Arch.X86_64, 0);
    }

    /**
     * {@link #create(Syscalls, String, int, int, boolean)} for {@code arch} with
     * KVM_CREATE_VM's machine {@code type} (0, or KVM_VM_PPC_HV/PR on PowerPC).
     */
    public static Vm create(Syscalls sys, String name, int vcpus, int memBytes, boolean irqchip, Arch arch, long type)
            throws VmmException {
        int kvm;
        try {
            kvm = sys.open("/dev/kvm");
        } catch (ErrnoException e) {
            if (e.errno() == 2) {
                throw new VmmException("'/dev/kvm' not found. Please make sure your kernel has CONFIG_KVM enabled"
                        + " and that the KVM modules are loaded.", e.errno());
            }
            throw new VmmException("unable to open /dev/kvm: " + e.strerror(), e.errno());
        }
        Vm vm = null;
        int vmFd = -1;
        try {
            long version = call(sys, kvm, KVM_GET_API_VERSION, 0);
            if (version != KVM_API_VERSION) {
                throw new VmmException("KVM_API_VERSION ioctl returned " + version + ", expected " + KVM_API_VERSION, 22);
            }
            vmFd = (int) call(sys, kvm, KVM_CREATE_VM, type);
            ByteBuffer ram = allocateRam(memBytes);
            vm = new Vm(name, sys, kvm, vmFd, ram, irqchip, arch, type);
            if (irqchip) {
                call(sys, vmFd, KVM_CREATE_IRQCHIP, 0);
            }
            call(sys, vmFd, KVM_SET_USER_MEMORY_REGION, new KvmUserspaceMemoryRegion(0, 0, 0, memBytes, ram));
            for (int i = 0; i < vcpus; i++) {
                vm.addVcpu(i);
            }
            return vm;
        } catch (VmmException e) {
            if (vm != null) {
                vm.close();
            } else {
                // the VM fd holds the VM and, through it, the vendor module; /dev/kvm's fd pins it too
                if (vmFd >= 0) {
                    closeQuietly(sys, vmFd);
                }
                closeQuietly(sys, kvm);
            }
            throw e;
        }
    }

    /**
     * Guest RAM, kvmtool's anonymous mmap: when the host cannot back it, mmap's -ENOMEM
     * (here the JVM's direct-memory limit) and kvmtool's "out of memory".
     */
    private static ByteBuffer allocateRam(int memBytes) throws VmmException {
        try {
            return ByteBuffer.allocateDirect(memBytes).order(ByteOrder.LITTLE_ENDIAN);
        } catch (OutOfMemoryError e) {
            throw new VmmException("out of memory: guest RAM of " + memBytes / 1024 + " KiB: "
                    + Errno.ENOMEM.strerror(), -Errno.ENOMEM.neg());
        }
    }

    private static long call(Syscalls sys, int fd, int cmd, Object arg) throws VmmException {
        try {
            return sys.ioctl(fd, cmd, arg);
        } catch (ErrnoException e) {
            throw new VmmException(KvmIoctl.name(cmd) + " failed: " + e.strerror(), e.errno());
        }
    }

    private static void closeQuietly(Syscalls sys, int fd) {
        try {
            sys.close(fd);
        } catch (ErrnoException e) {
            // already gone
        }
    }

    /** KVM_CREATE_VCPU with {@code id}, and the mapping of its kvm_run. */
    public synchronized void addVcpu(int id) throws VmmException {
        long mmapSize = call(sys, kvmFd, KVM_GET_VCPU_MMAP_SIZE, 0);
        int fd = (int) call(sys, vmFd, KVM_CREATE_VCPU, id);
        vcpuFds.add(new int[] {fd});
        ByteBuffer[] map = new ByteBuffer[1];
        call(sys, fd, KVMOSGI_MMAP_VCPU, map);
        if (map[0].capacity() < mmapSize) {
            throw new VmmException("kvm_run mapping is " + map[0].capacity() + " bytes, expected " + mmapSize, 22);
        }
        runs.add(map[0]);
        if (arch == Arch.X86_64) {
            // kvm_cpu__setup_cpuid(): the vCPU gets what KVM supports, plus the VMM's hints
            call(sys, fd, KVM_SET_CPUID2, cpuid(realtimeHint));
        }
        if (arch == Arch.PPC64LE) {
            // a pseries guest talks PAPR: PR turns sc 1 into KVM_EXIT_PAPR_HCALL only once
            // asked (HV guests always are), so ask on every vCPU as QEMU's spapr does
            call(sys, fd, KVM_ENABLE_CAP, new KvmEnableCap(KvmPpc.KVM_CAP_PPC_PAPR));
        }
    }

    /** KVM_GET_SUPPORTED_CPUID with the KVM_CPUID_FEATURES hints set as {@code realtime} says. */
    private KvmCpuid2 cpuid(boolean realtime) throws VmmException {
        KvmCpuid2 c = new KvmCpuid2(KvmCpuid2.KVM_MAX_CPUID_ENTRIES);
        call(sys, kvmFd, KVM_GET_SUPPORTED_CPUID, c);
        KvmCpuid2.Entry features = c.find(X86.KVM_CPUID_FEATURES);
        if (features != null) {
            features.edx = realtime ? features.edx | (1 << X86.KVM_HINTS_REALTIME) : features.edx & ~(1 << X86.KVM_HINTS_REALTIME);
        }
        return c;
    }

    /**
     * Sets KVM_HINTS_REALTIME on every vCPU with KVM_SET_CPUID2, as a VMM does when the
     * host's promise changes (vCPUs pinned to dedicated CPUs, or no longer). Each call
     * waits for the vCPU's mutex, so a vCPU inside KVM_RUN gets it when it comes out.
     */
    public synchronized void setRealtimeHint(boolean realtime) throws VmmException {
        if (arch != Arch.X86_64) {
            throw new VmmException("KVM_HINTS_REALTIME is an x86 CPUID hint; this is " + arch.machine(), 22);
        }
        KvmCpuid2 c = cpuid(realtime);
        realtimeHint = realtime;
        for (int[] fd : vcpuFds) {
            call(sys, fd[0], KVM_SET_CPUID2, c);
        }
    }

    /** KVM_SET_MP_STATE(RUNNABLE) on every vCPU, as a VMM resets its vCPUs before booting a guest. */
    public synchronized void resetVcpus() throws VmmException {
        for (int[] fd : vcpuFds) {
            call(sys, fd[0], KVM_SET_MP_STATE, new KvmMpState(KvmMpState.KVM_MP_STATE_RUNNABLE));
        }
    }

    public boolean realtimeHint() {
        return realtimeHint;
    }

    /** Guest RAM, as the VMM maps it (the guest kernel model's memory, too). */
    public ByteBuffer guestMemory() {
        return ram;
    }

    /**
     * Trapping instructions at fixed guest addresses, each followed by OUT to
     * isa-debug-exit so that KVM_RUN comes back to the caller: what {@link Cpu} runs.
     */
    public static final int STUB_CPUID = 0x8000, STUB_VMCALL = 0x8010, STUB_HLT = 0x8020;

    private boolean stubsLoaded;

    private synchronized void loadStubs() throws VmmException {
        if (stubsLoaded) {
            return;
        }
        if (ram.capacity() < STUB_HLT + 16) {
            throw new VmmException("guest RAM too small for the guest kernel's stubs", 22);
        }
        putCode(STUB_CPUID, new GuestAsm().cpuid().outl(Workload.Ports.DEBUG_EXIT).bytes());
        putCode(STUB_VMCALL, new GuestAsm().vmcall().outl(Workload.Ports.DEBUG_EXIT).bytes());
        putCode(STUB_HLT, new GuestAsm().hlt().outl(Workload.Ports.DEBUG_EXIT).bytes());
        stubsLoaded = true;
    }

    private void putCode(int at, byte[] code) {
        for (int i = 0; i < code.length; i++) {
            ram.put(at + i, code[i]);
        }
    }

    /**
     * One vCPU as the guest kernel's model drives it from the vCPU's thread: the
     * instructions that trap (CPUID, VMCALL, HLT) run as guest code inside KVM_RUN; the
     * rest of the guest kernel is Java on the same thread. Not thread-safe: one per thread.
     */
    public final class Cpu {
        public final int index;
        private final int fd;
        private final ByteBuffer run;
        private final KvmRegs regs = new KvmRegs();

        private Cpu(int index) {
            this.index = index;
            this.fd = vcpuFd(index);
            this.run = runs.get(index);
        }

        /** CPUID {@code leaf}: {eax, ebx, ecx, edx} into {@code out}. */
        public void cpuid(int leaf, long[] out) throws VmmException {
            regs.rax = leaf & 0xffffffffL;
            regs.rcx = 0;
            exec(STUB_CPUID);
            out[0] = regs.rax;
            out[1] = regs.rbx;
            out[2] = regs.rcx;
            out[3] = regs.rdx;
        }

        /** VMCALL {@code nr}(a0, a1): RAX afterwards (0, or -KVM_ENOSYS). */
        public long hypercall(int nr, long a0, long a1) throws VmmException {
            regs.rax = nr;
            regs.rbx = a0;
            regs.rcx = a1;
            exec(STUB_VMCALL);
            return regs.rax;
        }

        /**
         * HLT: with the in-kernel irqchip the vCPU sleeps in KVM_RUN until a kick (or a
         * signal: then {@link VmmException} with EINTR, errno 4).
         */
        public void halt() throws VmmException {
            exec(STUB_HLT);
        }

        private void exec(int stub) throws VmmException {
            enterAt(fd, regs, stub, ram.capacity() - 16 - 256L * index);
            for (;;) {
                kvmRun(fd);
                int reason = run.getInt(EXIT_REASON);
                if (reason == KvmExitReason.KVM_EXIT_IO && (run.getShort(IO_PORT) & 0xffff) == Workload.Ports.DEBUG_EXIT) {
                    break;
                }
                if (reason == KvmExitReason.KVM_EXIT_HLT) {
                    continue; // no in-kernel irqchip: nothing to wait for
                }
                throw new VmmException("KVM_RUN exited with " + KvmExitReason.name(reason), 5);
            }
            call(sys, fd, KVM_GET_REGS, regs);
        }
    }

    /** The guest kernel's handle on vCPU {@code index} (x86), for use from that vCPU's thread only. */
    public Cpu cpu(int index) throws VmmException {
        if (arch != Arch.X86_64) {
            throw new VmmException("the guest kernel model is x86; this is " + arch.machine(), 22);
        }
        if (index < 0 || index >= vcpuFds.size()) {
            throw new VmmException("VM " + name + " has no vCPU " + index, 22);
        }
        loadStubs();
        return new Cpu(index);
    }

    public Arch arch() {
        return arch;
    }

    /** KVM_CREATE_VM's machine type. */
    public long type() {
        return type;
    }

    public int vcpuCount() {
        return vcpuFds.size();
    }

    public int memBytes() {
        return ram.capacity();
    }

    public boolean irqchip() {
        return irqchip;
    }

    public int vmFd() {
        return vmFd;
    }

    public int vcpuFd(int i) {
        return vcpuFds.get(i)[0];
    }

    /** The VM's counters (the sum over its vCPUs), indexed by {@link KvmStat}. */
    public long[] stats() throws VmmException {
        long[] s = new long[KvmStat.COUNT];
        call(sys, vmFd, KVMOSGI_GET_STATS, s);
        return s;
    }

    /** What a run did. */
    public static final class RunResult {
        public long nanos;
        /** KVM_RUN calls (returns to user space). */
        public long runs;
        /** The VM's counters over the run. */
        public final long[] stats = new long[KvmStat.COUNT];
        public long userHalts;
        public long userIo;
        public long userMmio;
        /** KVM_EXIT_PAPR_HCALL returns (PowerPC). */
        public long userHcalls;
        public int debugExitCode;
        /** A signal ended the run (KVM_RUN returned -EINTR) before the guest's end. */
        public boolean signal;
        /** The vCPU's KVM_GET_MP_STATE after a signal: halted, or running guest code. */
        public boolean halted;

        public long exits() {
            return stats[KvmStat.EXITS];
        }
    }

    /** {@link #run(Workload, int, int)} on vCPU 0. */
    public RunResult run(Workload w, int iterations) throws VmmException {
        return run(w, iterations, 0);
    }

    /**
     * Loads {@code w} for {@code iterations} at {@link Workload#CODE_BASE} and runs the
     * vCPU with index {@code vcpu} until the guest writes isa-debug-exit. Fails on an exit
     * the VMM cannot handle.
     */
    public RunResult run(Workload w, int iterations, int vcpu) throws VmmException {
        return run(w, iterations, vcpu, 0);
    }

    /**
     * {@link #run(Workload, int, int)}, with {@code nmis} KVM_NMI ioctls before every
     * KVM_RUN (two or more make x86's KVM force an exit right after entry, to inject the
     * one that had to wait).
     */
    public RunResult run(Workload w, int iterations, int vcpu, int nmis) throws VmmException {
        checkRunnable(w, vcpu);
        load(w, iterations);
        int fd = vcpuFd(vcpu);
        KvmRegs regs = new KvmRegs();
        ByteBuffer run = runs.get(vcpu);
        long[] before = stats();
        RunResult r = new RunResult();
        long t0 = System.nanoTime();
        runLoaded(fd, run, regs, r, nmis);
        r.nanos = System.nanoTime() - t0;
        if (r.signal && irqchip) {
            KvmMpState state = new KvmMpState(KvmMpState.KVM_MP_STATE_RUNNABLE);
            call(sys, fd, KvmIoctl.KVM_GET_MP_STATE, state);
            r.halted = state.mpState == KvmMpState.KVM_MP_STATE_HALTED;
        }
        long[] after = stats();
        for (int i = 0; i < KvmStat.COUNT; i++) {
            r.stats[i] = after[i] - before[i];
        }
        return r;
    }

    private void checkRunnable(Workload w, int vcpu) throws VmmException {
        if (arch != Arch.X86_64) {
            throw new VmmException("workload " + w.id() + " is x86 code; this is " + arch.machine(), 22);
        }
        if (w.needsIrqchip() && !irqchip) {
            throw new VmmException("workload " + w.id() + " needs the in-kernel irqchip (create the VM with --irqchip)", 22);
        }
        if (vcpu < 0 || vcpu >= vcpuFds.size()) {
            throw new VmmException("VM " + name + " has no vCPU " + vcpu, 22);
        }
    }

    private void load(Workload w, int iterations) {
        byte[] code = w.program(iterations);
        for (int i = 0; i < code.length; i++) {
            ram.put(Workload.CODE_BASE + i, code[i]);
        }
    }

    /**
     * Points the vCPU at the loaded program and runs it to isa-debug-exit, answering the
     * exits that reach user space; allocates nothing, so a benchmark can call it per
     * measurement. {@code regs} and {@code r} are the caller's, reused.
     */
    private void runLoaded(int fd, ByteBuffer run, KvmRegs regs, RunResult r, int nmis) throws VmmException {
        enterAt(fd, regs, Workload.CODE_BASE, ram.capacity() - 16);
        if (irqchip) {
            // a vCPU a signal took out of a halt is still halted: the reset a VMM does
            // before it starts the guest again (kvm_arch_reset_vcpu) makes it runnable
            call(sys, fd, KvmIoctl.KVM_SET_MP_STATE, runnable);
        }
        for (;;) {
            for (int i = 0; i < nmis; i++) {
                call(sys, fd, KvmIoctl.KVM_NMI, 0);
            }
            boolean signalled = kvmRunOrSignal(fd);
            r.runs++;
            if (signalled) {
                // KVM_EXIT_INTR: kvmtool goes on while the vCPU is to run, and stops it when
                // the signal was for it (here: the command's, Ctrl-C or --timeout)
                if (Thread.interrupted()) {
                    r.signal = true;
                    return;
                }
                continue;
            }
            int reason = run.getInt(EXIT_REASON);
            if (reason == KvmExitReason.KVM_EXIT_IO) {
                r.userIo++;
                if (io(run, r)) {
                    return;
                }
            } else if (reason == KvmExitReason.KVM_EXIT_MMIO) {
                r.userMmio++;
                mmio(run);
            } else if (reason == KvmExitReason.KVM_EXIT_HLT) {
                r.userHalts++; // no interrupt controller to wait for: resume at once
            } else if (reason != KvmExitReason.KVM_EXIT_SET_TPR) {
                throw new VmmException("KVM_RUN exited with " + KvmExitReason.name(reason), 5);
            }
        }
    }

    /** KVM_SET_REGS for an entry at {@code rip} with stack {@code rsp}; {@code regs} is the caller's, reused. */
    private void enterAt(int fd, KvmRegs regs, long rip, long rsp) throws VmmException {
        regs.rip = rip;
        regs.rsp = rsp;
        regs.rflags = 2;
        call(sys, fd, KVM_SET_REGS, regs);
    }

    /**
     * KVM_RUN once; true when a signal ended it (-EINTR, exit reason KVM_EXIT_INTR), as it
     * ends a vCPU sleeping in a halt that no interrupt can wake. Allocates nothing unless
     * it fails.
     */
    private boolean kvmRunOrSignal(int fd) throws VmmException {
        try {
            sys.ioctl(fd, KVM_RUN, 0);
            return false;
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EINTR.value()) {
                return true;
            }
            throw new VmmException("KVM_RUN failed: " + e.strerror(), e.errno());
        }
    }

    /** KVM_RUN once; allocates nothing unless it fails. */
    private void kvmRun(int fd) throws VmmException {
        try {
            sys.ioctl(fd, KVM_RUN, 0);
        } catch (ErrnoException e) {
            throw new VmmException("KVM_RUN failed: " + e.strerror(), e.errno());
        }
    }

    /**
     * A workload loaded once into guest RAM for one vCPU, to be run again and again
     * without loading or allocating: what the exit-path benchmarks measure.
     */
    public final class Loaded {
        private final int fd;
        private final ByteBuffer run;
        private final KvmRegs regs = new KvmRegs();
        private final KvmPpcRegs ppcRegs = new KvmPpcRegs();
        /** Counters of the last {@link #run()}; the kernel's stats are not read. */
        public final RunResult last = new RunResult();

        private Loaded(int fd, ByteBuffer run) {
            this.fd = fd;
            this.run = run;
        }

        /** Runs the program from its start to isa-debug-exit (PowerPC: H_RTAS); returns the KVM_RUN calls made. */
        public long run() throws VmmException {
            last.runs = last.userIo = last.userMmio = last.userHalts = last.userHcalls = 0;
            if (arch == Arch.PPC64LE) {
                runLoadedPpc(fd, run, ppcRegs, last);
            } else {
                runLoaded(fd, run, regs, last, 0);
            }
            return last.runs;
        }
    }

    /** Loads the PowerPC workload {@code w} for {@code iterations} on vCPU {@code vcpu}, for {@link Loaded#run()}. */
    public Loaded load(PpcWorkload w, int iterations, int vcpu) throws VmmException {
        loadPpc(w, iterations, vcpu);
        return new Loaded(vcpuFd(vcpu), runs.get(vcpu));
    }

    /** Loads {@code w} for {@code iterations} on vCPU {@code vcpu}, for {@link Loaded#run()}. */
    public Loaded load(Workload w, int iterations, int vcpu) throws VmmException {
        checkRunnable(w, vcpu);
        load(w, iterations);
        return new Loaded(vcpuFd(vcpu), runs.get(vcpu));
    }

    /**
     * Loads the PowerPC workload {@code w} at {@link PpcWorkload#CODE_BASE} and runs the vCPU
     * with index {@code vcpu} in real mode (MSR SF|LE) until the guest's H_RTAS power-off.
     * H_PUT_TERM_CHAR goes to the serial output; any other hcall gets H_FUNCTION, as a
     * VMM answers what it does not implement.
     */
    public RunResult run(PpcWorkload w, int iterations, int vcpu) throws VmmException {
        loadPpc(w, iterations, vcpu);
        int fd = vcpuFd(vcpu);
        ByteBuffer run = runs.get(vcpu);
        long[] before = stats();
        RunResult r = new RunResult();
        long t0 = System.nanoTime();
        runLoadedPpc(fd, run, new KvmPpcRegs(), r);
        r.nanos = System.nanoTime() - t0;
        long[] after = stats();
        for (int i = 0; i < KvmStat.COUNT; i++) {
            r.stats[i] = after[i] - before[i];
        }
        return r;
    }

    private void loadPpc(PpcWorkload w, int iterations, int vcpu) throws VmmException {
        if (arch != Arch.PPC64LE) {
            throw new VmmException("workload " + w.id() + " is PowerPC code; this is " + arch.machine(), 22);
        }
        if (vcpu < 0 || vcpu >= vcpuFds.size()) {
            throw new VmmException("VM " + name + " has no vCPU " + vcpu, 22);
        }
        byte[] code = w.program(iterations);
        if (PpcWorkload.CODE_BASE + code.length > ram.capacity()) {
            throw new VmmException("workload " + w.id() + " does not fit in guest RAM", 22);
        }
        putCode(PpcWorkload.CODE_BASE, code);
    }

    /** The PowerPC run of a loaded program to its power-off, allocation-free as {@link #runLoaded}. */
    private void runLoadedPpc(int fd, ByteBuffer run, KvmPpcRegs regs, RunResult r) throws VmmException {
        java.util.Arrays.fill(regs.gpr, 0);
        regs.pc = PpcWorkload.CODE_BASE;
        regs.msr = KvmPpc.MSR_SF | KvmPpc.MSR_LE;
        regs.gpr[1] = ram.capacity() - 128; // a stack pointer, as a real-mode entry gets
        call(sys, fd, KVM_SET_REGS, regs);
        for (;;) {
            kvmRun(fd);
            r.runs++;
            int reason = run.getInt(EXIT_REASON);
            if (reason == KvmExitReason.KVM_EXIT_PAPR_HCALL) {
                r.userHcalls++;
                if (hcall(run)) {
                    break;
                }
            } else if (reason == KvmExitReason.KVM_EXIT_MMIO) {
                r.userMmio++;
                mmio(run);
            } else {
                throw new VmmException("KVM_RUN exited with " + KvmExitReason.name(reason), 5);
            }
        }
    }

    /** spapr's hypercalls in user space; true on the power-off. */
    private boolean hcall(ByteBuffer run) {
        long nr = run.getLong(KvmPpc.PAPR_HCALL_NR);
        if (nr == KvmPpc.H_RTAS) {
            run.putLong(KvmPpc.PAPR_HCALL_RET, KvmPpc.H_SUCCESS);
            return true;
        }
        if (nr == KvmPpc.H_PUT_TERM_CHAR) {
            // args: termno, len, then up to 16 chars packed big-endian in two doublewords
            long len = run.getLong(KvmPpc.PAPR_HCALL_ARGS + 8);
            if (len < 0 || len > 16) {
                run.putLong(KvmPpc.PAPR_HCALL_RET, KvmPpc.H_PARAMETER);
                return false;
            }
            for (int i = 0; i < len && serial.length() < 4096; i++) {
                long word = run.getLong(KvmPpc.PAPR_HCALL_ARGS + 16 + 8 * (i / 8));
                serial.append((char) ((word >>> (56 - 8 * (i % 8))) & 0xff));
            }
            run.putLong(KvmPpc.PAPR_HCALL_RET, KvmPpc.H_SUCCESS);
            return false;
        }
        run.putLong(KvmPpc.PAPR_HCALL_RET, KvmPpc.H_FUNCTION);
        return false;
    }

    /** The port devices; true when the guest wrote isa-debug-exit. */
    private boolean io(ByteBuffer run, RunResult r) {
        boolean out = run.get(IO_DIRECTION) == KvmExitReason.KVM_EXIT_IO_OUT;
        int port = run.getShort(IO_PORT) & 0xffff;
        int data = (int) run.getLong(IO_DATA_OFFSET);
        if (out) {
            int value = run.getInt(data);
            if (port == Workload.Ports.DEBUG_EXIT) {
                r.debugExitCode = (value << 1) | 1;
                return true;
            }
            if (port == Workload.Ports.COM1 && serial.length() < 4096) {
                serial.append((char) (value & 0xff));
            }
            return false;
        }
        int value;
        if (port == Workload.Ports.PM_TIMER) {
            value = (int) ((System.nanoTime() - startNanos) * PM_TIMER_HZ / 1e9) & 0xffffff;
        } else {
            value = 0xffffffff; // no device: the bus floats high
        }
        run.putInt(data, value);
        return false;
    }

    private void mmio(ByteBuffer run) {
        long addr = run.getLong(MMIO_PHYS_ADDR);
        boolean write = run.get(MMIO_IS_WRITE) != 0;
        if (addr == (Workload.Ports.MMIO_BASE & 0xffffffffL)) {
            if (write) {
                mmioRegister = run.getInt(MMIO_DATA);
            } else {
                run.putInt(MMIO_DATA, mmioRegister);
            }
        } else if (!write) {
            run.putInt(MMIO_DATA, 0xffffffff);
        }
    }

    public String serialOutput() {
        return serial.toString();
    }

    /** Closes the vCPU fds, the VM fd and /dev/kvm: the kernel destroys the VM with the last one. */
    @Override
    public void close() {
        for (int[] fd : vcpuFds) {
            closeQuietly(sys, fd[0]);
        }
        vcpuFds.clear();
        closeQuietly(sys, vmFd);
        closeQuietly(sys, kvmFd);
    }
}
