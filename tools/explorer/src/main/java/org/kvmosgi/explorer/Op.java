package org.kvmosgi.explorer;

/**
 * One operation of a sequence. Each becomes one shell command line when it runs; a VM's
 * destruction names the fd its creation printed, and a raw bundle start the bundle's id
 * on the platform it runs on, so both are resolved at run time.
 */
public record Op(Kind kind, String arg) {
    /**
     * LOAD_WITH's argument is {@code MODULE PARAM=VALUE}, WRITE_PARAM's {@code MODULE PARAM VALUE}
     * (a write to a 0644 parameter through sysfs), FORCE_UNLOAD's the module ({@code rmmod -f}).
     * The VMM's operations act on its one VM, {@value #VMM_VM}: VMM_CREATE's argument is
     * {@code vm create}'s options, VM_RUN's the workload ("" for
     * the architecture's default), VCPU_CREATE ({@code vm vcpu}), PV_LOCK ({@code vm lock}: the
     * pv-lock guest switching its lock ops group) and VMM_DESTROY take none. RAW_STOP's and
     * RAW_START's argument is the module whose bundle the framework stops or starts; the line
     * names the bundle by its id, resolved on the platform it runs on.
     */
    public enum Kind {
        LOAD, UNLOAD, ARM, VM_CREATE, VM_DESTROY, LOAD_WITH, WRITE_PARAM, FORCE_UNLOAD,
        VMM_CREATE, VCPU_CREATE, VM_RUN, PV_LOCK, VMM_DESTROY, RAW_STOP, RAW_START
    }

    /** The name of the VM the VMM operations act on. */
    public static final String VMM_VM = "vm0";
    /** {@code vm run --iterations}: a fixed, small number of exits. */
    public static final int RUN_ITERATIONS = 4;
    /** {@code vm lock --switches}: a stop_machine switch each way. */
    public static final int LOCK_SWITCHES = 2;

    public static Op load(String module) {
        return new Op(Kind.LOAD, module);
    }

    public static Op unload(String module) {
        return new Op(Kind.UNLOAD, module);
    }

    public static Op arm(String point) {
        return new Op(Kind.ARM, point);
    }

    public static Op vmCreate(long type) {
        return new Op(Kind.VM_CREATE, Long.toString(type));
    }

    public static Op vmDestroy() {
        return new Op(Kind.VM_DESTROY, "");
    }

    /** {@code modprobe MODULE NAME=VALUE}. */
    public static Op loadWith(String module, String name, String value) {
        return new Op(Kind.LOAD_WITH, module + " " + name + "=" + value);
    }

    /** {@code echo VALUE | tee /sys/module/MODULE/parameters/NAME}. */
    public static Op writeParam(String module, String name, String value) {
        return new Op(Kind.WRITE_PARAM, module + " " + name + " " + value);
    }

    /** {@code rmmod -f MODULE}. */
    public static Op forceUnload(String module) {
        return new Op(Kind.FORCE_UNLOAD, module);
    }

    /**
     * {@code vm create OPTIONS vm0}: a VMM's VM with RAM and one vCPU; {@code options} say its
     * kind ({@code --irqchip} on x86, {@code --type hv} or {@code --type pr} on PowerPC, "" for the default).
     */
    public static Op vmmCreate(String options) {
        return new Op(Kind.VMM_CREATE, options);
    }

    /** {@code vm vcpu vm0}: one more KVM_CREATE_VCPU. */
    public static Op vcpuCreate() {
        return new Op(Kind.VCPU_CREATE, "");
    }

    /** {@code vm run [--workload W] --iterations 4 vm0}; {@code workload} "" for the default. */
    public static Op vmRun(String workload) {
        return new Op(Kind.VM_RUN, workload);
    }

    /** {@code vm lock --switches 2 --seed 1 vm0}: the pv-lock guest, its lock ops switched by stop_machine. */
    public static Op pvLock() {
        return new Op(Kind.PV_LOCK, "");
    }

    /** {@code vm destroy vm0}. */
    public static Op vmmDestroy() {
        return new Op(Kind.VMM_DESTROY, "");
    }

