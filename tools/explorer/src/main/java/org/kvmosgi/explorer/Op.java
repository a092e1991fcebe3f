package org.kvmosgi.explorer;

/**
 * One operation of a sequence. Each becomes one shell command line when it runs; a VM's
 * destruction names the fd its creation printed, so it is resolved at run time.
 */
public record Op(Kind kind, String arg) {
    /**
     * LOAD_WITH's argument is {@code MODULE PARAM=VALUE}, WRITE_PARAM's {@code MODULE PARAM VALUE}
     * (a write to a 0644 parameter through sysfs), FORCE_UNLOAD's the module ({@code rmmod -f}).
     */
    public enum Kind { LOAD, UNLOAD, ARM, VM_CREATE, VM_DESTROY, LOAD_WITH, WRITE_PARAM, FORCE_UNLOAD }

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

    /** Whether this is a module load (with or without parameters). */
    public boolean isLoad() {
        return kind == Kind.LOAD || kind == Kind.LOAD_WITH;
    }

    /** The module a module operation names; "" for the others. */
    public String module() {
        return switch (kind) {
            case LOAD, UNLOAD, FORCE_UNLOAD -> arg;
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

    /** The command line, given the fd of the newest open VM (for VM_DESTROY). */
    public String line(int newestVmFd) {
        return switch (kind) {
            case LOAD, LOAD_WITH -> "modprobe " + arg;
            case UNLOAD -> "rmmod " + arg;
            case FORCE_UNLOAD -> "rmmod -f " + arg;
            case ARM -> "failfn inject " + arg;
            case VM_CREATE -> "vmfd create " + arg;
            case VM_DESTROY -> "vmfd destroy " + newestVmFd;
            case WRITE_PARAM -> "echo " + paramValue() + " | tee " + paramPath();
        };
    }

    @Override
    public String toString() {
        return line(-1).replace(" -1", "");
    }
}
