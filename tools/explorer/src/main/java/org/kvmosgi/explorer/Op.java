package org.kvmosgi.explorer;

/**
 * One operation of a sequence. Each becomes one shell command line when it runs; a VM's
 * destruction names the fd its creation printed, so it is resolved at run time.
 */
public record Op(Kind kind, String arg) {
    public enum Kind { LOAD, UNLOAD, ARM, VM_CREATE, VM_DESTROY }

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

    /** The command line, given the fd of the newest open VM (for VM_DESTROY). */
    public String line(int newestVmFd) {
        return switch (kind) {
            case LOAD -> "modprobe " + arg;
            case UNLOAD -> "rmmod " + arg;
            case ARM -> "failfn inject " + arg;
            case VM_CREATE -> "vmfd create " + arg;
            case VM_DESTROY -> "vmfd destroy " + newestVmFd;
        };
    }

    @Override
    public String toString() {
        return line(-1).replace(" -1", "");
    }
}