    /** {@code felix:stop ID}: the framework stops the module's bundle (by its id: a bundle's name is the file's, kvm-hv). */
    public static Op rawStop(String module) {
        return new Op(Kind.RAW_STOP, module);
    }

    /** {@code felix:start ID}: the framework starts the module's bundle (by its id, as the sealed shell takes it). */
    public static Op rawStart(String module) {
        return new Op(Kind.RAW_START, module);
    }

    /** Whether this acts on the VMM's VM after its creation (the VM's file descriptors reach its module). */
    public boolean onVmmVm() {
        return kind == Kind.VCPU_CREATE || kind == Kind.VM_RUN || kind == Kind.PV_LOCK || kind == Kind.VMM_DESTROY;
    }

    /** Whether this is a framework operation on the module's bundle, whose line names the bundle's id. */
    public boolean isRaw() {
        return kind == Kind.RAW_STOP || kind == Kind.RAW_START;
    }

    /**
     * What a raw stop or start says when the module has no bundle: a file never loaded (its
     * modprobe stopped at a dependency) or one the framework could not resolve has none (the
     * step runs nothing; on a fresh ./kvmsh there is no id to type).
     */
    public static String noBundle(String module) {
        return "felix: module " + module + " has no bundle (its file was never loaded, or did not resolve)\n";
    }

    /** Whether this is a module load (with or without parameters). */
    public boolean isLoad() {
        return kind == Kind.LOAD || kind == Kind.LOAD_WITH;
    }

    /** The module a module operation names; "" for the others. */
    public String module() {
        return switch (kind) {
            case LOAD, UNLOAD, FORCE_UNLOAD, RAW_STOP, RAW_START -> arg;
            case LOAD_WITH, WRITE_PARAM -> arg.substring(0, arg.indexOf(' '));
            default -> "";
        };
    }

    /** The parameter file a WRITE_PARAM writes. */
    public String paramPath() {
        String[] f = arg.split(" ", 3);
        return "/sys/module/" + f[0] + "/parameters/" + f[1];
    }

    /** The value a WRITE_PARAM writes. */
    public String paramValue() {
        return arg.split(" ", 3)[2];
    }

    /** The command line, given the fd of the newest open VM (for VM_DESTROY); RAW_STOP's and RAW_START's with {@code ID}. */
    public String line(int newestVmFd) {
        return line(newestVmFd, -1);
    }

    /** The command line, given the fd of the newest open VM (VM_DESTROY) and the module's bundle id (RAW_STOP, RAW_START). */
    public String line(int newestVmFd, long bundleId) {
        return switch (kind) {
            case LOAD, LOAD_WITH -> "modprobe " + arg;
            case UNLOAD -> "rmmod " + arg;
            case FORCE_UNLOAD -> "rmmod -f " + arg;
            case ARM -> "failfn inject " + arg;
            case VM_CREATE -> "vmfd create " + arg;
            case VM_DESTROY -> "vmfd destroy " + newestVmFd;
            case WRITE_PARAM -> "echo " + paramValue() + " | tee " + paramPath();
            case VMM_CREATE -> "vm create " + (arg.isEmpty() ? "" : arg + " ") + VMM_VM;
            case VCPU_CREATE -> "vm vcpu " + VMM_VM;
            case VM_RUN -> "vm run " + (arg.isEmpty() ? "" : "--workload " + arg + " ") + "--iterations "
                    + RUN_ITERATIONS + " " + VMM_VM;
            case PV_LOCK -> "vm lock --switches " + LOCK_SWITCHES + " --seed 1 " + VMM_VM;
            case VMM_DESTROY -> "vm destroy " + VMM_VM;
            case RAW_STOP -> "felix:stop " + (bundleId < 0 ? "ID" : Long.toString(bundleId));
            case RAW_START -> "felix:start " + (bundleId < 0 ? "ID" : Long.toString(bundleId));
        };
    }

    @Override
    public String toString() {
        return isRaw() ? line(-1).replace("ID", arg) : line(-1).replace(" -1", "");
    }
}
